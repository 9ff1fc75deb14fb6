package io.runnel.wire.error;

/** The shard's or stream's throughput limit refused the request. Retryable after a backoff. */
public final class ProvisionedThroughputExceededException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ProvisionedThroughputExceededException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ProvisionedThroughputExceededException(String message, int statusCode, String requestId) {
        super(ErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return true;
    }
}
