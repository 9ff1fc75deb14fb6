package io.runnel.wire.auth;

/**
 * Where the client gets the credentials it signs with, called before every request. Implementations are
 * thread-safe and cheap when the credentials have not changed.
 */
@FunctionalInterface
public interface CredentialsProvider {
    /**
     * The credentials to sign with now.
     *
     * @throws CredentialsException when there are none
     */
    Credentials resolveCredentials();

    /** Always the same credentials. */
    static CredentialsProvider of(Credentials credentials) {
        return new StaticCredentialsProvider(credentials);
    }
}
