package io.runnel.wire.error;

/** The shard iterator has expired; get a new one. */
public final class ExpiredIteratorException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public ExpiredIteratorException(String message, int statusCode, String requestId) {
        super(ErrorCodes.EXPIRED_ITERATOR, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
