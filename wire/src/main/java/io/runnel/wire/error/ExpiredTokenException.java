package io.runnel.wire.error;

/** The session token has expired; refresh the credentials. */
public final class ExpiredTokenException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public ExpiredTokenException(String message, int statusCode, String requestId) {
        super(ErrorCodes.EXPIRED_TOKEN, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
