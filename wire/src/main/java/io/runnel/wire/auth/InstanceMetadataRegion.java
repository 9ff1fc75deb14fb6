package io.runnel.wire.auth;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region of the EC2 instance this process runs on, from the instance metadata service, as the last step of the
 * AWS SDKs' region chain: a session token from {@code PUT /latest/api/token}, then
 * {@code GET /latest/meta-data/placement/region} with it (without one when the token request is answered
 * {@code 403}, {@code 404} or {@code 405}, unless {@code AWS_EC2_METADATA_V1_DISABLED} is {@code true}). The endpoint
 * settings are those of {@link InstanceProfileCredentialsProvider}; {@code AWS_EC2_METADATA_DISABLED=true} skips the
 * lookup without network I/O.
 *
 * <p>One try, with short timeouts (by default 1 second to connect and 1 second for each answer), because off EC2
 * nothing answers and the caller is waiting to start: any failure is "no region" (logged at DEBUG), never an error.
 * Stateless and thread-safe; every {@link #lookup()} opens and closes its own connection.
 */
final class InstanceMetadataRegion {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceMetadataRegion.class);
    static final String REGION_PATH = "/latest/meta-data/placement/region";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

    private final Map<String, String> environment;
    private final Duration connectTimeout;
    private final Duration requestTimeout;

    InstanceMetadataRegion(Map<String, String> environment) {
        this(environment, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
    }

    InstanceMetadataRegion(Map<String, String> environment, Duration connectTimeout, Duration requestTimeout) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** The instance's region, or null when the service is disabled, unreachable or has none. */
    String lookup() {
        InstanceMetadata imds = new InstanceMetadata(environment, connectTimeout, requestTimeout);
        if (imds.disabled()) {
            return null;
        }
        try {
            String region = EnvironmentCredentialsProvider.trimToNull(imds.get(REGION_PATH));
            if (region == null || !region.matches("[a-z0-9-]+")) {
                LOG.debug("no region from instance metadata: GET {} answered '{}'", REGION_PATH, region);
                return null;
            }
            return region;
        } catch (CredentialsException e) {
            LOG.debug("no region from instance metadata: {}", e.getMessage());
            return null;
        }
    }
}
