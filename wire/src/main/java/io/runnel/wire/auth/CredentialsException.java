package io.runnel.wire.auth;

/**
 * No usable credentials: the message says where the provider looked and what it found. When a credentials service
 * answered with an error (an STS error code, for instance), {@link #errorCode()} holds its code.
 */
public final class CredentialsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorCode;

    public CredentialsException(String message) {
        this(message, null, null);
    }

    public CredentialsException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * @param errorCode the error code a credentials service answered with, or null
     */
    public CredentialsException(String message, String errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The error code a credentials service answered with (e.g. STS {@code InvalidIdentityToken}), or null. */
    public String errorCode() {
        return errorCode;
    }
}
