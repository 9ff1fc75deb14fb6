package io.runnel.wire.error;

/** The service is temporarily unavailable. Retryable. */
public final class ServiceUnavailableException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ServiceUnavailableException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ServiceUnavailableException(String message, int statusCode, String requestId) {
        super(ErrorCodes.SERVICE_UNAVAILABLE, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
