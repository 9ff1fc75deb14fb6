package io.runnel.wire.error;

/** The request does not satisfy the API's constraints (missing field, out-of-range value, bad pattern). */
public final class ValidationException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ValidationException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ValidationException(String message, int statusCode, String requestId) {
        super(ErrorCodes.VALIDATION, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
