package io.runnel.wire.error;

/** The pagination token has expired. */
public final class ExpiredNextTokenException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an {@code ExpiredNextTokenException} answer.
     *
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id ({@code x-amzn-RequestId}), or null
     */
    public ExpiredNextTokenException(String message, int statusCode, String requestId) {
        super(ErrorCodes.EXPIRED_NEXT_TOKEN, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
