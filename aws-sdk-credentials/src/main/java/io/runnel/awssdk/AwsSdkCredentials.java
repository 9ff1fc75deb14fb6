package io.runnel.awssdk;

import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsException;
import io.runnel.wire.auth.CredentialsProvider;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * A Runnel {@link CredentialsProvider} backed by an AWS SDK v2 credentials provider, for applications that already
 * configure the SDK (a role chain, a custom provider, {@code DefaultCredentialsProvider}):
 *
 * <pre>{@code
 * // software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider, not Runnel's own default chain
 * new KinesisProducer(config, AwsSdkCredentials.of(DefaultCredentialsProvider.builder().build()))
 * }</pre>
 *
 * <p>The SDK's {@code AwsSessionCredentials} become credentials with a session token, and the SDK's
 * {@code expirationTime()} their {@link Credentials#expiration() expiration}. Whatever the SDK provider throws (an
 * {@code SdkClientException} when nothing is found, an STS error, ...) comes back as a {@link CredentialsException}
 * with it as the cause.
 *
 * <p><b>Threads and caching.</b> Runnel asks for credentials before every request, on the thread that sends it: the
 * producer's {@code runnel-sender} thread (and {@code runnel-metrics-upload} for CloudWatch), or your own thread when
 * you call a {@code KinesisClient} directly. This adapter keeps no cache of its own and calls the SDK provider each
 * time, so it relies on the SDK provider's own caching: the SDK's refreshing providers
 * ({@code DefaultCredentialsProvider}, {@code StsAssumeRoleCredentialsProvider}, {@code InstanceProfileCredentialsProvider},
 * ...) answer from their cache and refresh ahead of expiry, which is cheap enough for every request. A provider that
 * does I/O on each call (an uncached custom one) would put that I/O on the sender thread: wrap it in the SDK's
 * {@code CachedSupplier} or use Runnel's {@code RefreshingCredentialsProvider} instead. An {@link IdentityProvider}'s
 * future is waited for on the same thread.
 *
 * <p>The adapter is thread-safe when the SDK provider is (the SDK's are). {@link #close()} does not close the SDK
 * provider: the application that built it owns it.
 */
public final class AwsSdkCredentials implements CredentialsProvider {
    private final Object source;
    private final Supplier<? extends AwsCredentialsIdentity> resolve;

    private AwsSdkCredentials(Object source, Supplier<? extends AwsCredentialsIdentity> resolve) {
        this.source = source;
        this.resolve = resolve;
    }

    /**
     * Signs with what {@code provider.resolveCredentials()} answers, each time it is asked.
     *
     * @param provider an AWS SDK v2 credentials provider; not closed by Runnel
     * @return a provider for Runnel's signer
     * @throws NullPointerException when {@code provider} is null
     */
    public static AwsSdkCredentials of(AwsCredentialsProvider provider) {
        Objects.requireNonNull(provider, "provider");
        return new AwsSdkCredentials(provider, provider::resolveCredentials);
    }

    /**
     * Signs with the identity {@code provider.resolveIdentity()} completes with, waiting for it on the calling thread.
     *
     * @param provider an AWS SDK v2 identity provider; not closed by Runnel
     * @return a provider for Runnel's signer
     * @throws NullPointerException when {@code provider} is null
     */
    public static AwsSdkCredentials of(IdentityProvider<? extends AwsCredentialsIdentity> provider) {
        Objects.requireNonNull(provider, "provider");
        if (provider instanceof AwsCredentialsProvider sdk) {
            return of(sdk); // synchronous, no future to wait for
        }
        return new AwsSdkCredentials(provider, () -> {
            CompletableFuture<? extends AwsCredentialsIdentity> identity = provider.resolveIdentity();
            if (identity == null) {
                return null;
            }
            try {
                return identity.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        });
    }

    /**
     * The SDK provider's current credentials, asked for on the calling thread.
     *
     * @return the access key, secret key, session token (if any) and expiration (if any) the SDK provider answered
     * @throws CredentialsException when the SDK provider throws (the cause), answers nothing, or answers an empty key
     */
    @Override
    public Credentials resolveCredentials() {
        AwsCredentialsIdentity identity;
        try {
            identity = resolve.get();
        } catch (RuntimeException e) {
            throw new CredentialsException("The AWS SDK credentials provider " + source + " failed: " + e.getMessage(),
                    e);
        }
        if (identity == null) {
            throw new CredentialsException("The AWS SDK credentials provider " + source + " returned no credentials");
        }
        String sessionToken = identity instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
        try {
            return new Credentials(identity.accessKeyId(), identity.secretAccessKey(), sessionToken,
                    identity.expirationTime().orElse(null));
        } catch (IllegalArgumentException e) {
            throw new CredentialsException("The AWS SDK credentials provider " + source
                    + " returned unusable credentials: " + e.getMessage(), e);
        }
    }

    /** Does nothing: the SDK provider belongs to the application, which closes it. */
    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "AwsSdkCredentials[" + source + "]";
    }
}
