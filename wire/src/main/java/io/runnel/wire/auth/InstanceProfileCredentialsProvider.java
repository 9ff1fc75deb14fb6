package io.runnel.wire.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credentials of the IAM role attached to the EC2 instance, from the instance metadata service (IMDSv2).
 *
 * <p>A session token comes from {@code PUT /latest/api/token} (header {@code X-aws-ec2-metadata-token-ttl-seconds:
 * 21600}) and is sent as {@code X-aws-ec2-metadata-token} with {@code GET /latest/meta-data/iam/security-credentials/}
 * (the role name) and {@code GET /latest/meta-data/iam/security-credentials/ROLE} (the credentials, JSON). The token is
 * kept until shortly before its TTL; a {@code 401} answer gets a new token, once. When the token request is answered
 * {@code 403}, {@code 404} or {@code 405}, the metadata is read without a token (IMDSv1) unless
 * {@code AWS_EC2_METADATA_V1_DISABLED} is {@code true}; other failures of the token request are errors.
 *
 * <p>The endpoint is {@code http://169.254.169.254}, or {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, or
 * {@code http://[fd00:ec2::254]} when {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE} is {@code IPv6}.
 * {@code AWS_EC2_METADATA_DISABLED=true} turns the provider off (it fails at once, without network I/O). Connecting
 * times out after 1 second, so that off EC2 a chain moves on quickly.
 *
 * <p>Credentials are cached and fetched again in the background ahead of their expiration (see
 * {@link RefreshingCredentialsProvider}).
 * Thread-safe. {@link #close()} releases the connection and I/O thread once the endpoint was used.
 */
public final class InstanceProfileCredentialsProvider extends FetchingCredentialsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceProfileCredentialsProvider.class);
    static final String DISABLED = "AWS_EC2_METADATA_DISABLED";
    static final String V1_DISABLED = "AWS_EC2_METADATA_V1_DISABLED";
    static final String ENDPOINT = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
    static final String ENDPOINT_MODE = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
    static final String DEFAULT_ENDPOINT = "http://169.254.169.254";
    static final String IPV6_ENDPOINT = "http://[fd00:ec2::254]";
    static final String TOKEN_PATH = "/latest/api/token";
    static final String CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";
    static final String TOKEN_TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
    static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
    private static final Duration TOKEN_TTL = Duration.ofHours(6);
    /** A token is replaced this long before its TTL ends. */
    private static final Duration TOKEN_MARGIN = Duration.ofMinutes(1);
    private static final String SOURCE = "instance profile";

    private final Map<String, String> environment;
    private final Clock clock;
    /** How long an unreachable metadata service is not asked again. */
    static final Duration UNREACHABLE_MEMORY = Duration.ofMinutes(1);
    private final Object tokenLock = new Object();
    private String token; // guarded by tokenLock; null when none is held
    private Instant tokenRenewAt; // guarded by tokenLock
    /**
     * Off EC2 nothing answers: after a connection to the metadata service fails, calls fail at once until then
     * (null: ask), so a chain with no credentials anywhere does not wait a connect timeout on every request.
     */
    private volatile Instant unreachableUntil;
    private volatile String unreachableReason;

    /** Reads the process environment; refreshes on the system clock. */
    public InstanceProfileCredentialsProvider() {
        this(System.getenv(), Clock.systemUTC());
    }

    /**
     * @param environment the environment variables to read (for tests and embedding), read again for every fetch
     * @param clock       the clock expirations are compared with
     */
    public InstanceProfileCredentialsProvider(Map<String, String> environment, Clock clock) {
        this(environment, clock, Duration.ofSeconds(1), Duration.ofSeconds(2), null);
    }

    InstanceProfileCredentialsProvider(Map<String, String> environment, Clock clock, Duration connectTimeout,
            Duration requestTimeout, Executor prefetchExecutor) {
        // Link-local (or loopback) endpoints: never through a proxy.
        super(clock, connectTimeout, requestTimeout, prefetchExecutor, io.runnel.wire.TransportOptions.DEFAULT);
        this.environment = Objects.requireNonNull(environment, "environment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws CredentialsException when the provider is disabled, the metadata service cannot be reached, no role is
     *                              attached, or the answers hold no credentials
     */
    @Override
    public Credentials resolveCredentials() {
        return super.resolveCredentials();
    }

    @Override
    Credentials fetch() {
        Instant until = unreachableUntil;
        if (until != null && clock.instant().isBefore(until)) {
            throw new CredentialsException(unreachableReason + " (not asked again until " + until + ")");
        }
        if (isTrue(DISABLED)) {
            throw new CredentialsException(SOURCE + ": " + DISABLED + " is true");
        }
        String base = endpoint();
        CredentialsHttpClient.Response roles = getMetadata(base, CREDENTIALS_PATH);
        String role = roles.text().lines().map(String::strip).filter(s -> !s.isEmpty()).findFirst().orElse(null);
        if (role == null) {
            throw new CredentialsException(SOURCE + ": GET " + base + CREDENTIALS_PATH + " names no role");
        }
        CredentialsHttpClient.Response creds = getMetadata(base, CREDENTIALS_PATH + role);
        Map<String, String> fields = CredentialsDocuments.jsonFields(creds.body(), SOURCE);
        String code = fields.get("Code");
        if (code != null && !code.equals("Success")) {
            throw new CredentialsException(SOURCE + ": credentials of role " + role + " are not available: " + code
                    + (fields.containsKey("Message") ? ": " + fields.get("Message") : ""));
        }
        return CredentialsDocuments.credentials(fields, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
                SOURCE);
    }

    /** GET with the session token (none in IMDSv1 fallback); a 401 gets a new token and one more try. */
    private CredentialsHttpClient.Response getMetadata(String base, String path) {
        String t = token(base, false);
        CredentialsHttpClient.Response r = get(base, path, t);
        if (r.status() == 401) {
            LOG.debug("IMDS answered 401 to GET {}: fetching a new session token", path);
            t = token(base, true);
            r = get(base, path, t);
        }
        if (r.status() == 200) {
            return r;
        }
        if (r.status() == 404 && path.equals(CREDENTIALS_PATH)) {
            throw new CredentialsException(SOURCE + ": no IAM role is attached to this instance (GET " + base + path
                    + " answered 404)");
        }
        throw new CredentialsException(SOURCE + ": GET " + base + path + " answered HTTP " + r.status()
                + (t == null ? " (IMDSv1, without a token)" : "") + ": " + r.excerpt());
    }

    private CredentialsHttpClient.Response get(String base, String path, String sessionToken) {
        Map<String, String> headers = sessionToken == null ? Map.of() : Map.of(TOKEN_HEADER, sessionToken);
        return send("GET", base + path, headers);
    }

    /**
     * The session token: the held one unless {@code renew} or near its TTL, else a new one. Null means IMDSv1: the
     * token request was answered 403, 404 or 405 and v1 is not disabled.
     */
    private String token(String base, boolean renew) {
        synchronized (tokenLock) {
            Instant now = clock.instant();
            if (!renew && token != null && now.isBefore(tokenRenewAt)) {
                return token;
            }
            token = null;
            CredentialsHttpClient.Response r;
            try {
                r = send("PUT", base + TOKEN_PATH, Map.of(TOKEN_TTL_HEADER, Long.toString(TOKEN_TTL.toSeconds())));
            } catch (CredentialsException e) {
                if (e.getCause() instanceof io.runnel.wire.error.KinesisTransportException t
                        && (t.kind() == io.runnel.wire.error.KinesisTransportException.Kind.CONNECT_FAILED
                        || t.kind() == io.runnel.wire.error.KinesisTransportException.Kind.CONNECT_TIMEOUT)) {
                    unreachableReason = e.getMessage();
                    unreachableUntil = now.plus(UNREACHABLE_MEMORY);
                }
                throw e;
            }
            unreachableUntil = null;
            int status = r.status();
            if (status == 200) {
                String t = r.text().strip();
                if (t.isEmpty() || t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
                    throw new CredentialsException(SOURCE + ": PUT " + base + TOKEN_PATH
                            + " answered an empty or malformed token");
                }
                token = t;
                tokenRenewAt = now.plus(TOKEN_TTL).minus(TOKEN_MARGIN);
                return t;
            }
            if (status == 403 || status == 404 || status == 405) {
                if (isTrue(V1_DISABLED)) {
                    throw new CredentialsException(SOURCE + ": PUT " + base + TOKEN_PATH + " answered HTTP " + status
                            + " and " + V1_DISABLED + " is true, so IMDSv1 (no token) is not tried");
                }
                LOG.debug("IMDS token request answered {}: falling back to IMDSv1", status);
                return null;
            }
            throw new CredentialsException(SOURCE + ": PUT " + base + TOKEN_PATH + " answered HTTP " + status + ": "
                    + r.excerpt());
        }
    }

    private CredentialsHttpClient.Response send(String method, String url, Map<String, String> headers) {
        try {
            return http.send(method, new URI(url), headers, method.equals("PUT") ? new byte[0] : null);
        } catch (URISyntaxException e) {
            throw new CredentialsException(SOURCE + ": not a URI: " + url, e);
        } catch (CredentialsException e) {
            throw new CredentialsException(SOURCE + ": " + e.getMessage(), e.getCause());
        }
    }

    /** The endpoint without a trailing slash. */
    String endpoint() {
        return endpoint(environment);
    }

    /**
     * The metadata service endpoint the environment names, without a trailing slash.
     *
     * @throws CredentialsException when the endpoint or its mode is not valid
     */
    static String endpoint(Map<String, String> environment) {
        String configured = EnvironmentCredentialsProvider.trimToNull(environment.get(ENDPOINT));
        String base;
        if (configured != null) {
            base = configured;
        } else {
            String mode = EnvironmentCredentialsProvider.trimToNull(environment.get(ENDPOINT_MODE));
            if (mode == null || mode.equalsIgnoreCase("IPv4")) {
                base = DEFAULT_ENDPOINT;
            } else if (mode.equalsIgnoreCase("IPv6")) {
                base = IPV6_ENDPOINT;
            } else {
                throw new CredentialsException(SOURCE + ": " + ENDPOINT_MODE + " must be IPv4 or IPv6, was " + mode);
            }
        }
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String lower = base.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            throw new CredentialsException(SOURCE + ": " + ENDPOINT + " must be an http or https URL, was " + base);
        }
        return base;
    }

    private boolean isTrue(String variable) {
        return isTrue(environment, variable);
    }

    static boolean isTrue(Map<String, String> environment, String variable) {
        String v = EnvironmentCredentialsProvider.trimToNull(environment.get(variable));
        return v != null && v.toLowerCase(Locale.ROOT).equals("true");
    }


    @Override
    public String toString() {
        return "InstanceProfileCredentialsProvider";
    }
}
