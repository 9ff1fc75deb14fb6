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

    /**
     * Reads a property.
     *
     * @param <T> the property's value type
     * @param key the property
     * @return its value, or its default when it was not set
     */
    public <T> T get(ConfigKey<T> key) {
        Object v = values.get(key);
        return key.type().cast(v == null ? key.defaultValue() : v);
    }

    /**
     * Tells a property set explicitly from one left at its default.
     *
     * @param key the property
     * @return whether it was set (by the builder or the properties), even to its default value
     */
    public boolean isSet(ConfigKey<?> key) {
        return values.containsKey(key);
    }

    private Duration millis(ConfigKey<Long> key) {
        return Duration.ofMillis(get(key));
    }

    /** {@return AggregationEnabled: whether user records are packed into KPL aggregated records} */
    public boolean aggregationEnabled() {
        return get(ConfigKeys.AGGREGATION_ENABLED);
    }

    /** {@return AggregationMaxCount: the most user records in one aggregated record} */
    public long aggregationMaxCount() {
        return get(ConfigKeys.AGGREGATION_MAX_COUNT);
    }

    /** {@return AggregationMaxSize: the most bytes in one aggregated record} */
    public int aggregationMaxSizeBytes() {
        return Math.toIntExact(get(ConfigKeys.AGGREGATION_MAX_SIZE));
    }

    /** {@return CollectionMaxCount: the most Kinesis records in one PutRecords request} */
    public int collectionMaxCount() {
        return Math.toIntExact(get(ConfigKeys.COLLECTION_MAX_COUNT));
    }

    /** {@return CollectionMaxSize: the most bytes in one PutRecords request} */
    public long collectionMaxSizeBytes() {
        return get(ConfigKeys.COLLECTION_MAX_SIZE);
    }

    /** {@return RecordMaxBufferedTime: how long a record may wait before it is sent} */
    public Duration recordMaxBufferedTime() {
        return millis(ConfigKeys.RECORD_MAX_BUFFERED_TIME);
    }

    /** {@return RecordTtl: how long a record may take to be put, retries included} */
    public Duration recordTtl() {
        return millis(ConfigKeys.RECORD_TTL);
    }

    /** {@return MaxUserRecordSize: the largest user record data addUserRecord accepts} */
    public int maxUserRecordSizeBytes() {
        return Math.toIntExact(get(ConfigKeys.MAX_USER_RECORD_SIZE));
    }

    /** {@return RateLimit: the most each shard's adaptive rate may reach, in percent of the shard's limits} */
    public long rateLimitPercent() {
        return get(ConfigKeys.RATE_LIMIT);
    }

    /** {@return FailIfThrottled: whether a throttled record fails at once instead of being retried} */
    public boolean failIfThrottled() {
        return get(ConfigKeys.FAIL_IF_THROTTLED);
    }

    /** {@return MaxConnections: the most HTTP connections to Kinesis} */
    public int maxConnections() {
        return Math.toIntExact(get(ConfigKeys.MAX_CONNECTIONS));
    }

    /** {@return ConnectTimeout: how long opening a connection may take} */
    public Duration connectTimeout() {
        return millis(ConfigKeys.CONNECT_TIMEOUT);
    }

    /** {@return RequestTimeout: how long one request may take} */
    public Duration requestTimeout() {
        return millis(ConfigKeys.REQUEST_TIMEOUT);
    }

    /**
     * How connections to AWS leave: ProxyHost/ProxyPort (with ProxyUserName/ProxyPassword, bypassed for
     * NonProxyHosts) when ProxyHost is set, trusting the certificates of CaCertFile and CaCertPath besides the JDK's.
     * Every client the producer (or the agent) makes uses these, and so does the default credentials chain for STS.
     *
     * @return the proxy and trusted certificates for clients to use; {@link TransportOptions#DEFAULT} when none is set
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

    /**
     * {@return VerifyCertificate: whether TLS certificates and host names are checked (false only for local endpoints)}
     */
    public boolean verifyCertificate() {
        return get(ConfigKeys.VERIFY_CERTIFICATE);
    }

    /** {@return MaxBufferedBytes: the most heap buffered user records may take} */
    public long maxBufferedBytes() {
        return get(ConfigKeys.MAX_BUFFERED_BYTES);
    }

    /** {@return MaxBlockMs: how long addUserRecord may wait for buffer space (BackpressurePolicy BLOCK)} */
    public Duration maxBlock() {
        return millis(ConfigKeys.MAX_BLOCK_MS);
    }

    /**
     * {@return PipelineThreads: how many pipeline threads share the hash key space; 0 resolved to one per four
     * available processors, at least one}
     */
    public int pipelineThreads() {
        long n = get(ConfigKeys.PIPELINE_THREADS);
        return n > 0 ? Math.toIntExact(n) : Math.max(1, Runtime.getRuntime().availableProcessors() / 4);
    }

    /** {@return RingBufferSize: the slots of the ring between addUserRecord and the pipeline thread} */
    public int ringBufferSize() {
        return Math.toIntExact(get(ConfigKeys.RING_BUFFER_SIZE));
    }

    /** {@return a builder with every property at its default} */
    public static Builder builder() {
        return new Builder(new HashMap<>());
    }

    /** {@return a builder holding the properties set in this configuration, to change some} */
    public Builder toBuilder() {
        return new Builder(new HashMap<>(values));
    }

    /**
     * Loads a KPL-style properties file (UTF-8), as {@link #fromProperties(Properties)} reads it.
     *
     * @param file the properties file, e.g. the KPL's {@code default_config.properties}
     * @return the configuration
     * @throws ConfigException when the file cannot be read (the problem names the file), or listing every problem with
     *                         its properties
     */
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
     * @param properties property names (the KPL's spelling, case-sensitive) and their values as written in a file
     * @return the configuration, the properties not given at their defaults
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

    /** {@return the explicitly set properties, as KPL-named properties (secrets included; handle with care)} */
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
         * Sets a property. Rules between properties are checked by {@link #build()}.
         *
         * @param <T>   the property's value type
         * @param key   the property
         * @param value its value
         * @return this builder
         * @throws ConfigException      at once when the value is out of range (or null) or the key is native-daemon
         *                              only
         * @throws NullPointerException when {@code key} is null
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

        /**
         * Sets AggregationEnabled.
         *
         * @param enabled whether to pack user records into KPL aggregated records
         * @return this builder
         * @throws ConfigException when the value is out of range
         */
        public Builder aggregationEnabled(boolean enabled) {
            return set(ConfigKeys.AGGREGATION_ENABLED, enabled);
        }

        /**
         * Sets AggregationMaxSize.
         *
         * @param bytes the most bytes in one aggregated record, 64 to 10 MiB
         * @return this builder
         * @throws ConfigException when the value is out of range
         */
        public Builder aggregationMaxSize(long bytes) {
            return set(ConfigKeys.AGGREGATION_MAX_SIZE, bytes);
        }

        /**
         * Sets RecordMaxBufferedTime (whole milliseconds).
         *
         * @param d how long a record may wait to be aggregated and collected before it is sent
         * @return this builder
         * @throws ConfigException when the value is out of range
         */
        public Builder recordMaxBufferedTime(Duration d) {
            return set(ConfigKeys.RECORD_MAX_BUFFERED_TIME, d.toMillis());
        }

        /**
         * Sets RecordTtl (whole milliseconds).
         *
         * @param d how long a record may take to be put, retries included; at least 100 ms
         * @return this builder
         * @throws ConfigException when the value is out of range
         */
        public Builder recordTtl(Duration d) {
            return set(ConfigKeys.RECORD_TTL, d.toMillis());
        }

        /**
         * Sets Region.
         *
         * @param region the stream's AWS region, e.g. {@code eu-west-1}; checked by {@link #build()}
         * @return this builder
         * @throws ConfigException when the value is out of range
         */
        public Builder region(String region) {
            return set(ConfigKeys.REGION, region);
        }

        /**
         * Sets KinesisEndpointUrl.
         *
         * @param url the full Kinesis endpoint URL, e.g. {@code http://127.0.0.1:4567}; checked by {@link #build()}
         * @return this builder
         * @throws ConfigException when the value is out of range
         */
        public Builder kinesisEndpointUrl(String url) {
            return set(ConfigKeys.KINESIS_ENDPOINT_URL, url);
        }

        /**
         * Sets MaxConnections.
         *
         * @param n the most HTTP connections to Kinesis, 1 to 256
         * @return this builder
         * @throws ConfigException when the value is out of range
         */
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
         * Checks every value set and the rules between properties (RecordTtl at least RecordMaxBufferedTime, an
         * aggregate fitting a request, a power-of-two RingBufferSize, endpoint and region forms, readable CA
         * certificates). Properties set but not acted on yet are logged as a warning.
         *
         * @return the configuration; the builder may go on to build others
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
                        + "/" + c.get(ConfigKeys.COLLECTION_MAX_SIZE),
                        "an aggregate must fit in a PutRecords request"));
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
            return c;
        }
    }
}
