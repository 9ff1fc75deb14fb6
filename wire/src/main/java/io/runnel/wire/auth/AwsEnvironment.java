package io.runnel.wire.auth;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * What the AWS SDKs read from a process's surroundings besides credentials: the region (system property
 * {@code aws.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the profile's {@code region}, then on EC2 the
 * instance metadata service), configured endpoint URLs (see {@link #endpointUrl(String)}) and whether to use FIPS or
 * dual-stack endpoints ({@code AWS_USE_FIPS_ENDPOINT}, {@code AWS_USE_DUALSTACK_ENDPOINT}, the profile's
 * {@code use_fips_endpoint}, {@code use_dualstack_endpoint}). The profile is {@code AWS_PROFILE} (default
 * {@code default}) in {@code ~/.aws/config} ({@code AWS_CONFIG_FILE} moves it), read once when this is made, with the
 * {@code [services NAME]} section its {@code services} key names.
 * Immutable but for the region from instance metadata, which is looked up once, by the first {@link #region()} call
 * that gets that far. Thread-safe.
 */
public final class AwsEnvironment {
    private final Map<String, String> environment;
    private final Properties systemProperties;
    private final String profileName;
    private final Map<String, String> profile;
    private final Map<String, String> services; // the [services NAME] section the profile names; empty if none
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
        this(environment, systemProperties, configFile(environment, home), profileName(environment),
                instanceMetadata);
    }

    /**
     * The settings of profile {@code profileName} in {@code configFile} (null or missing: no profile), for the
     * credential sources that know both already.
     */
    AwsEnvironment(Map<String, String> environment, Properties systemProperties, Path configFile,
            String profileName, InstanceMetadataRegion instanceMetadata) {
        this.instanceMetadata = Objects.requireNonNull(instanceMetadata, "instanceMetadata");
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.systemProperties = Objects.requireNonNull(systemProperties, "systemProperties");
        this.profileName = Objects.requireNonNull(profileName, "profileName");
        Map<String, String> section = ProfileCredentialsProvider.sectionOrNull(configFile,
                profileName.equals("default") ? "default" : "profile " + profileName);
        this.profile = section == null ? Map.of() : Map.copyOf(section);
        String servicesName = text(profile.get("services"));
        Map<String, String> servicesSection = servicesName == null ? null
                : ProfileCredentialsProvider.sectionOrNull(configFile, "services " + servicesName);
        this.services = servicesSection == null ? Map.of() : Map.copyOf(servicesSection);
    }

    /**
     * The given environment variables with this process's system properties and the config file under
     * {@code user.home} (the credential sources that are handed only environment variables).
     */
    static AwsEnvironment forVariables(Map<String, String> environment) {
        return new AwsEnvironment(environment, System.getProperties(), Path.of(System.getProperty("user.home")));
    }

    private static Path configFile(Map<String, String> environment, Path home) {
        String config = text(environment.get("AWS_CONFIG_FILE"));
        return config != null ? Path.of(config.startsWith("~/") ? home + config.substring(1) : config)
                : home.resolve(".aws").resolve("config");
    }

    private static String profileName(Map<String, String> environment) {
        String name = text(environment.get("AWS_PROFILE"));
        return name == null ? "default" : name;
    }

    /**
     * This process's environment, system properties and home directory.
     *
     * @return a new instance; the profile file is read now
     */
    public static AwsEnvironment system() {
        return new AwsEnvironment(System.getenv(), System.getProperties(), Path.of(System.getProperty("user.home")));
    }

    /**
     * A value and where it came from.
     *
     * @param value  the value as set, trimmed
     * @param source where it was set, for diagnostics: {@code AWS_REGION}, {@code profile default}, ...
     */
    public record Setting(String value, String source) {
    }

    /**
     * The region, or null when none is set anywhere: the system property {@code aws.region}, {@code AWS_REGION},
     * {@code AWS_DEFAULT_REGION}, the profile's {@code region}, then the instance metadata service (IMDSv2
     * {@code /latest/meta-data/placement/region}; {@code AWS_EC2_METADATA_DISABLED=true} skips it,
     * {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} moves it). The metadata service is asked at most once per instance of
     * this class, with a 1-second connect timeout, so off EC2 the first call that gets that far waits about that long.
     *
     * @return the region and where it was set, or null
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
            return new Setting(v, "profile " + profileName);
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
     * The endpoint URL configured for a service, or null, in the order of the AWS SDK for Java 2.x: the system
     * properties {@code aws.endpointUrl<Service>} (e.g. {@code aws.endpointUrlKinesis}) and {@code aws.endpointUrl},
     * the variables {@code AWS_ENDPOINT_URL_<SERVICE>} (e.g. {@code AWS_ENDPOINT_URL_SSO_OIDC}) and
     * {@code AWS_ENDPOINT_URL}, the service's {@code endpoint_url} in the {@code [services NAME]} section the profile
     * names (key {@code kinesis}, {@code sso_oidc} ...), then the profile's own {@code endpoint_url}. None of them
     * when {@code aws.ignoreConfiguredEndpointUrls}, else {@code AWS_IGNORE_CONFIGURED_ENDPOINT_URLS}, else the
     * profile's {@code ignore_configured_endpoint_urls} is {@code true}. An endpoint set in code or in Runnel's own
     * configuration wins over all of these; that is the caller's to apply.
     *
     * @param serviceId the service's id as the SDKs name it: {@code Kinesis}, {@code Firehose}, {@code CloudWatch},
     *                  {@code STS}, {@code SSO}, {@code SSO OIDC} (any case; words separated by spaces)
     * @return the value (not checked to be a URL) and where it came from, e.g. {@code AWS_ENDPOINT_URL_KINESIS} or
     *         {@code [services dev] kinesis}
     */
    public Setting endpointUrl(String serviceId) {
        Endpoint e = resolveEndpoint(serviceId);
        return e == null ? null : e.setting();
    }

    /**
     * The endpoint URL {@link #endpointUrl(String)} gives when it comes from a setting for this service alone (its
     * system property, variable or services-section entry), else null: for a service that should follow another
     * one's endpoint unless told otherwise (CloudWatch metrics follow Kinesis).
     *
     * @param serviceId the service's id as the SDKs name it, as for {@link #endpointUrl(String)}
     * @return the value and where it came from, or null
     */
    public Setting serviceEndpointUrl(String serviceId) {
        Endpoint e = resolveEndpoint(serviceId);
        return e == null || !e.serviceSpecific() ? null : e.setting();
    }

    /**
     * Whether configured endpoint URLs are to be ignored.
     *
     * @return what the system property, else the variable, else the profile says; false when none does
     */
    public boolean ignoreConfiguredEndpointUrls() {
        String v = text(systemProperties.getProperty("aws.ignoreConfiguredEndpointUrls"));
        if (v == null) {
            v = text(environment.get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"));
        }
        if (v == null) {
            v = text(profile.get("ignore_configured_endpoint_urls"));
        }
        return v != null && v.equalsIgnoreCase("true");
    }

    private record Endpoint(Setting setting, boolean serviceSpecific) {
    }

    private Endpoint resolveEndpoint(String serviceId) {
        if (ignoreConfiguredEndpointUrls()) {
            return null;
        }
        String[] words = serviceId.strip().split("\\s+");
        String variableSuffix = String.join("_", words).toUpperCase(Locale.ROOT);
        String property = "aws.endpointUrl" + pascalCase(words);
        String v = text(systemProperties.getProperty(property));
        if (v != null) {
            return new Endpoint(new Setting(v, "system property " + property), true);
        }
        v = text(systemProperties.getProperty("aws.endpointUrl"));
        if (v != null) {
            return new Endpoint(new Setting(v, "system property aws.endpointUrl"), false);
        }
        String variable = "AWS_ENDPOINT_URL_" + variableSuffix;
        v = text(environment.get(variable));
        if (v != null) {
            return new Endpoint(new Setting(v, variable), true);
        }
        v = text(environment.get("AWS_ENDPOINT_URL"));
        if (v != null) {
            return new Endpoint(new Setting(v, "AWS_ENDPOINT_URL"), false);
        }
        String key = variableSuffix.toLowerCase(Locale.ROOT);
        v = text(services.get(key + ".endpoint_url"));
        if (v != null) {
            return new Endpoint(new Setting(v, "[services " + text(profile.get("services")) + "] " + key), true);
        }
        v = text(profile.get("endpoint_url"));
        return v == null ? null : new Endpoint(new Setting(v, "profile " + profileName), false);
    }

    /**
     * The SDK for Java's system-property spelling of a service id: each word capitalised, an all-capitals word
     * (an acronym: {@code STS}, {@code OIDC}) lower-cased after its first letter ({@code SSO OIDC} to {@code SsoOidc},
     * {@code CloudWatch} stays).
     */
    private static String pascalCase(String[] words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) {
            String rest = w.substring(1);
            b.append(Character.toUpperCase(w.charAt(0)))
                    .append(rest.equals(rest.toUpperCase(Locale.ROOT)) ? rest.toLowerCase(Locale.ROOT) : rest);
        }
        return b.toString();
    }

    /** @return whether FIPS endpoints are asked for ({@code AWS_USE_FIPS_ENDPOINT}, else the profile) */
    public boolean useFips() {
        return flag("AWS_USE_FIPS_ENDPOINT", "use_fips_endpoint");
    }

    /**
     * @return whether dual-stack (IPv4 and IPv6) endpoints are asked for ({@code AWS_USE_DUALSTACK_ENDPOINT}, else
     *         the profile)
     */
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

    private static String text(String s) {
        return EnvironmentCredentialsProvider.trimToNull(s);
    }
}
