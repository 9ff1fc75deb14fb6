package io.runnel.wire.error;

/** The resource exists but is busy or in the wrong state for this request. */
public final class ResourceInUseException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public ResourceInUseException(String message, int statusCode, String requestId) {
        super(ErrorCodes.RESOURCE_IN_USE, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
