package io.runnel.wire.auth;

/**
 * No usable credentials: the message says where the provider looked and what it found. When a credentials service
 * answered with an error (an STS error code, for instance), {@link #errorCode()} holds its code.
 */
public final class CredentialsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The error code a credentials service answered with, or null. */
    private final String errorCode;

    /**
     * An error without a cause or error code.
     *
     * @param message where the provider looked and what it found
     */
    public CredentialsException(String message) {
        this(message, null, null);
    }

    /**
     * An error caused by another, without an error code.
     *
     * @param message where the provider looked and what it found
     * @param cause   the failure that left no credentials (I/O, parsing), or null
     */
    public CredentialsException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /**
     * An error a credentials service answered with.
     *
     * @param message   where the provider looked and what it found
     * @param errorCode the error code a credentials service answered with, or null
     * @param cause     the underlying failure, or null
     */
    public CredentialsException(String message, String errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** @return the error code a credentials service answered with (e.g. STS {@code InvalidIdentityToken}), or null */
    public String errorCode() {
        return errorCode;
    }
}
