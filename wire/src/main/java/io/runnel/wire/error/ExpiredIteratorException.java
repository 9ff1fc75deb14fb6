package io.runnel.wire.error;

/** The shard iterator has expired; get a new one. */
public final class ExpiredIteratorException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ExpiredIteratorException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ExpiredIteratorException(String message, int statusCode, String requestId) {
        super(ErrorCodes.EXPIRED_ITERATOR, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
