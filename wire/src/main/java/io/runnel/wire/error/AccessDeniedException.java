package io.runnel.wire.error;

/** The credentials are not allowed to do this. */
public final class AccessDeniedException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code AccessDeniedException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public AccessDeniedException(String message, int statusCode, String requestId) {
        super(ErrorCodes.ACCESS_DENIED, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
