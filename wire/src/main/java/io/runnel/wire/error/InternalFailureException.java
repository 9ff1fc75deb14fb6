package io.runnel.wire.error;

/** The service failed to process the request. Retryable. */
public final class InternalFailureException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public InternalFailureException(String message, int statusCode, String requestId) {
        super(ErrorCodes.INTERNAL_FAILURE, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
