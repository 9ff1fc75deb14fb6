package io.runnel.wire.error;

/** The session token has expired; refresh the credentials. */
public final class ExpiredTokenException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ExpiredTokenException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ExpiredTokenException(String message, int statusCode, String requestId) {
        super(ErrorCodes.EXPIRED_TOKEN, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
