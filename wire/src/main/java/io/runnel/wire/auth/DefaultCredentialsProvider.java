package io.runnel.wire.auth;

import io.runnel.wire.TransportOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first provider that has credentials, in the order of the AWS SDK for Java 2.x default chain: system properties,
 * environment variables, web identity (EKS IRSA), the shared profile files, the container endpoint (ECS, EKS Pod
 * Identity), the EC2 instance metadata service. A source its environment says does not apply fails at once, without
 * network I/O; the instance metadata service, tried last, is asked unless {@code AWS_EC2_METADATA_DISABLED=true}.
 *
 * <p>Once a provider has answered, it is asked first on later calls (as the SDK does), so a chain ending at instance
 * metadata does not read the profile files for every request; if it then fails, the whole chain is tried again. When
 * no provider has credentials, the {@link CredentialsException} lists what each one said, with their exceptions as
 * suppressed exceptions.
 *
 * <p>Thread-safe. {@link #close()} closes every provider of the chain.
 */
public final class DefaultCredentialsProvider implements CredentialsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultCredentialsProvider.class);

    private final List<CredentialsProvider> chain;
    /** The provider that answered last, or null; volatile: read and set by any calling thread. */
    private volatile CredentialsProvider last;

    /** The SDK v2 default chain over the process environment, the system properties and the user's home. */
    public DefaultCredentialsProvider() {
        this(System.getenv(), System.getProperties(), Path.of(System.getProperty("user.home")), Clock.systemUTC());
    }

    /**
     * The SDK v2 default chain over the given environment (for tests and embedding).
     *
     * @param environment      environment variables
     * @param systemProperties system properties ({@code aws.accessKeyId} ...), read on every call
     * @param home             the user's home directory (for {@code ~/.aws/credentials} and {@code ~/.aws/config})
     * @param clock            the clock expirations are compared with
     */
    public DefaultCredentialsProvider(Map<String, String> environment, Properties systemProperties, Path home,
            Clock clock) {
        this(environment, systemProperties, home, clock, TransportOptions.DEFAULT);
    }

    /**
     * The SDK v2 default chain over the given environment, calling STS (web identity, {@code role_arn} profiles)
     * through {@code options}' proxy and trusting its CA certificates; the container endpoint and the instance
     * metadata service are always reached directly.
     *
     * @param environment      environment variables
     * @param systemProperties system properties ({@code aws.accessKeyId} ...), read on every call
     * @param home             the user's home directory (for {@code ~/.aws/credentials} and {@code ~/.aws/config})
     * @param clock            the clock expirations are compared with
     * @param options          the proxy and extra CA certificates for STS calls
     */
    public DefaultCredentialsProvider(Map<String, String> environment, Properties systemProperties, Path home,
            Clock clock, TransportOptions options) {
        this(List.of(new SystemPropertyCredentialsProvider(systemProperties),
                new EnvironmentCredentialsProvider(environment),
                new WebIdentityCredentialsProvider(environment, clock, options),
                new ProfileCredentialsProvider(environment, home, clock, options),
                new ContainerCredentialsProvider(environment, clock),
                new InstanceProfileCredentialsProvider(environment, clock)));
    }

    /**
     * A chain of the given providers, tried in order.
     *
     * @param chain the providers; closing this chain closes them
     * @throws IllegalArgumentException when {@code chain} is empty
     */
    public DefaultCredentialsProvider(List<CredentialsProvider> chain) {
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the chain needs at least one provider");
        }
        this.chain = List.copyOf(chain);
    }

    /**
     * @throws CredentialsException listing each provider's reason when none has credentials
     */
    @Override
    public Credentials resolveCredentials() {
        CredentialsProvider previous = last;
        List<CredentialsException> failures = new ArrayList<>();
        if (previous != null) {
            try {
                return previous.resolveCredentials();
            } catch (CredentialsException e) {
                failures.add(e);
                LOG.debug("credentials provider {} failed, trying the whole chain again: {}", previous,
                        e.getMessage());
            }
        }
        for (CredentialsProvider p : chain) {
            if (p == previous) {
                continue;
            }
            try {
                Credentials c = p.resolveCredentials();
                LOG.debug("credentials from {}", p);
                last = p;
                return c;
            } catch (CredentialsException e) {
                failures.add(e);
            }
        }
        List<String> reasons = new ArrayList<>(failures.size());
        failures.forEach(f -> reasons.add(f.getMessage()));
        CredentialsException e = new CredentialsException("no AWS credentials found: " + String.join("; ", reasons));
        failures.forEach(e::addSuppressed);
        throw e;
    }

    /** @return the provider that answered the last successful call, or null before one did (for diagnostics) */
    public CredentialsProvider lastSource() {
        return last;
    }

    /** The providers, in the order they are tried (for tests and diagnostics). */
    List<CredentialsProvider> chain() {
        return chain;
    }

    @Override
    public void close() {
        for (CredentialsProvider p : chain) {
            p.close();
        }
    }

    @Override
    public String toString() {
        return "DefaultCredentialsProvider" + chain;
    }
}
