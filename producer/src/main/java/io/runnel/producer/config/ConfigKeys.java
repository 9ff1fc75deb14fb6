package io.runnel.producer.config;

import io.runnel.producer.config.ConfigKey.Support;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every producer property, declared once: the KPL's properties with its names, defaults and ranges (so a KPL
 * {@code default_config.properties} loads as-is), then Runnel's own. The builder, the properties parser,
 * {@code toString()} and the table in docs/configuration.md all come from this list.
 */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    // ---- aggregation and collection
    /** The KPL's {@code AggregationEnabled}. */
    public static final ConfigKey<Boolean> AGGREGATION_ENABLED = ConfigKey.bool("AggregationEnabled", true,
            "Pack many user records into one Kinesis record (the KPL aggregated format; consumers de-aggregate with "
                    + "the KCL).");
    /** The KPL's {@code AggregationMaxCount}. */
    public static final ConfigKey<Long> AGGREGATION_MAX_COUNT = ConfigKey.number("AggregationMaxCount",
            4_294_967_295L, 1, Long.MAX_VALUE, "", "Most user records in one aggregated record.");
    /** The KPL's {@code AggregationMaxSize}. */
    public static final ConfigKey<Long> AGGREGATION_MAX_SIZE = ConfigKey.number("AggregationMaxSize", 51_200, 64,
            10_485_760, "bytes", "Most bytes in one aggregated record; larger user records are sent alone.");
    /** The KPL's {@code CollectionMaxCount}. */
    public static final ConfigKey<Long> COLLECTION_MAX_COUNT = ConfigKey.number("CollectionMaxCount", 500, 1, 500, "",
            "Most Kinesis records in one PutRecords request.");
    /** The KPL's {@code CollectionMaxSize}. */
    public static final ConfigKey<Long> COLLECTION_MAX_SIZE = ConfigKey.number("CollectionMaxSize", 5_242_880, 52_224,
            5_242_880, "bytes", "Most bytes (data and partition keys) in one PutRecords request.");
    /** The KPL's {@code RecordMaxBufferedTime}. */
    public static final ConfigKey<Long> RECORD_MAX_BUFFERED_TIME = ConfigKey.number("RecordMaxBufferedTime", 100, 0,
            Long.MAX_VALUE, "ms", "How long a record may wait to be aggregated and collected before it is sent.");
    /** The KPL's {@code RecordTtl}. */
    public static final ConfigKey<Long> RECORD_TTL = ConfigKey.number("RecordTtl", 30_000, 100, Long.MAX_VALUE, "ms",
            "How long a record may take to be put, retries included; then its future fails with code Expired.");
    /** The KPL's {@code MaxUserRecordSize}. */
    public static final ConfigKey<Long> MAX_USER_RECORD_SIZE = ConfigKey.number("MaxUserRecordSize", 1_048_576, 64,
            10_485_760, "bytes", "Largest user record data accepted by addUserRecord (streams may allow up to "
                    + "10 MiB).");

    // ---- throughput and retries
    /** The KPL's {@code RateLimit}. */
    public static final ConfigKey<Long> RATE_LIMIT = ConfigKey.number("RateLimit", 150, 1, Long.MAX_VALUE, "%",
            "Most a shard's adaptive client-side rate may reach, as a percentage of the shard's 1,000 records/s and "
                    + "1 MiB/s. Each shard starts at its limit (or here, if lower), rises slowly while it has more to "
                    + "send and falls when Kinesis throttles it.");
    /** The KPL's {@code FailIfThrottled}. */
    public static final ConfigKey<Boolean> FAIL_IF_THROTTLED = ConfigKey.bool("FailIfThrottled", false,
            "Fail a record at once when Kinesis throttles it instead of retrying until RecordTtl.");

    // ---- connection
    /** The KPL's {@code Region}. */
    public static final ConfigKey<String> REGION = ConfigKey.string("Region", "",
            "AWS region of the stream; empty: AWS_REGION or AWS_DEFAULT_REGION.");
    /** The KPL's {@code KinesisEndpoint}. */
    public static final ConfigKey<String> KINESIS_ENDPOINT = ConfigKey.string("KinesisEndpoint", "",
            "Host of a custom Kinesis endpoint (HTTPS, as in the KPL); empty: the region's endpoint.");
    /** The KPL's {@code KinesisPort}. */
    public static final ConfigKey<Long> KINESIS_PORT = ConfigKey.number("KinesisPort", 443, 1, 65_535, "",
            "Port of KinesisEndpoint.");
    /** The KPL's {@code VerifyCertificate}. */
    public static final ConfigKey<Boolean> VERIFY_CERTIFICATE = ConfigKey.bool("VerifyCertificate", true,
            "Verify the Kinesis endpoint's TLS certificate and host name (against the JDK's CAs plus CaCertFile and "
                    + "CaCertPath); false trusts any certificate, only for local endpoints.");
    /** The KPL's {@code MaxConnections}. */
    public static final ConfigKey<Long> MAX_CONNECTIONS = ConfigKey.number("MaxConnections", 24, 1, 256, "",
            "Most HTTP connections to Kinesis.");
    /** The KPL's {@code MinConnections}. */
    public static final ConfigKey<Long> MIN_CONNECTIONS = ConfigKey.number("MinConnections", 1, 1, 16, "",
            "Connections to Kinesis kept open and warm (at most MaxConnections): opened at start, re-opened when "
                    + "closed, never closed for being idle.");
    /** The KPL's {@code ConnectTimeout}. */
    public static final ConfigKey<Long> CONNECT_TIMEOUT = ConfigKey.number("ConnectTimeout", 6_000, 100, 300_000,
            "ms", "Timeout to open a connection.");
    /** The KPL's {@code RequestTimeout}. */
    public static final ConfigKey<Long> REQUEST_TIMEOUT = ConfigKey.number("RequestTimeout", 6_000, 100, 600_000,
            "ms", "Timeout of one request; a timed-out request may still have succeeded, so a retry may duplicate.");
    /** The KPL's {@code CaCertPath}. */
    public static final ConfigKey<String> CA_CERT_PATH = ConfigKey.string("CaCertPath", "",
            "Directory of PEM CA certificates (every file in it holding one), trusted for Kinesis and STS in "
                    + "addition to the JDK's trust store.");
    /** The KPL's {@code CaCertFile}. */
    public static final ConfigKey<String> CA_CERT_FILE = ConfigKey.string("CaCertFile", "",
            "PEM file of one or more CA certificates, trusted for Kinesis and STS in addition to the JDK's trust "
                    + "store.");
    /** The KPL's {@code ProxyHost}. */
    public static final ConfigKey<String> PROXY_HOST = ConfigKey.string("ProxyHost", "",
            "HTTP proxy host: every connection to Kinesis and STS (loopback too, unless NonProxyHosts matches) opens "
                    + "a CONNECT tunnel through it, TLS inside; never used for instance metadata or container "
                    + "credentials. Empty: connect directly.");
    /** The KPL's {@code ProxyPort}. */
    public static final ConfigKey<Long> PROXY_PORT = ConfigKey.number("ProxyPort", 443, 1, 65_535, "",
            "Port of ProxyHost.");
    /** The KPL's {@code ProxyUserName}. */
    public static final ConfigKey<String> PROXY_USER_NAME = ConfigKey.string("ProxyUserName", "",
            "User for the proxy's Basic authentication; empty: none. A 407 answer is the non-retryable "
                    + "ProxyAuthenticationException, the cause of the records' failure.");
    /** The KPL's {@code ProxyPassword}. */
    public static final ConfigKey<String> PROXY_PASSWORD = ConfigKey.string("ProxyPassword", "",
            "Password for the proxy's Basic authentication (never printed).");
    /** The KPL's {@code CredentialsRefreshDelay}. */
    public static final ConfigKey<Long> CREDENTIALS_REFRESH_DELAY = ConfigKey.number("CredentialsRefreshDelay",
            5_000, 1, Long.MAX_VALUE, "ms", "How often credentials are re-read from the provider, on a background"
                    + " thread (senders never call it); credentials that expire sooner are refreshed before expiry,"
                    + " and a failed read keeps the last good ones.");

    // ---- metrics
    /** The KPL's {@code MetricsLevel}. */
    public static final ConfigKey<String> METRICS_LEVEL = ConfigKey.choice("MetricsLevel", "DETAILED",
            "How many metrics to record.", "NONE", "SUMMARY", "DETAILED");
    /** The KPL's {@code MetricsGranularity}. */
    public static final ConfigKey<String> METRICS_GRANULARITY = ConfigKey.choice("MetricsGranularity", "SHARD",
            "Dimensions of metrics.", "GLOBAL", "STREAM", "SHARD");
    /** The KPL's {@code MetricsNamespace}. */
    public static final ConfigKey<String> METRICS_NAMESPACE = ConfigKey.string("MetricsNamespace",
            "KinesisProducerLibrary", "1-255 chars, not AWS/…", "CloudWatch namespace the metrics are uploaded to.",
            v -> v.isEmpty() || v.length() > 255 ? "must be 1-255 characters"
                    : v.startsWith("AWS/") ? "must not start with AWS/ (reserved for AWS services)" : null);
    /** The KPL's {@code MetricsUploadDelay}. */
    public static final ConfigKey<Long> METRICS_UPLOAD_DELAY = ConfigKey.number("MetricsUploadDelay", 60_000, 1,
            60_000, "ms", "How often metrics are uploaded to CloudWatch (each upload carries the interval's count, "
                    + "sum, minimum and maximum per metric); the last interval is uploaded on close.");
    /** The KPL's {@code CloudwatchEndpoint}. */
    public static final ConfigKey<String> CLOUDWATCH_ENDPOINT = ConfigKey.string("CloudwatchEndpoint", "",
            "Host of a custom CloudWatch endpoint (HTTPS). Empty: the region's CloudWatch when the Kinesis "
                    + "endpoint is AWS's (a host under amazonaws.com), else metrics are not uploaded.");
    /** The KPL's {@code CloudwatchPort}. */
    public static final ConfigKey<Long> CLOUDWATCH_PORT = ConfigKey.number("CloudwatchPort", 443, 1, 65_535, "",
            "Port of CloudwatchEndpoint.");

    // ---- futures and service-managed streams
    /** The KPL's {@code UserRecordTimeoutInMillis}. */
    public static final ConfigKey<Long> USER_RECORD_TIMEOUT_IN_MILLIS = ConfigKey.number("UserRecordTimeoutInMillis",
            0, 0, Long.MAX_VALUE, "ms", "Fail a user record's future (RecordTimeoutException) after this long, 0 = "
                    + "never; a record then in a request, or in one being built, may still be put, not tried again.");
    /** The KPL's {@code EnableOldestFutureTracker}. */
    public static final ConfigKey<Boolean> ENABLE_OLDEST_FUTURE_TRACKER = ConfigKey.bool("EnableOldestFutureTracker",
            true, "Track the oldest outstanding record for getOldestRecordTimeInMillis().");
    /** The KPL's {@code ReturnUserRecordOnFailure}. */
    public static final ConfigKey<Boolean> RETURN_USER_RECORD_ON_FAILURE = ConfigKey.bool(
            "ReturnUserRecordOnFailure", false, "Attach the user record to the failure of its future "
                    + "(UserRecordFailedException.userRecord()).");
    /** The KPL's {@code DescribeStreamSummaryIntervalMs}. */
    public static final ConfigKey<Long> DESCRIBE_STREAM_SUMMARY_INTERVAL_MS = ConfigKey.number(
            "DescribeStreamSummaryIntervalMs", 300_000, 1_000, Long.MAX_VALUE, "ms",
            "How often each stream's record distribution strategy and maximum record size are re-read "
                    + "(DescribeStreamSummary); AUTO streams are never aggregated.");
    /** The KPL's {@code RecordDistributionStrategyDefault}. */
    public static final ConfigKey<String> RECORD_DISTRIBUTION_STRATEGY_DEFAULT = ConfigKey.choice(
            "RecordDistributionStrategyDefault", "UNSET", "Strategy assumed when DescribeStreamSummary is not "
                    + "permitted (UNSET: aggregate as for USER_PARTITION_KEY, with a warning).", "UNSET", "AUTO",
            "USER_PARTITION_KEY");

    // ---- KPL native daemon only
    /** The KPL's {@code LogLevel}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<String> LOG_LEVEL = ConfigKey.choice("LogLevel", "INFO", "Native daemon log level; "
            + "Runnel logs through SLF4J.", "INFO", "WARNING", "ERROR").support(Support.NATIVE_ONLY);
    /** The KPL's {@code ThreadingModel}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<String> THREADING_MODEL = ConfigKey.choice("ThreadingModel", "PER_REQUEST",
            "Native daemon threading.", "PER_REQUEST", "POOLED").support(Support.NATIVE_ONLY);
    /** The KPL's {@code ThreadPoolSize}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<Long> THREAD_POOL_SIZE = ConfigKey.number("ThreadPoolSize", 0, 0, Long.MAX_VALUE,
            "", "Native daemon thread pool.").support(Support.NATIVE_ONLY);
    /** The KPL's {@code NativeExecutable}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<String> NATIVE_EXECUTABLE = ConfigKey.string("NativeExecutable", "",
            "Path of the native daemon; Runnel has none.").support(Support.NATIVE_ONLY);
    /** The KPL's {@code TempDirectory}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<String> TEMP_DIRECTORY = ConfigKey.string("TempDirectory", "",
            "Where the native daemon is extracted.").support(Support.NATIVE_ONLY);
    /** The KPL's {@code EnableCoreDumps}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<String> ENABLE_CORE_DUMPS = ConfigKey.string("EnableCoreDumps", "",
            "Native daemon core dumps.").support(Support.NATIVE_ONLY);
    /** The KPL's {@code EnableDaemonHealthCheck}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<Boolean> ENABLE_DAEMON_HEALTH_CHECK = ConfigKey.bool("EnableDaemonHealthCheck",
            false, "Restart a stuck native daemon.").support(Support.NATIVE_ONLY);
    /** The KPL's {@code DaemonHealthCheckTimeoutMs}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<Long> DAEMON_HEALTH_CHECK_TIMEOUT_MS = ConfigKey.number("DaemonHealthCheckTimeoutMs",
            30_000, 5_000, Long.MAX_VALUE, "ms", "Native daemon health check timeout.").support(Support.NATIVE_ONLY);
    /** The KPL's {@code StsEndpoint}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<String> STS_ENDPOINT = ConfigKey.string("StsEndpoint", "",
            "STS endpoint of the native daemon (removed in KPL 1.0.5).").support(Support.NATIVE_ONLY);
    /** The KPL's {@code StsPort}, for its native daemon only (see {@link Support#NATIVE_ONLY}). */
    public static final ConfigKey<Long> STS_PORT = ConfigKey.number("StsPort", 443, 1, 65_535, "",
            "STS port of the native daemon.").support(Support.NATIVE_ONLY);

    // ---- Runnel's own
    /** Runnel's own {@code KinesisEndpointUrl}. */
    public static final ConfigKey<String> KINESIS_ENDPOINT_URL = ConfigKey.string("KinesisEndpointUrl", "",
            "Full endpoint URL, http or https (e.g. http://127.0.0.1:4567 for the bundled backend); overrides "
                    + "KinesisEndpoint and KinesisPort.");
    /** Runnel's own {@code CloudwatchEndpointUrl}. */
    public static final ConfigKey<String> CLOUDWATCH_ENDPOINT_URL = ConfigKey.string("CloudwatchEndpointUrl", "",
            "Full CloudWatch endpoint URL, http or https; overrides CloudwatchEndpoint and CloudwatchPort. Else "
                    + "an endpoint configured for CloudWatch alone (aws.endpointUrlCloudWatch, "
                    + "AWS_ENDPOINT_URL_CLOUDWATCH, the profile's services section) when set.");
    /** Runnel's own {@code NonProxyHosts}. */
    public static final ConfigKey<String> NON_PROXY_HOSTS = ConfigKey.string("NonProxyHosts", "",
            "Hosts reached directly rather than through ProxyHost: |-separated patterns in which * matches anything, "
                    + "ignoring case, as Java's http.nonProxyHosts (e.g. localhost|*.internal).");
    /** Runnel's own {@code Protocol}. */
    public static final ConfigKey<String> PROTOCOL = ConfigKey.choice("Protocol", "CBOR",
            "Wire encoding of requests.", "CBOR", "JSON");
    /** Runnel's own {@code MaxBufferedBytes}. */
    public static final ConfigKey<Long> MAX_BUFFERED_BYTES = ConfigKey.number("MaxBufferedBytes", 33_554_432,
            1_048_576, Long.MAX_VALUE, "bytes", "Most heap the buffered user records may take: each counts its "
                    + "data and key (twice when it fits in an aggregate: the caller's array and the aggregate's "
                    + "copy) and 192 bytes of bookkeeping; beyond it addUserRecord blocks or fails "
                    + "(BackpressurePolicy). Enough for ~150 shards written at their limit; larger only adds latency "
                    + "and heap.");
    /** Runnel's own {@code MaxBlockMs}. */
    public static final ConfigKey<Long> MAX_BLOCK_MS = ConfigKey.number("MaxBlockMs", 60_000, 0, Long.MAX_VALUE, "ms",
            "How long addUserRecord may block for buffer space under BackpressurePolicy BLOCK.");
    /** Runnel's own {@code BackpressurePolicy}. */
    public static final ConfigKey<String> BACKPRESSURE_POLICY = ConfigKey.choice("BackpressurePolicy", "BLOCK",
            "What addUserRecord does when the buffer is full, or while buffered records of the record's shard have "
                    + "waited a quarter of RecordTtl to be sent (the shard takes less than is added; records of other "
                    + "shards go on): wait up to MaxBlockMs, or fail at once.",
            "BLOCK", "FAIL");
    /** Runnel's own {@code StrictOrdering}. */
    public static final ConfigKey<Boolean> STRICT_ORDERING = ConfigKey.bool("StrictOrdering", false,
            "Keep per-key order for records sent without aggregation too: a request carries one Kinesis record per "
                    + "shard and each shard aggregates in one lane (by default one aggregated record per lane of keys, "
                    + "any number of single records), so a record the service refuses is never followed by a later "
                    + "one of its shard it accepted.");
    /** Runnel's own {@code PipelineThreads}. */
    public static final ConfigKey<Long> PIPELINE_THREADS = ConfigKey.number("PipelineThreads", 0, 0, 64, "threads",
            "Threads that aggregate, limit and send records (0: one per four processors, at least one). Each owns an "
                    + "equal slice of the hash key space, so every key stays with one thread and keeps its order; a "
                    + "shard whose range crosses slices is aggregated by each, under one shared rate limit.");
    /** Runnel's own {@code RingBufferSize}. */
    public static final ConfigKey<Long> RING_BUFFER_SIZE = ConfigKey.number("RingBufferSize", 65_536, 64, 1L << 30,
            "slots, power of two", "Slots of the ingest ring buffer.");
    /** Runnel's own {@code IgnoreUnknownProperties}. */
    public static final ConfigKey<Boolean> IGNORE_UNKNOWN_PROPERTIES = ConfigKey.bool("IgnoreUnknownProperties",
            false, "Accept unknown and native-daemon-only properties (listed in one warning) instead of failing.");

    /** Every key, in documentation order. */
    public static final List<ConfigKey<?>> ALL = List.of(
            AGGREGATION_ENABLED, AGGREGATION_MAX_COUNT, AGGREGATION_MAX_SIZE, COLLECTION_MAX_COUNT,
            COLLECTION_MAX_SIZE, RECORD_MAX_BUFFERED_TIME, RECORD_TTL, MAX_USER_RECORD_SIZE, RATE_LIMIT,
            FAIL_IF_THROTTLED, REGION, KINESIS_ENDPOINT, KINESIS_PORT, VERIFY_CERTIFICATE, MAX_CONNECTIONS,
            MIN_CONNECTIONS, CONNECT_TIMEOUT, REQUEST_TIMEOUT, CA_CERT_PATH, CA_CERT_FILE, PROXY_HOST, PROXY_PORT,
            PROXY_USER_NAME, PROXY_PASSWORD, CREDENTIALS_REFRESH_DELAY, METRICS_LEVEL, METRICS_GRANULARITY,
            METRICS_NAMESPACE, METRICS_UPLOAD_DELAY, CLOUDWATCH_ENDPOINT, CLOUDWATCH_PORT,
            USER_RECORD_TIMEOUT_IN_MILLIS, ENABLE_OLDEST_FUTURE_TRACKER, RETURN_USER_RECORD_ON_FAILURE,
            DESCRIBE_STREAM_SUMMARY_INTERVAL_MS, RECORD_DISTRIBUTION_STRATEGY_DEFAULT,
            KINESIS_ENDPOINT_URL, CLOUDWATCH_ENDPOINT_URL, NON_PROXY_HOSTS, PROTOCOL, MAX_BUFFERED_BYTES, MAX_BLOCK_MS,
            BACKPRESSURE_POLICY,
            STRICT_ORDERING, PIPELINE_THREADS,
            RING_BUFFER_SIZE, IGNORE_UNKNOWN_PROPERTIES,
            LOG_LEVEL, THREADING_MODEL, THREAD_POOL_SIZE, NATIVE_EXECUTABLE, TEMP_DIRECTORY, ENABLE_CORE_DUMPS,
            ENABLE_DAEMON_HEALTH_CHECK, DAEMON_HEALTH_CHECK_TIMEOUT_MS, STS_ENDPOINT, STS_PORT);

    /** Property names whose values are secrets: never printed. */
    static final List<String> SECRETS = List.of("ProxyPassword");

    private static final Map<String, ConfigKey<?>> BY_NAME = new LinkedHashMap<>();

    static {
        for (ConfigKey<?> k : ALL) {
            if (BY_NAME.put(k.name(), k) != null) {
                throw new IllegalStateException("duplicate config key " + k.name());
            }
        }
    }

    /**
     * Looks a property up by name.
     *
     * @param name the property's name, spelled exactly (case-sensitive, as the KPL spells it)
     * @return its key, or null when no property has that name
     */
    public static ConfigKey<?> byName(String name) {
        return BY_NAME.get(name);
    }
}
