package io.runnel.wire.error;

/** The account's request rate was throttled. Retryable after a backoff. */
public final class ThrottlingException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public ThrottlingException(String message, int statusCode, String requestId) {
        super(ErrorCodes.THROTTLING, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
