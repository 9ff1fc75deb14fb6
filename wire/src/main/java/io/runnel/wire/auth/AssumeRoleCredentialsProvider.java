package io.runnel.wire.auth;

import io.runnel.wire.internal.ClockSkew;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Credentials of a role assumed with STS {@code AssumeRole}, as a profile with {@code role_arn} asks for: a
 * SigV4-signed (service {@code sts}) Query-protocol POST with the credentials of a source provider (another profile,
 * or the environment, instance metadata or container endpoint). Cached and fetched again ahead of expiry (see
 * {@link FetchingCredentialsProvider}); an STS error becomes a {@link CredentialsException} carrying its code.
 *
 * <p>Thread-safe. {@link #close()} closes the source provider too.
 */
public final class AssumeRoleCredentialsProvider extends FetchingCredentialsProvider {
    private static final String ACTION = "AssumeRole";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Assumes {@code roleArn} with {@code source}'s credentials (as the Kinesis Agent's {@code assumeRoleARN} asks),
     * at {@code stsEndpoint}, else the endpoint configured for {@code STS} ({@link AwsEnvironment#endpointUrl(String)}
     * over {@code environment}, this process's system properties and {@code ~/.aws/config}),
     * else the STS endpoint of {@code region} (else of {@code AWS_REGION} / {@code AWS_DEFAULT_REGION}, else the
     * global one). The role's credentials are fetched on first use and again ahead of expiry, on the provider's own
     * thread. Owns {@code source}: closing the result closes it; so does a failure here.
     *
     * @param source      the credentials that call STS AssumeRole
     * @param roleArn     the ARN of the role to assume
     * @param sessionName the session name, or null for {@code runnel-<millis>}
     * @param externalId  the external id, or null
     * @param region      the region whose STS endpoint is called and signed for, or null
     * @param stsEndpoint the STS endpoint, or null
     * @param environment the environment variables to read ({@code System.getenv()} in production)
     * @return the provider, which has not called STS yet
     * @throws NullPointerException when {@code source} or {@code roleArn} is null
     * @throws CredentialsException when the endpoint or region is not usable
     */
    public static AssumeRoleCredentialsProvider assumeRole(CredentialsProvider source, String roleArn,
            String sessionName, String externalId, String region, URI stsEndpoint, Map<String, String> environment) {
        Objects.requireNonNull(source, "source");
        try {
            String label = "role " + Objects.requireNonNull(roleArn, "roleArn");
            String r = region != null ? region : StsCredentials.environmentRegion(environment);
            URI endpoint = stsEndpoint != null ? stsEndpoint
                    : StsCredentials.endpoint(AwsEnvironment.forVariables(environment), r, label);
            String signingRegion = r == null ? StsCredentials.GLOBAL_REGION : StsCredentials.checkedRegion(r, label);
            return new AssumeRoleCredentialsProvider(source, new Settings(label, roleArn, sessionName, externalId,
                    null, endpoint, signingRegion), Clock.systemUTC(), CONNECT_TIMEOUT, REQUEST_TIMEOUT, null);
        } catch (RuntimeException e) {
            source.close();
            throw e;
        }
    }

    /**
     * What to assume.
     *
     * @param source          names the source in messages (the profile)
     * @param roleArn         the role
     * @param sessionName     the session name, or null for {@code runnel-<millis>}
     * @param externalId      the external id, or null
     * @param durationSeconds the session duration, or null for STS's default (one hour)
     * @param endpoint        the STS endpoint
     * @param signingRegion   the region requests are signed for
     */
    record Settings(String source, String roleArn, String sessionName, String externalId, Integer durationSeconds,
            URI endpoint, String signingRegion) {
        Settings {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(roleArn, "roleArn");
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(signingRegion, "signingRegion");
        }
    }

    private final CredentialsProvider sourceCredentials;
    private final Settings settings;
    private final Clock clock;
    private final SigV4Signer signer;
    private final ClockSkew clockSkew = new ClockSkew();
    private final String generatedSessionName;

    AssumeRoleCredentialsProvider(CredentialsProvider sourceCredentials, Settings settings, Clock clock,
            Duration connectTimeout, Duration requestTimeout, Executor prefetchExecutor) {
        this(sourceCredentials, settings, clock, connectTimeout, requestTimeout, prefetchExecutor,
                io.runnel.wire.TransportOptions.DEFAULT);
    }

    /** @param options the proxy and extra CA certificates STS is reached with */
    AssumeRoleCredentialsProvider(CredentialsProvider sourceCredentials, Settings settings, Clock clock,
            Duration connectTimeout, Duration requestTimeout, Executor prefetchExecutor,
            io.runnel.wire.TransportOptions options) {
        super(clock, connectTimeout, requestTimeout, prefetchExecutor, options);
        this.sourceCredentials = Objects.requireNonNull(sourceCredentials, "sourceCredentials");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = clock;
        this.signer = new SigV4Signer(settings.signingRegion(), "sts");
        this.generatedSessionName = "runnel-" + clock.millis();
    }

    @Override
    Credentials fetch() {
        Credentials source;
        try {
            source = sourceCredentials.resolveCredentials();
        } catch (CredentialsException e) {
            throw new CredentialsException(settings.source() + ": no credentials to call AssumeRole with: "
                    + e.getMessage(), e.errorCode(), e);
        }
        StringBuilder form = new StringBuilder("Action=" + ACTION + "&Version=2011-06-15")
                .append("&RoleArn=").append(StsCredentials.formEncode(settings.roleArn()))
                .append("&RoleSessionName=").append(StsCredentials.formEncode(settings.sessionName() == null
                        ? generatedSessionName : settings.sessionName()));
        if (settings.durationSeconds() != null) {
            form.append("&DurationSeconds=").append(settings.durationSeconds());
        }
        if (settings.externalId() != null) {
            form.append("&ExternalId=").append(StsCredentials.formEncode(settings.externalId()));
        }
        byte[] body = form.toString().getBytes(StandardCharsets.UTF_8);
        for (boolean first = true;; first = false) {
            Instant signedAt = clockSkew.now(clock);
            CredentialsHttpClient.Response r = send(body, source, signedAt);
            try {
                return StsCredentials.read(r, ACTION, settings.roleArn(), settings.endpoint(), settings.source());
            } catch (CredentialsException e) {
                // STS refuses a signing time more than minutes off its clock: once with its time, as Kinesis calls do
                if (!first || clockSkew.refusedForItsTime(e.errorCode(), r.date(), signedAt, clock.instant()) == 0) {
                    throw e;
                }
            }
        }
    }

    private CredentialsHttpClient.Response send(byte[] body, Credentials source, Instant signedAt) {
        URI endpoint = settings.endpoint();
        String contentType = "application/x-www-form-urlencoded; charset=utf-8";
        String path = endpoint.getPath() == null || endpoint.getPath().isEmpty() ? "/" : endpoint.getPath();
        SignableRequest toSign = new SignableRequest("POST", path, endpoint.getRawQuery(),
                List.of(Map.entry("Host", CredentialsHttpClient.hostHeader(endpoint)),
                        Map.entry("Content-Type", contentType)), ByteBuffer.wrap(body));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.putAll(signer.sign(toSign, source, signedAt));
        try {
            return http.send("POST", endpoint, headers, body);
        } catch (CredentialsException e) {
            throw new CredentialsException(settings.source() + ": " + e.getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        super.close();
        sourceCredentials.close();
    }

    @Override
    public String toString() {
        return "AssumeRoleCredentialsProvider[" + settings.roleArn() + " from " + sourceCredentials + "]";
    }
}
