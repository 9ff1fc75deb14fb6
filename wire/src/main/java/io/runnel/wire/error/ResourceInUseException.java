package io.runnel.wire.error;

/** The resource exists but is busy or in the wrong state for this request. */
public final class ResourceInUseException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ResourceInUseException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ResourceInUseException(String message, int statusCode, String requestId) {
        super(ErrorCodes.RESOURCE_IN_USE, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
