package io.runnel.producer.config;

import io.runnel.producer.errors.ConfigException;
import io.runnel.producer.errors.ConfigException.Problem;
import io.runnel.wire.ProxySettings;
import io.runnel.wire.TransportOptions;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's configuration: every property of {@link ConfigKeys}, with the KPL's names and defaults. Immutable
 * and thread-safe. Build it with {@link #builder()}, or load a KPL-style properties file with
 * {@link #fromProperties(Properties)} / {@link #fromPropertiesFile(Path)}; either way every problem is reported at
 * once in one {@link ConfigException}.
 */
public final class ProducerConfig {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerConfig.class);

    private final Map<ConfigKey<?>, Object> values;

    private ProducerConfig(Map<ConfigKey<?>, Object> values) {
        this.values = Collections.unmodifiableMap(new HashMap<>(values));
    }

    /** The value of a property (its default when not set). */
    public <T> T get(ConfigKey<T> key) {
        Object v = values.get(key);
        return key.type().cast(v == null ? key.defaultValue() : v);
    }

    /** Whether a property was set explicitly. */
    public boolean isSet(ConfigKey<?> key) {
        return values.containsKey(key);
    }

    private Duration millis(ConfigKey<Long> key) {
        return Duration.ofMillis(get(key));
    }

    public boolean aggregationEnabled() {
        return get(ConfigKeys.AGGREGATION_ENABLED);
    }

    public long aggregationMaxCount() {
        return get(ConfigKeys.AGGREGATION_MAX_COUNT);
    }

    public int aggregationMaxSizeBytes() {
        return Math.toIntExact(get(ConfigKeys.AGGREGATION_MAX_SIZE));
    }

    public int collectionMaxCount() {
        return Math.toIntExact(get(ConfigKeys.COLLECTION_MAX_COUNT));
    }

    public long collectionMaxSizeBytes() {
        return get(ConfigKeys.COLLECTION_MAX_SIZE);
    }

    public Duration recordMaxBufferedTime() {
        return millis(ConfigKeys.RECORD_MAX_BUFFERED_TIME);
    }

    public Duration recordTtl() {
        return millis(ConfigKeys.RECORD_TTL);
    }

    public int maxUserRecordSizeBytes() {
        return Math.toIntExact(get(ConfigKeys.MAX_USER_RECORD_SIZE));
    }

    /** Percentage of the per-shard limits the client allows itself. */
    public long rateLimitPercent() {
        return get(ConfigKeys.RATE_LIMIT);
    }

    public boolean failIfThrottled() {
        return get(ConfigKeys.FAIL_IF_THROTTLED);
    }

    public int maxConnections() {
        return Math.toIntExact(get(ConfigKeys.MAX_CONNECTIONS));
    }

    public Duration connectTimeout() {
        return millis(ConfigKeys.CONNECT_TIMEOUT);
    }

    public Duration requestTimeout() {
        return millis(ConfigKeys.REQUEST_TIMEOUT);
    }

    /**
     * How connections to AWS leave: ProxyHost/ProxyPort (with ProxyUserName/ProxyPassword, bypassed for
     * NonProxyHosts) when ProxyHost is set, trusting the certificates of CaCertFile and CaCertPath besides the JDK's.
     * Every client the producer (or the agent) makes uses these, and so does the default credentials chain for STS.
     *
     * @throws IllegalArgumentException naming the file or directory when a CA certificate cannot be read
     */
    public TransportOptions transportOptions() {
        TransportOptions options = TransportOptions.DEFAULT;
        String proxyHost = get(ConfigKeys.PROXY_HOST);
        if (!proxyHost.isEmpty()) {
            ProxySettings proxy = ProxySettings.of(proxyHost, get(ConfigKeys.PROXY_PORT).intValue());
            String user = get(ConfigKeys.PROXY_USER_NAME);
            if (!user.isEmpty()) {
                proxy = proxy.withBasicAuth(user, get(ConfigKeys.PROXY_PASSWORD));
            }
            options = options.withProxy(proxy.withNonProxyHosts(get(ConfigKeys.NON_PROXY_HOSTS)));
        }
        String caFile = get(ConfigKeys.CA_CERT_FILE);
        if (!caFile.isEmpty()) {
            options = options.withCaCertFile(Path.of(caFile));
        }
        String caPath = get(ConfigKeys.CA_CERT_PATH);
        if (!caPath.isEmpty()) {
            options = options.withCaCertPath(Path.of(caPath));
        }
        return options;
    }

    /** Whether TLS certificates and host names are checked (VerifyCertificate; false only for local endpoints). */
    public boolean verifyCertificate() {
        return get(ConfigKeys.VERIFY_CERTIFICATE);
    }

    public long maxBufferedBytes() {
        return get(ConfigKeys.MAX_BUFFERED_BYTES);
    }

    public Duration maxBlock() {
        return millis(ConfigKeys.MAX_BLOCK_MS);
    }

    public int ringBufferSize() {
        return Math.toIntExact(get(ConfigKeys.RING_BUFFER_SIZE));
    }

    /** A builder with every property at its default. */
    public static Builder builder() {
        return new Builder(new HashMap<>());
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder(new HashMap<>(values));
    }

    /** Loads a KPL-style properties file (UTF-8). */
    public static ProducerConfig fromPropertiesFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException(List.of(new Problem(file.toString(), null, "cannot read: " + e.getMessage())));
        }
        return fromProperties(p);
    }

    /**
     * Builds a configuration from KPL-named properties. Unknown names and native-daemon-only properties are
     * problems unless {@code IgnoreUnknownProperties=true}, in which case they are listed in one warning.
     *
     * @throws ConfigException listing every problem
     */
    public static ProducerConfig fromProperties(Properties properties) {
        Builder b = builder();
        List<Problem> problems = new ArrayList<>();
        String ignoreRaw = properties.getProperty(ConfigKeys.IGNORE_UNKNOWN_PROPERTIES.name());
        boolean ignoreUnknown = false;
        if (ignoreRaw != null) {
            try {
                ignoreUnknown = ConfigKeys.IGNORE_UNKNOWN_PROPERTIES.parse(ignoreRaw);
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(ConfigKeys.IGNORE_UNKNOWN_PROPERTIES.name(), ignoreRaw, e.getMessage()));
            }
        }
        List<String> ignored = new ArrayList<>();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            String raw = properties.getProperty(name);
            ConfigKey<?> key = ConfigKeys.byName(name);
            if (key == null || key.support() == ConfigKey.Support.NATIVE_ONLY) {
                if (ignoreUnknown) {
                    ignored.add(name);
                } else if (key == null) {
                    problems.add(new Problem(name, raw, "unknown property (names are case-sensitive; set "
                            + "IgnoreUnknownProperties=true to skip it)"));
                } else {
                    problems.add(new Problem(name, raw, "only used by the KPL's native daemon, which Runnel does not "
                            + "have (set IgnoreUnknownProperties=true to skip it)"));
                }
                continue;
            }
            parseInto(b, key, raw, problems);
        }
        if (!ignored.isEmpty()) {
            LOG.warn("ignoring properties Runnel does not use: {}", ignored);
        }
        b.pendingProblems.addAll(problems);
        return b.build();
    }

    private static <T> void parseInto(Builder b, ConfigKey<T> key, String raw, List<Problem> problems) {
        try {
            b.values.put(key, key.parse(raw));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(key.name(), raw, e.getMessage()));
        }
    }

    /** The explicitly set properties, as KPL-named properties (secrets included; handle with care). */
    public Properties toProperties() {
        Properties p = new Properties();
        values.forEach((k, v) -> p.setProperty(k.name(), String.valueOf(v)));
        return p;
    }

    /** Every property and its value, secrets redacted. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ProducerConfig{");
        boolean first = true;
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            if (k.support() == ConfigKey.Support.NATIVE_ONLY) {
                continue;
            }
            if (!first) {
                sb.append(", ");
            }
            first = false;
            Object v = get(k);
            boolean secret = ConfigKeys.SECRETS.contains(k.name()) && !String.valueOf(v).isEmpty();
            sb.append(k.name()).append('=').append(secret ? "****" : v);
        }
        return sb.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ProducerConfig other)) {
            return false;
        }
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            if (!Objects.equals(get(k), other.get(k))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            h = 31 * h + Objects.hashCode(get(k));
        }
        return h;
    }

    /** Collects values; {@link #build()} checks each and the rules between them. Not thread-safe. */
    public static final class Builder {
        private final Map<ConfigKey<?>, Object> values;
        private final List<Problem> pendingProblems = new ArrayList<>();

        private Builder(Map<ConfigKey<?>, Object> values) {
            this.values = values;
        }

        /**
         * Sets a property.
         *
         * @throws ConfigException at once when the value is out of range or the key is native-daemon only
         */
        public <T> Builder set(ConfigKey<T> key, T value) {
            Objects.requireNonNull(key, "key");
            if (key.support() == ConfigKey.Support.NATIVE_ONLY) {
                throw new ConfigException(List.of(new Problem(key.name(), String.valueOf(value),
                        "only used by the KPL's native daemon, which Runnel does not have")));
            }
            String problem = key.check(value);
            if (problem != null) {
                throw new ConfigException(List.of(new Problem(key.name(), String.valueOf(value), problem)));
            }
            values.put(key, value);
            return this;
        }

        public Builder aggregationEnabled(boolean enabled) {
            return set(ConfigKeys.AGGREGATION_ENABLED, enabled);
        }

        public Builder aggregationMaxSize(long bytes) {
            return set(ConfigKeys.AGGREGATION_MAX_SIZE, bytes);
        }

        public Builder recordMaxBufferedTime(Duration d) {
            return set(ConfigKeys.RECORD_MAX_BUFFERED_TIME, d.toMillis());
        }

        public Builder recordTtl(Duration d) {
            return set(ConfigKeys.RECORD_TTL, d.toMillis());
        }

        public Builder region(String region) {
            return set(ConfigKeys.REGION, region);
        }

        public Builder kinesisEndpointUrl(String url) {
            return set(ConfigKeys.KINESIS_ENDPOINT_URL, url);
        }

        public Builder maxConnections(int n) {
            return set(ConfigKeys.MAX_CONNECTIONS, (long) n);
        }

        /** Reads CaCertFile/CaCertPath now, so a missing or broken file is a config problem, not a failed send. */
        private static void checkCaCertificates(String value, ConfigKey<String> key, List<Problem> problems) {
            if (value.isEmpty()) {
                return;
            }
            try {
                Path path = Path.of(value);
                if (key == ConfigKeys.CA_CERT_FILE) {
                    io.runnel.wire.TransportOptions.DEFAULT.withCaCertFile(path);
                } else {
                    io.runnel.wire.TransportOptions.DEFAULT.withCaCertPath(path);
                }
            } catch (IllegalArgumentException e) { // an unreadable file, no certificate, or a bad path
                problems.add(new Problem(key.name(), value, e.getMessage()));
            }
        }

        /**
         * The configuration.
         *
         * @throws ConfigException listing every problem, including rules between properties
         */
        public ProducerConfig build() {
            List<Problem> problems = new ArrayList<>(pendingProblems);
            ProducerConfig c = new ProducerConfig(values);
            if (c.get(ConfigKeys.RECORD_TTL) < c.get(ConfigKeys.RECORD_MAX_BUFFERED_TIME)) {
                problems.add(new Problem("RecordTtl/RecordMaxBufferedTime", c.get(ConfigKeys.RECORD_TTL) + "/"
                        + c.get(ConfigKeys.RECORD_MAX_BUFFERED_TIME), "RecordTtl must be at least "
                        + "RecordMaxBufferedTime, or records expire before they are sent"));
            }
            if (c.get(ConfigKeys.AGGREGATION_MAX_SIZE) > c.get(ConfigKeys.COLLECTION_MAX_SIZE)) {
                problems.add(new Problem("AggregationMaxSize/CollectionMaxSize", c.get(ConfigKeys.AGGREGATION_MAX_SIZE)
                        + "/" + c.get(ConfigKeys.COLLECTION_MAX_SIZE), "an aggregate must fit in a PutRecords request"));
            }
            if (c.get(ConfigKeys.MIN_CONNECTIONS) > c.get(ConfigKeys.MAX_CONNECTIONS)) {
                problems.add(new Problem("MinConnections/MaxConnections", c.get(ConfigKeys.MIN_CONNECTIONS) + "/"
                        + c.get(ConfigKeys.MAX_CONNECTIONS), "MinConnections must not exceed MaxConnections"));
            }
            long ring = c.get(ConfigKeys.RING_BUFFER_SIZE);
            if (Long.bitCount(ring) != 1) {
                problems.add(new Problem("RingBufferSize", Long.toString(ring), "must be a power of two"));
            }
            String url = c.get(ConfigKeys.KINESIS_ENDPOINT_URL);
            if (!url.isEmpty() && !url.startsWith("http://") && !url.startsWith("https://")) {
                problems.add(new Problem("KinesisEndpointUrl", url, "must start with http:// or https://"));
            }
            String host = c.get(ConfigKeys.KINESIS_ENDPOINT);
            if (host.contains("://") || host.contains("/")) {
                problems.add(new Problem("KinesisEndpoint", host, "is a host name only (as in the KPL); use "
                        + "KinesisEndpointUrl for a URL"));
            }
            String proxyHost = c.get(ConfigKeys.PROXY_HOST);
            if (proxyHost.contains("://") || proxyHost.contains("/")) {
                problems.add(new Problem("ProxyHost", proxyHost, "is a host name only; the port is ProxyPort"));
            }
            if (c.get(ConfigKeys.PROXY_USER_NAME).isEmpty() && !c.get(ConfigKeys.PROXY_PASSWORD).isEmpty()) {
                problems.add(new Problem("ProxyPassword", "***", "needs ProxyUserName"));
            }
            checkCaCertificates(c.get(ConfigKeys.CA_CERT_FILE), ConfigKeys.CA_CERT_FILE, problems);
            checkCaCertificates(c.get(ConfigKeys.CA_CERT_PATH), ConfigKeys.CA_CERT_PATH, problems);
            String region = c.get(ConfigKeys.REGION);
            if (!region.isEmpty() && !region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
                problems.add(new Problem("Region", region, "must look like us-east-1"));
            }
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            for (ConfigKey<?> k : values.keySet()) {
                if (k.support() == ConfigKey.Support.NOT_YET && !Objects.equals(c.get(k), k.defaultValue())) {
                    LOG.warn("{} is accepted but not implemented yet: {}", k.name(), k.doc());
                }
            }
            return c;
        }
    }
}
