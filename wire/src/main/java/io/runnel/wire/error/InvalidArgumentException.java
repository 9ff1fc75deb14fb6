package io.runnel.wire.error;

/** A parameter has a value the service does not accept. */
public final class InvalidArgumentException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code InvalidArgumentException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public InvalidArgumentException(String message, int statusCode, String requestId) {
        super(ErrorCodes.INVALID_ARGUMENT, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
