package io.runnel.wire.auth;

import java.util.Objects;

/** Always the same credentials. Thread-safe. */
public final class StaticCredentialsProvider implements CredentialsProvider {
    private final Credentials credentials;

    /**
     * A provider of {@code credentials}.
     *
     * @param credentials what {@link #resolveCredentials()} returns
     * @throws NullPointerException when {@code credentials} is null
     */
    public StaticCredentialsProvider(Credentials credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    @Override
    public Credentials resolveCredentials() {
        return credentials;
    }

    @Override
    public String toString() {
        return "StaticCredentialsProvider[" + credentials + "]";
    }
}
