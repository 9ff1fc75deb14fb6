package io.runnel.wire.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One read from the EC2 instance metadata service, the IMDSv2 way: a session token from {@code PUT /latest/api/token},
 * then {@code GET <path>} with it (without one when the token request is answered {@code 403}, {@code 404} or
 * {@code 405}, unless {@code AWS_EC2_METADATA_V1_DISABLED} is {@code true}). The endpoint comes from
 * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} / {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE} as for
 * {@link InstanceProfileCredentialsProvider}; {@code AWS_EC2_METADATA_DISABLED=true} fails at once without network
 * I/O.
 *
 * <p>Runnel-internal: public for the agent's {@code ADDEC2METADATA}, not a stable API. One try, with short timeouts
 * (by default 1 second to connect and 1 second for each answer), because off EC2 nothing answers. Stateless and
 * thread-safe; every {@link #get(String)} opens and closes its own connection.
 */
public final class InstanceMetadata {
    /** The instance identity document (JSON: instanceId, region, accountId ...). */
    public static final String IDENTITY_DOCUMENT_PATH = "/latest/dynamic/instance-identity/document";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    private static final String TOKEN_TTL_SECONDS = "21600";

    private final Map<String, String> environment;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    /**
     * A client with 1-second timeouts.
     *
     * @param environment the process environment ({@code System.getenv()}), for the {@code AWS_EC2_METADATA_*}
     *                    variables
     * @throws NullPointerException when {@code environment} is null
     */
    public InstanceMetadata(Map<String, String> environment) {
        this(environment, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
    }

    /**
     * A client with the given timeouts.
     *
     * @param environment    the process environment ({@code System.getenv()}), for the {@code AWS_EC2_METADATA_*}
     *                       variables; copied
     * @param connectTimeout TCP connect timeout
     * @param requestTimeout from sending a request to its whole response
     * @throws NullPointerException when an argument is null
     */
    public InstanceMetadata(Map<String, String> environment, Duration connectTimeout, Duration requestTimeout) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /**
     * Whether the service is turned off.
     *
     * @return whether {@code AWS_EC2_METADATA_DISABLED} is {@code true}: every {@link #get} fails without network I/O
     */
    public boolean disabled() {
        return InstanceProfileCredentialsProvider.isTrue(environment, InstanceProfileCredentialsProvider.DISABLED);
    }

    /**
     * The body of {@code GET path} (e.g. {@link #IDENTITY_DOCUMENT_PATH}), as text. Blocks for at most about twice the
     * connect plus request timeouts (two requests).
     *
     * @param path the path under the service's endpoint, starting with {@code /}
     * @return the response body
     * @throws CredentialsException when the service is disabled, unreachable, or answers anything but {@code 200};
     *                              the message says which
     */
    public String get(String path) {
        if (disabled()) {
            throw new CredentialsException("instance metadata: " + InstanceProfileCredentialsProvider.DISABLED
                    + " is true");
        }
        String base = InstanceProfileCredentialsProvider.endpoint(environment);
        try (CredentialsHttpClient http = new CredentialsHttpClient(connectTimeout, requestTimeout)) {
            CredentialsHttpClient.Response t = http.send("PUT",
                    URI.create(base + InstanceProfileCredentialsProvider.TOKEN_PATH),
                    Map.of(InstanceProfileCredentialsProvider.TOKEN_TTL_HEADER, TOKEN_TTL_SECONDS), new byte[0]);
            boolean v1 = t.status() == 403 || t.status() == 404 || t.status() == 405;
            Map<String, String> headers;
            if (t.status() == 200 && !t.text().isBlank()) {
                headers = Map.of(InstanceProfileCredentialsProvider.TOKEN_HEADER, t.text().strip());
            } else if (v1 && !InstanceProfileCredentialsProvider.isTrue(environment,
                    InstanceProfileCredentialsProvider.V1_DISABLED)) {
                headers = Map.of(); // IMDSv1
            } else {
                throw new CredentialsException("instance metadata: PUT " + base
                        + InstanceProfileCredentialsProvider.TOKEN_PATH + " answered HTTP " + t.status());
            }
            CredentialsHttpClient.Response r = http.send("GET", URI.create(base + path), headers, null);
            if (r.status() != 200) {
                throw new CredentialsException("instance metadata: GET " + base + path + " answered HTTP "
                        + r.status() + ": " + r.excerpt());
            }
            return r.text();
        }
    }
}
