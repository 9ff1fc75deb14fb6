package io.runnel.wire.auth;

/**
 * Where the client gets the credentials it signs with, called before every request. Implementations are
 * thread-safe and cheap when the credentials have not changed.
 *
 * <p>Providers that fetch credentials over the network hold connections and an I/O thread once used; {@link #close()}
 * releases them. Closing the others does nothing.
 */
@FunctionalInterface
public interface CredentialsProvider extends AutoCloseable {
    /**
     * The credentials to sign with now. Called on the thread that sends the request; a provider that must fetch
     * credentials may block it while it does.
     *
     * @return the current credentials, never null
     * @throws CredentialsException when there are none
     */
    Credentials resolveCredentials();

    /** Releases connections and threads the provider holds; it may not be used afterwards. Idempotent. */
    @Override
    default void close() {
    }

    /**
     * Always the same credentials.
     *
     * @param credentials the credentials to return
     * @return a {@link StaticCredentialsProvider}
     * @throws NullPointerException when {@code credentials} is null
     */
    static CredentialsProvider of(Credentials credentials) {
        return new StaticCredentialsProvider(credentials);
    }
}
