package io.runnel.wire.error;

/** The service is temporarily unavailable. Retryable. */
public final class ServiceUnavailableException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public ServiceUnavailableException(String message, int statusCode, String requestId) {
        super(ErrorCodes.SERVICE_UNAVAILABLE, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
