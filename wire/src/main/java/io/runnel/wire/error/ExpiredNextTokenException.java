package io.runnel.wire.error;

/** The pagination token has expired. */
public final class ExpiredNextTokenException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public ExpiredNextTokenException(String message, int statusCode, String requestId) {
        super(ErrorCodes.EXPIRED_NEXT_TOKEN, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
