package io.runnel.producer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.producer.errors.ConfigException;
import io.runnel.wire.ProxySettings;
import io.runnel.wire.TransportOptions;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerConfigTest {
    @TempDir
    Path dir;

    private static Properties props(String text) throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    /** The KPL's defaults, written out from its default_config.properties independently of ConfigKeys. */
    private static final Map<String, Object> KPL_DEFAULTS = Map.ofEntries(
            Map.entry("AggregationEnabled", true), Map.entry("AggregationMaxCount", 4_294_967_295L),
            Map.entry("AggregationMaxSize", 51_200L), Map.entry("CollectionMaxCount", 500L),
            Map.entry("CollectionMaxSize", 5_242_880L), Map.entry("RecordMaxBufferedTime", 100L),
            Map.entry("RecordTtl", 30_000L), Map.entry("MaxConnections", 24L), Map.entry("MinConnections", 1L),
            Map.entry("ConnectTimeout", 6_000L), Map.entry("RequestTimeout", 6_000L), Map.entry("RateLimit", 150L),
            Map.entry("FailIfThrottled", false), Map.entry("MaxUserRecordSize", 1_048_576L),
            Map.entry("KinesisPort", 443L), Map.entry("VerifyCertificate", true), Map.entry("MetricsLevel", "DETAILED"),
            Map.entry("MetricsGranularity", "SHARD"), Map.entry("MetricsNamespace", "KinesisProducerLibrary"),
            Map.entry("MetricsUploadDelay", 60_000L), Map.entry("CredentialsRefreshDelay", 5_000L),
            Map.entry("UserRecordTimeoutInMillis", 0L), Map.entry("EnableOldestFutureTracker", true),
            Map.entry("ReturnUserRecordOnFailure", false), Map.entry("DescribeStreamSummaryIntervalMs", 300_000L),
            Map.entry("RecordDistributionStrategyDefault", "UNSET"), Map.entry("CloudwatchPort", 443L),
            Map.entry("ProxyPort", 443L), Map.entry("KinesisEndpoint", ""), Map.entry("Region", ""));

    @Test
    void defaultsAreTheKpls() {
        ProducerConfig c = ProducerConfig.builder().build();
        KPL_DEFAULTS.forEach((name, value) -> assertThat((Object) c.get(ConfigKeys.byName(name))).as(name)
                .isEqualTo(value));
        assertThat(c.recordMaxBufferedTime()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.recordTtl()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aKplPropertiesFileLoadsWhenDaemonOnlyKeysMayBeIgnored() throws Exception {
        String kplFile = """
                AggregationEnabled = true
                AggregationMaxCount = 4294967295
                AggregationMaxSize = 51200
                CollectionMaxCount = 500
                CollectionMaxSize = 5242880
                ConnectTimeout = 6000
                CredentialsRefreshDelay = 5000
                EnableCoreDumps = false
                FailIfThrottled = false
                KinesisPort = 443
                LogLevel = info
                MaxConnections = 24
                MetricsGranularity = shard
                MetricsLevel = detailed
                MetricsNamespace = KinesisProducerLibrary
                MetricsUploadDelay = 60000
                MinConnections = 1
                NativeExecutable =
                RateLimit = 150
                RecordMaxBufferedTime = 100
                RecordTtl = 30000
                Region = us-east-1
                RequestTimeout = 6000
                TempDirectory =
                ThreadingModel = PER_REQUEST
                ThreadPoolSize = 0
                VerifyCertificate = true
                """;
        assertThatThrownBy(() -> ProducerConfig.fromProperties(props(kplFile)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .extracting(ConfigException.Problem::key).containsExactlyInAnyOrder("EnableCoreDumps",
                                "LogLevel", "NativeExecutable", "TempDirectory", "ThreadingModel", "ThreadPoolSize"))
                .hasMessageContaining("native daemon");
        Path file = dir.resolve("kpl.properties");
        Files.writeString(file, kplFile + "IgnoreUnknownProperties = true\n", StandardCharsets.UTF_8);
        ProducerConfig c = ProducerConfig.fromPropertiesFile(file);
        assertThat(c.get(ConfigKeys.REGION)).isEqualTo("us-east-1");
        assertThat(c.get(ConfigKeys.METRICS_LEVEL)).isEqualTo("DETAILED");
        assertThat(c).isEqualTo(ProducerConfig.builder().region("us-east-1")
                .set(ConfigKeys.IGNORE_UNKNOWN_PROPERTIES, true).build());
    }

    @Test
    void everyBadValueIsReportedInOneException() throws Exception {
        assertThatThrownBy(() -> ProducerConfig.fromProperties(props("""
                RecordTtl = soon
                CollectionMaxCount = 501
                MetricsLevel = verbose
                aggregationenabled = true
                """))).isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(4);
                    assertThat(e.problems()).extracting(ConfigException.Problem::key)
                            .containsExactlyInAnyOrder("RecordTtl", "CollectionMaxCount", "MetricsLevel",
                                    "aggregationenabled");
                }).hasMessageContaining("RecordTtl=soon: must be a whole number")
                .hasMessageContaining("CollectionMaxCount=501: must be in 1 … 500")
                .hasMessageContaining("MetricsLevel=verbose: must be one of NONE, SUMMARY, DETAILED")
                .hasMessageContaining("unknown property");
    }

    @Test
    void rulesBetweenPropertiesAreChecked() throws Exception {
        assertThatThrownBy(() -> ProducerConfig.fromProperties(props("""
                RecordTtl = 100
                RecordMaxBufferedTime = 500
                RingBufferSize = 1000
                KinesisEndpoint = https://example.com
                AggregationMaxSize = 6000000
                """))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .extracting(ConfigException.Problem::key).containsExactlyInAnyOrder(
                        "RecordTtl/RecordMaxBufferedTime", "RingBufferSize", "KinesisEndpoint",
                        "AggregationMaxSize/CollectionMaxSize"));
    }

    @Test
    void builderRefusesBadValuesAtOnce() {
        assertThatThrownBy(() -> ProducerConfig.builder().maxConnections(0)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("MaxConnections=0");
        assertThatThrownBy(() -> ProducerConfig.builder().set(ConfigKeys.THREAD_POOL_SIZE, 4L))
                .hasMessageContaining("native daemon");
        assertThatThrownBy(() -> ProducerConfig.builder().region("Mars").build()).hasMessageContaining("Region=Mars");
        ProducerConfig c = ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMillis(20))
                .kinesisEndpointUrl("http://127.0.0.1:4567").build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(c.recordMaxBufferedTime()).isEqualTo(Duration.ofMillis(20));
    }

    @Test
    void secretsAreNotPrinted() throws Exception {
        ProducerConfig c = ProducerConfig.fromProperties(props("ProxyUserName = bob\nProxyPassword = hunter2\n"));
        assertThat(c.toString()).contains("ProxyPassword=****").doesNotContain("hunter2");
        assertThat(c.toProperties().getProperty("ProxyPassword")).isEqualTo("hunter2");
    }

    @Test
    void proxyAndCaCertificateProblemsAreListedTogether(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "no certificate here");
        assertThatThrownBy(() -> ProducerConfig.fromProperties(props("ProxyHost = http://proxy:3128\n"
                + "ProxyPassword = hunter2\nCaCertFile = " + notPem + "\nCaCertPath = " + dir.resolve("missing")
                + "\n"))).isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).extracting(ConfigException.Problem::key).containsExactlyInAnyOrder(
                            "ProxyHost", "ProxyPassword", "CaCertFile", "CaCertPath");
                    assertThat(e.getMessage()).doesNotContain("hunter2").contains("not.pem", "missing");
                });
        ProducerConfig ok = ProducerConfig.fromProperties(props("ProxyHost = proxy.corp\nProxyPort = 3128\n"
                + "NonProxyHosts = localhost|*.internal\nMinConnections = 4\n"));
        assertThat(ok.get(ConfigKeys.NON_PROXY_HOSTS)).isEqualTo("localhost|*.internal");
        assertThat(ok.get(ConfigKeys.MIN_CONNECTIONS)).isEqualTo(4L);
    }

    @Test
    void transportOptionsCarryTheProxyEveryClientUses() throws Exception {
        ProducerConfig c = ProducerConfig.fromProperties(props("ProxyHost = proxy.corp\nProxyPort = 3128\n"
                + "ProxyUserName = bob\nProxyPassword = hunter2\nNonProxyHosts = localhost|*.internal\n"
                + "VerifyCertificate = false\n"));
        assertThat(c.transportOptions().proxy()).isEqualTo(ProxySettings.of("proxy.corp", 3128)
                .withBasicAuth("bob", "hunter2").withNonProxyHosts("localhost|*.internal"));
        assertThat(c.transportOptions().caCertificates()).isEmpty();
        assertThat(c.verifyCertificate()).isFalse();
        assertThat(ProducerConfig.builder().build().transportOptions()).isEqualTo(TransportOptions.DEFAULT);
    }

    @Test
    void docsTableIsCurrent() throws Exception {
        Path readme = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(ConfigDocs.BEGIN);
        int end = text.indexOf(ConfigDocs.END);
        assertThat(begin).as("docs/configuration.md has the config table markers").isNotNegative();
        String table = text.substring(begin + ConfigDocs.BEGIN.length(), end).strip();
        assertThat(table).as("docs/configuration.md's producer property table is stale: replace it with the output"
                + " of ConfigDocs.main (see that page)").isEqualTo(ConfigDocs.render().strip());
    }
}
