package io.runnel.wire.error;

/**
 * The request's credentials or signature were refused: unknown access key, incomplete or wrong signature, missing
 * authentication. {@link #errorCode()} tells which. Not retryable with the same credentials.
 */
public final class AuthenticationException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    /**
     * The exception for an authentication error answer.
     *
     * @param errorCode  which one, e.g. {@code UnrecognizedClientException}
     * @param message    the service's message, or null to use the error code
     * @param statusCode the HTTP status
     * @param requestId  the service's request id, or null
     */
    public AuthenticationException(String errorCode, String message, int statusCode, String requestId) {
        super(errorCode, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
