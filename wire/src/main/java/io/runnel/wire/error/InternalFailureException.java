package io.runnel.wire.error;

/** The service failed to process the request. Retryable. */
public final class InternalFailureException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code InternalFailureException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public InternalFailureException(String message, int statusCode, String requestId) {
        super(ErrorCodes.INTERNAL_FAILURE, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
