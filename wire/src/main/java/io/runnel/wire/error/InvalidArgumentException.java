package io.runnel.wire.error;

/** A parameter has a value the service does not accept. */
public final class InvalidArgumentException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message, int statusCode, String requestId) {
        super(ErrorCodes.INVALID_ARGUMENT, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
