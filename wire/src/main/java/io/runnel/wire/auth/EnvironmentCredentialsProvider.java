package io.runnel.wire.auth;

import java.util.Map;
import java.util.Objects;

/**
 * Credentials from {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and optionally {@code AWS_SESSION_TOKEN}.
 * Thread-safe; reads the environment on every call.
 */
public final class EnvironmentCredentialsProvider implements CredentialsProvider {
    private final Map<String, String> environment;

    /** Reads the process environment. */
    public EnvironmentCredentialsProvider() {
        this(System.getenv());
    }

    /**
     * Reads {@code environment} (for tests and embedding).
     *
     * @param environment the variables, read on every call
     * @throws NullPointerException when {@code environment} is null
     */
    public EnvironmentCredentialsProvider(Map<String, String> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public Credentials resolveCredentials() {
        String id = trimToNull(environment.get("AWS_ACCESS_KEY_ID"));
        String secret = trimToNull(environment.get("AWS_SECRET_ACCESS_KEY"));
        if (id == null || secret == null) {
            throw new CredentialsException("environment: "
                    + (id == null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY")
                    + " is not set");
        }
        return new Credentials(id, secret, trimToNull(environment.get("AWS_SESSION_TOKEN")), null);
    }

    @Override
    public String toString() {
        return "EnvironmentCredentialsProvider";
    }

    static String trimToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
