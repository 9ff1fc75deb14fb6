package io.runnel.wire.error;

/**
 * The request's credentials or signature were refused: unknown access key, incomplete or wrong signature, missing
 * authentication. {@link #errorCode()} tells which. Not retryable with the same credentials.
 */
public final class AuthenticationException extends KinesisServiceException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String errorCode, String message, int statusCode, String requestId) {
        super(errorCode, message, statusCode, requestId);
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
