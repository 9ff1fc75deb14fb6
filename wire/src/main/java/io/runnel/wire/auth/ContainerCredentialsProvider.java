package io.runnel.wire.auth;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Credentials from a container credentials endpoint: the ECS agent (task IAM roles) or the EKS Pod Identity agent.
 *
 * <p>The endpoint is {@code http://169.254.170.2} followed by {@code AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}, or else
 * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. A full URI must be {@code https}, or {@code http} to a host the AWS SDKs
 * allow: one that resolves only to loopback addresses, or the ECS and EKS agent addresses {@code 169.254.170.2},
 * {@code 169.254.170.23} and {@code fd00:ec2::23}. The {@code Authorization} header is the content of
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE} (read again for every fetch, as EKS rotates it) or else
 * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}. The answer is JSON with {@code AccessKeyId}, {@code SecretAccessKey},
 * {@code Token} and {@code Expiration} (ISO-8601).
 *
 * <p>When neither URI variable is set, {@link #resolveCredentials()} fails at once, without network I/O. Credentials
 * are cached and fetched again in the background ahead of their expiration (see
 * {@link RefreshingCredentialsProvider}).
 *
 * <p>Thread-safe. {@link #close()} releases the connection and I/O thread once the endpoint was used.
 */
public final class ContainerCredentialsProvider extends FetchingCredentialsProvider {
    static final String RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
    static final String FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
    static final String AUTHORIZATION_TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
    static final String AUTHORIZATION_TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
    static final String ECS_ENDPOINT = "http://169.254.170.2";
    /** The agent addresses plain http may go to besides loopback (ECS; EKS Pod Identity IPv4 and IPv6). */
    private static final Set<String> AGENT_HOSTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23");
    private static final String SOURCE = "container";

    private final Map<String, String> environment;
    private final String relativeUriBase;

    /** Reads the process environment; refreshes on the system clock. */
    public ContainerCredentialsProvider() {
        this(System.getenv(), Clock.systemUTC());
    }

    /**
     * @param environment the environment variables to read (for tests and embedding), read again for every fetch
     * @param clock       the clock expirations are compared with
     */
    public ContainerCredentialsProvider(Map<String, String> environment, Clock clock) {
        this(environment, clock, ECS_ENDPOINT, Duration.ofSeconds(2), Duration.ofSeconds(5), null);
    }

    ContainerCredentialsProvider(Map<String, String> environment, Clock clock, String relativeUriBase,
            Duration connectTimeout, Duration requestTimeout,
            Executor prefetchExecutor) {
        // Link-local (or loopback) endpoints: never through a proxy.
        super(clock, connectTimeout, requestTimeout, prefetchExecutor, io.runnel.wire.TransportOptions.DEFAULT);
        this.environment = Objects.requireNonNull(environment, "environment");
        this.relativeUriBase = Objects.requireNonNull(relativeUriBase, "relativeUriBase");
    }

    /**
     * @throws CredentialsException when neither URI variable is set, the URI is refused, the token file cannot be
     *                              read, or the endpoint cannot be reached or answers without credentials
     */
    @Override
    public Credentials resolveCredentials() {
        return super.resolveCredentials();
    }

    @Override
    Credentials fetch() {
        URI uri = endpoint();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        String token = authorizationToken();
        if (token != null) {
            headers.put("Authorization", token);
        }
        CredentialsHttpClient.Response r;
        try {
            r = http.send("GET", uri, headers, null);
        } catch (CredentialsException e) {
            throw new CredentialsException(SOURCE + ": " + e.getMessage(), e.getCause());
        }
        if (r.status() != 200) {
            throw new CredentialsException(SOURCE + ": GET " + uri + " answered HTTP " + r.status() + ": "
                    + r.excerpt());
        }
        return CredentialsDocuments.credentials(CredentialsDocuments.jsonFields(r.body(), SOURCE), "AccessKeyId",
                "SecretAccessKey", "Token", "Expiration", SOURCE);
    }

    /** The URI to fetch from, checked against the hosts plain http may go to. */
    URI endpoint() {
        String relative = EnvironmentCredentialsProvider.trimToNull(environment.get(RELATIVE_URI));
        if (relative != null) {
            return parse(relativeUriBase + (relative.startsWith("/") ? "" : "/") + relative, RELATIVE_URI);
        }
        String full = EnvironmentCredentialsProvider.trimToNull(environment.get(FULL_URI));
        if (full == null) {
            throw new CredentialsException(SOURCE + ": neither " + RELATIVE_URI + " nor " + FULL_URI + " is set");
        }
        URI uri = parse(full, FULL_URI);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return uri;
        }
        if (!scheme.equals("http")) {
            throw new CredentialsException(SOURCE + ": " + FULL_URI + " must be an http or https URI, was " + full);
        }
        if (!isAllowedHttpHost(uri)) {
            throw new CredentialsException(SOURCE + ": " + FULL_URI + " " + full + " is plain http to host "
                    + uri.getHost() + ", which is neither a loopback address nor a container agent address ("
                    + String.join(", ", AGENT_HOSTS.stream().sorted().toList()) + "); use https for other hosts");
        }
        return uri;
    }

    private static URI parse(String value, String variable) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null) {
                throw new CredentialsException(SOURCE + ": " + variable + " gives no host: " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new CredentialsException(SOURCE + ": " + variable + " is not a URI: " + value, e);
        }
    }

    /** Plain http may go to a container agent address, or to a host whose every address is loopback. */
    static boolean isAllowedHttpHost(URI uri) {
        String host = CredentialsHttpClient.bareHost(uri).toLowerCase(Locale.ROOT);
        if (AGENT_HOSTS.contains(host)) {
            return true;
        }
        try {
            InetAddress[] addresses = InetAddress.getAllByName(host);
            if (addresses.length == 0) {
                return false;
            }
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new CredentialsException(SOURCE + ": host " + host + " of " + FULL_URI + " does not resolve", e);
        }
    }

    /** The token file's content (read now) or else the token variable; null when neither is set. */
    private String authorizationToken() {
        String file = EnvironmentCredentialsProvider.trimToNull(environment.get(AUTHORIZATION_TOKEN_FILE));
        String token;
        if (file != null) {
            try {
                token = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new CredentialsException(SOURCE + ": cannot read " + AUTHORIZATION_TOKEN_FILE + " " + file + ": "
                        + e, e);
            }
            if (token.isEmpty()) {
                throw new CredentialsException(SOURCE + ": " + AUTHORIZATION_TOKEN_FILE + " " + file + " is empty");
            }
        } else {
            token = EnvironmentCredentialsProvider.trimToNull(environment.get(AUTHORIZATION_TOKEN));
            if (token == null) {
                return null;
            }
        }
        if (token.indexOf('\r') >= 0 || token.indexOf('\n') >= 0) {
            throw new CredentialsException(SOURCE + ": the authorization token contains a line break");
        }
        return token;
    }


    @Override
    public String toString() {
        return "ContainerCredentialsProvider";
    }
}
