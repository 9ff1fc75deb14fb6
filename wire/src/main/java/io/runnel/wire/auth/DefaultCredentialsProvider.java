package io.runnel.wire.auth;

import java.util.ArrayList;
import java.util.List;

/**
 * The first provider that has credentials: the environment, then the shared profile files. When none has any, the
 * error lists what each one said. Thread-safe.
 */
public final class DefaultCredentialsProvider implements CredentialsProvider {
    private final List<CredentialsProvider> chain;

    /** Environment, then profile files. */
    public DefaultCredentialsProvider() {
        this(List.of(new EnvironmentCredentialsProvider(), new ProfileCredentialsProvider()));
    }

    /** A chain of the given providers, tried in order. */
    public DefaultCredentialsProvider(List<CredentialsProvider> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain needs at least one provider");
        }
        this.chain = List.copyOf(chain);
    }

    @Override
    public Credentials resolveCredentials() {
        List<String> reasons = new ArrayList<>();
        for (CredentialsProvider p : chain) {
            try {
                return p.resolveCredentials();
            } catch (CredentialsException e) {
                reasons.add(e.getMessage());
            }
        }
        throw new CredentialsException("no AWS credentials found: " + String.join("; ", reasons));
    }
}
