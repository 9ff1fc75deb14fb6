package io.runnel.wire.auth;

/** No usable credentials: the message says where the provider looked and what it found. */
public final class CredentialsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CredentialsException(String message) {
        super(message);
    }

    public CredentialsException(String message, Throwable cause) {
        super(message, cause);
    }
}
