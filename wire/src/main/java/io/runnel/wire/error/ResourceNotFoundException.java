package io.runnel.wire.error;

/** The stream, shard or consumer does not exist (or is not ACTIVE yet). */
public final class ResourceNotFoundException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ResourceNotFoundException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ResourceNotFoundException(String message, int statusCode, String requestId) {
        super(ErrorCodes.RESOURCE_NOT_FOUND, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
