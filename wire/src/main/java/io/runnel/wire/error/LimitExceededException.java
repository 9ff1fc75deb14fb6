package io.runnel.wire.error;

/** A request-rate or resource limit of the account or stream was exceeded. Retryable after a backoff. */
public final class LimitExceededException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code LimitExceededException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public LimitExceededException(String message, int statusCode, String requestId) {
        super(ErrorCodes.LIMIT_EXCEEDED, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
