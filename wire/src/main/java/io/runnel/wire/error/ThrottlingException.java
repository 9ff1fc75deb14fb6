package io.runnel.wire.error;

/** The account's request rate was throttled. Retryable after a backoff. */
public final class ThrottlingException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ThrottlingException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ThrottlingException(String message, int statusCode, String requestId) {
        super(ErrorCodes.THROTTLING, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
