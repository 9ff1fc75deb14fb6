package io.runnel.wire.auth;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * What the AWS SDKs read from a process's surroundings besides credentials: the region (system property
 * {@code aws.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the profile's {@code region}, then on EC2 the
 * instance metadata service), endpoint
 * overrides ({@code AWS_ENDPOINT_URL_<SERVICE>}, {@code AWS_ENDPOINT_URL}, the profile's {@code endpoint_url}) and
 * whether to use FIPS or dual-stack endpoints ({@code AWS_USE_FIPS_ENDPOINT}, {@code AWS_USE_DUALSTACK_ENDPOINT},
 * the profile's {@code use_fips_endpoint}, {@code use_dualstack_endpoint}). The profile is {@code AWS_PROFILE}
 * (default {@code default}) in {@code ~/.aws/config} ({@code AWS_CONFIG_FILE} moves it), read once when this is made.
 * Immutable but for the region from instance metadata, which is looked up once, by the first {@link #region()} call
 * that gets that far. Thread-safe.
 */
public final class AwsEnvironment {
    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final Map<String, String> profile;
    private final InstanceMetadataRegion instanceMetadata;
    private final Object instanceRegionLock = new Object();
    private boolean instanceRegionAsked; // guarded by instanceRegionLock
    private Setting instanceRegion; // guarded by instanceRegionLock

    /**
     * @param environment      environment variables
     * @param systemProperties system properties
     * @param home             the user's home directory
     */
    public AwsEnvironment(Map<String, String> environment, Properties systemProperties, Path home) {
        this(environment, systemProperties, home, new InstanceMetadataRegion(Map.copyOf(environment)));
    }

    AwsEnvironment(Map<String, String> environment, Properties systemProperties, Path home,
            InstanceMetadataRegion instanceMetadata) {
        this.instanceMetadata = Objects.requireNonNull(instanceMetadata, "instanceMetadata");
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
        String name = text(environment.get("AWS_PROFILE"));
        name = name == null ? "default" : name;
        String config = text(environment.get("AWS_CONFIG_FILE"));
        Path file = config != null ? Path.of(config.startsWith("~/") ? home + config.substring(1) : config)
                : home.resolve(".aws").resolve("config");
        Map<String, String> section = ProfileCredentialsProvider.sectionOrNull(file,
                name.equals("default") ? "default" : "profile " + name);
        this.profile = section == null ? Map.of() : Map.copyOf(section);
    }

    /** This process's environment, system properties and home directory. */
    public static AwsEnvironment system() {
        return new AwsEnvironment(System.getenv(), System.getProperties(), Path.of(System.getProperty("user.home")));
    }

    /** A value and where it came from (for diagnostics: {@code AWS_REGION}, {@code profile default}, ...). */
    public record Setting(String value, String source) {
    }

    /**
     * The region, or null when none is set anywhere: the system property {@code aws.region}, {@code AWS_REGION},
     * {@code AWS_DEFAULT_REGION}, the profile's {@code region}, then the instance metadata service (IMDSv2
     * {@code /latest/meta-data/placement/region}; {@code AWS_EC2_METADATA_DISABLED=true} skips it,
     * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} moves it). The metadata service is asked at most once per instance of
     * this class, with a 1-second connect timeout, so off EC2 the first call that gets that far waits about that long.
     */
    public Setting region() {
        String v = text(systemProperties.getProperty("aws.region"));
        if (v != null) {
            return new Setting(v, "system property aws.region");
        }
        for (String name : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
            v = text(environment.get(name));
            if (v != null) {
                return new Setting(v, name);
            }
        }
        v = text(profile.get("region"));
        if (v != null) {
            return new Setting(v, "profile " + profileName());
        }
        synchronized (instanceRegionLock) {
            if (!instanceRegionAsked) {
                String r = instanceMetadata.lookup();
                instanceRegion = r == null ? null : new Setting(r, "instance metadata");
                instanceRegionAsked = true;
            }
            return instanceRegion;
        }
    }

    /**
     * The endpoint URL configured for a service, or null: {@code AWS_ENDPOINT_URL_<SERVICE>} (e.g. {@code KINESIS}),
     * then {@code AWS_ENDPOINT_URL}, then the profile's {@code endpoint_url}.
     */
    public Setting endpointUrl(String service) {
        String specific = "AWS_ENDPOINT_URL_" + service.toUpperCase(Locale.ROOT);
        for (String name : new String[] {specific, "AWS_ENDPOINT_URL"}) {
            String v = text(environment.get(name));
            if (v != null) {
                return new Setting(v, name);
            }
        }
        String v = text(profile.get("endpoint_url"));
        return v == null ? null : new Setting(v, "profile " + profileName());
    }

    /** Whether FIPS endpoints are asked for. */
    public boolean useFips() {
        return flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    }

    /** Whether dual-stack (IPv4 and IPv6) endpoints are asked for. */
    public boolean useDualStack() {
        return flag("AWS_USE_DUALSTACK_ENDPOINT", "use_dualstack_endpoint");
    }

    private boolean flag(String variable, String profileKey) {
        String v = text(environment.get(variable));
        if (v == null) {
            v = text(profile.get(profileKey));
        }
        return v != null && v.equalsIgnoreCase("true");
    }

    private String profileName() {
        String name = text(environment.get("AWS_PROFILE"));
        return name == null ? "default" : name;
    }

    private static String text(String s) {
        return EnvironmentCredentialsProvider.trimToNull(s);
    }
}
