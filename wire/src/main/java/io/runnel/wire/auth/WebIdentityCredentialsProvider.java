package io.runnel.wire.auth;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Credentials of a role assumed with a web identity token, as EKS IAM roles for service accounts (IRSA) set up: the
 * token is read from {@code AWS_WEB_IDENTITY_TOKEN_FILE} (again for every fetch, as Kubernetes rotates it) and
 * exchanged for credentials of {@code AWS_ROLE_ARN} with STS {@code AssumeRoleWithWebIdentity}; the session is named
 * {@code AWS_ROLE_SESSION_NAME}, or {@code runnel-<millis>} when that is not set.
 *
 * <p>The call is an unsigned Query-protocol POST to {@code https://sts.REGION.amazonaws.com} (region from
 * {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}; {@code amazonaws.com.cn} for {@code cn-} regions; the global
 * {@code https://sts.amazonaws.com} when neither is set), or to the endpoint configured for {@code STS} (see
 * {@link AwsEnvironment#endpointUrl(String)}, over these variables, this process's system properties and
 * {@code ~/.aws/config}) when set. An STS error becomes a {@link CredentialsException} whose message and
 * {@link CredentialsException#errorCode()} name the STS code.
 *
 * <p>When {@code AWS_WEB_IDENTITY_TOKEN_FILE} or {@code AWS_ROLE_ARN} is not set, {@link #resolveCredentials()} fails
 * at once, without network I/O. Credentials are cached and fetched again in the background ahead of their
 * expiration (see {@link RefreshingCredentialsProvider}).
 *
 * <p>A profile with {@code web_identity_token_file} and {@code role_arn} uses the same exchange with the profile's
 * values (see {@link ProfileCredentialsProvider}).
 *
 * <p>Thread-safe. {@link #close()} releases the connection and I/O thread once STS was called.
 */
public final class WebIdentityCredentialsProvider extends FetchingCredentialsProvider {
    static final String TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
    static final String ROLE_ARN = "AWS_ROLE_ARN";
    static final String ROLE_SESSION_NAME = "AWS_ROLE_SESSION_NAME";
    private static final String ACTION = "AssumeRoleWithWebIdentity";

    /**
     * What one exchange needs.
     *
     * @param source      names the source in messages
     * @param tokenLabel  names where the token file path came from, in messages
     * @param sessionName the session name, or null for the generated one
     */
    record Settings(String source, String tokenLabel, String tokenFile, String roleArn, String sessionName,
            URI endpoint) {
    }

    private final Supplier<Settings> settings;
    private final String generatedSessionName;

    /** Reads the process environment; refreshes on the system clock. */
    public WebIdentityCredentialsProvider() {
        this(System.getenv(), Clock.systemUTC());
    }

    /**
     * @param environment the environment variables to read (for tests and embedding), read again for every fetch
     * @param clock       the clock expirations are compared with (and the generated session name is taken from)
     */
    public WebIdentityCredentialsProvider(Map<String, String> environment, Clock clock) {
        this(environment, clock, io.runnel.wire.TransportOptions.DEFAULT);
    }

    /**
     * @param environment the environment variables to read, read again for every fetch
     * @param clock       the clock expirations are compared with (and the generated session name is taken from)
     * @param options     the proxy and extra CA certificates STS is reached with
     */
    public WebIdentityCredentialsProvider(Map<String, String> environment, Clock clock,
            io.runnel.wire.TransportOptions options) {
        this(fromEnvironment(Objects.requireNonNull(environment, "environment")), clock, Duration.ofSeconds(3),
                Duration.ofSeconds(10), null, options);
    }

    WebIdentityCredentialsProvider(Map<String, String> environment, Clock clock, Duration connectTimeout,
            Duration requestTimeout, Executor prefetchExecutor) {
        this(fromEnvironment(Objects.requireNonNull(environment, "environment")), clock, connectTimeout,
                requestTimeout, prefetchExecutor);
    }

    /** The exchange with fixed or computed settings (a profile's values, say). */
    WebIdentityCredentialsProvider(Supplier<Settings> settings, Clock clock, Duration connectTimeout,
            Duration requestTimeout, Executor prefetchExecutor) {
        this(settings, clock, connectTimeout, requestTimeout, prefetchExecutor,
                io.runnel.wire.TransportOptions.DEFAULT);
    }

    WebIdentityCredentialsProvider(Supplier<Settings> settings, Clock clock, Duration connectTimeout,
            Duration requestTimeout, Executor prefetchExecutor, io.runnel.wire.TransportOptions options) {
        super(clock, connectTimeout, requestTimeout, prefetchExecutor, options);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.generatedSessionName = "runnel-" + clock.millis();
    }

    private static Supplier<Settings> fromEnvironment(Map<String, String> environment) {
        return () -> {
            String source = "web identity";
            String tokenFile = EnvironmentCredentialsProvider.trimToNull(environment.get(TOKEN_FILE));
            String roleArn = EnvironmentCredentialsProvider.trimToNull(environment.get(ROLE_ARN));
            if (tokenFile == null || roleArn == null) {
                throw new CredentialsException(source + ": " + (tokenFile == null ? TOKEN_FILE : ROLE_ARN)
                        + " is not set");
            }
            return new Settings(source, TOKEN_FILE, tokenFile, roleArn,
                    EnvironmentCredentialsProvider.trimToNull(environment.get(ROLE_SESSION_NAME)),
                    StsCredentials.endpoint(AwsEnvironment.forVariables(environment),
                            StsCredentials.environmentRegion(environment), source));
        };
    }

    /**
     * @throws CredentialsException when the variables are not set, the token file cannot be read, STS cannot be
     *                              reached, or STS answers with an error (its code in
     *                              {@link CredentialsException#errorCode()})
     */
    @Override
    public Credentials resolveCredentials() {
        return super.resolveCredentials();
    }

    @Override
    Credentials fetch() {
        Settings s = settings.get();
        String token;
        try {
            token = Files.readString(Path.of(s.tokenFile()), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            throw new CredentialsException(s.source() + ": cannot read " + s.tokenLabel() + " " + s.tokenFile()
                    + ": " + e, e);
        }
        if (token.isEmpty()) {
            throw new CredentialsException(s.source() + ": " + s.tokenLabel() + " " + s.tokenFile() + " is empty");
        }
        String form = "Action=" + ACTION + "&Version=2011-06-15"
                + "&RoleArn=" + StsCredentials.formEncode(s.roleArn())
                + "&RoleSessionName=" + StsCredentials.formEncode(s.sessionName() == null ? generatedSessionName
                        : s.sessionName())
                + "&WebIdentityToken=" + StsCredentials.formEncode(token);
        CredentialsHttpClient.Response r;
        try {
            r = http.send("POST", s.endpoint(),
                    Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
                    form.getBytes(StandardCharsets.UTF_8));
        } catch (CredentialsException e) {
            throw new CredentialsException(s.source() + ": " + e.getMessage(), e.getCause());
        }
        return StsCredentials.read(r, ACTION, s.roleArn(), s.endpoint(), s.source());
    }

    /** The STS endpoint: the override variables, else the region's endpoint, else the global one. */
    URI endpoint() {
        return settings.get().endpoint();
    }

    @Override
    public String toString() {
        return "WebIdentityCredentialsProvider";
    }
}
