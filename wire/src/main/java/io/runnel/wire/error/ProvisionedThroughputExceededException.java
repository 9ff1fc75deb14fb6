package io.runnel.wire.error;

/** The shard's or stream's throughput limit refused the request. Retryable after a backoff. */
public final class ProvisionedThroughputExceededException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public ProvisionedThroughputExceededException(String message, int statusCode, String requestId) {
        super(ErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
