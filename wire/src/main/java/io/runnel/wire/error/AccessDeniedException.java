package io.runnel.wire.error;

/** The credentials are not allowed to do this. */
public final class AccessDeniedException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public AccessDeniedException(String message, int statusCode, String requestId) {
        super(ErrorCodes.ACCESS_DENIED, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
