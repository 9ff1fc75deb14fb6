package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
    private static AgentConfig parse(String json) throws Exception {
        return AgentConfig.parse(new ObjectMapper().readTree(json));
    }

    @Test
    void aKinesisAgentConfigRunsAsItIsAndUnsupportedSettingsAreNamed() throws Exception {
        AgentConfig c = parse("""
                {
                  "checkpointFile": "/var/lib/x/cp.json",
                  "cloudwatch.emitMetrics": false,
                  "kinesis.endpoint": "kinesis.eu-west-1.amazonaws.com",
                  "firehose.endpoint": "firehose.eu-west-1.amazonaws.com",
                  "flows": [
                    {"filePattern": "/var/log/app/*.log", "kinesisStream": "logs",
                     "partitionKeyOption": "DETERMINISTIC", "initialPosition": "START_OF_FILE",
                     "maxBufferAgeMillis": 5000, "maxBufferSizeRecords": 100,
                     "multiLineStartPattern": "^\\\\d{4}-", "skipHeaderLines": 1, "truncatedRecordTerminator": "...",
                     "fileFooterPattern": "^# END.*",
                     "dataProcessingOptions": [{"optionName": "LOGTOJSON", "logFormat": "COMMONAPACHELOG"}]},
                    {"filePattern": "/var/log/other.log", "deliveryStream": "to-firehose"}
                  ],
                  "producer": {"AggregationEnabled": true, "RecordMaxBufferedTime": 50}
                }""");
        assertThat(c.checkpointFile()).isEqualTo(Path.of("/var/lib/x/cp.json"));
        assertThat(c.endpoint()).isEqualTo("https://kinesis.eu-west-1.amazonaws.com");
        assertThat(c.flows()).hasSize(2);
        AgentConfig.Flow f = c.flows().get(0);
        assertThat(f.stream()).isEqualTo("logs");
        assertThat(f.partitionKeyOption()).isEqualTo(AgentConfig.PartitionKeyOption.DETERMINISTIC);
        assertThat(f.initialPosition()).isEqualTo(AgentConfig.InitialPosition.START_OF_FILE);
        assertThat(f.multiLineStartPattern().pattern()).isEqualTo("^\\d{4}-");
        assertThat(f.skipHeaderLines()).isEqualTo(1);
        // acted on (no longer in ignored()); compiled as the Kinesis Agent's FileFlow does, with MULTILINE
        assertThat(f.fileFooterPattern().pattern()).isEqualTo("^# END.*");
        assertThat(f.fileFooterPattern().flags()).isEqualTo(java.util.regex.Pattern.MULTILINE);
        assertThat(c.flows().get(1).fileFooterPattern()).isNull();
        assertThat(f.processing()).hasSize(1);
        assertThat(c.flows().get(1).initialPosition()).isEqualTo(AgentConfig.InitialPosition.END_OF_FILE);
        assertThat(c.producer().getProperty("RecordMaxBufferedTime")).isEqualTo("50");
        assertThat(c.ignored()).containsExactly("$.flows[0].maxBufferSizeRecords");
        assertThat(c.emitMetrics()).isFalse();
        assertThat(c.firehoseEndpoint()).isEqualTo("https://firehose.eu-west-1.amazonaws.com");
        assertThat(c.flows().get(1).destination()).isEqualTo(AgentConfig.Destination.DELIVERY_STREAM);
        assertThat(c.flows().get(1).stream()).isEqualTo("to-firehose");
    }

    @Test
    void theKinesisAgentsSampleConfigRunsWithAKinesisAndAFirehoseFlow() throws Exception {
        AgentConfig c = parse("""
                { "cloudwatch.emitMetrics": true, "kinesis.endpoint": "", "firehose.endpoint": "",
                  "flows": [ { "filePattern": "/tmp/app.log*", "kinesisStream": "yourkinesisstream",
                               "partitionKeyOption": "RANDOM" },
                             { "filePattern": "/tmp/app.log*", "deliveryStream": "yourdeliverystream" } ] }""");
        assertThat(c.endpoint()).isNull();
        assertThat(c.firehoseEndpoint()).isNull();
        assertThat(c.ignored()).isEmpty();
        assertThat(c.emitMetrics()).isTrue();
        AgentConfig.Flow kinesis = c.flows().get(0);
        AgentConfig.Flow firehose = c.flows().get(1);
        assertThat(kinesis.toFirehose()).isFalse();
        assertThat(firehose.toFirehose()).isTrue();
        assertThat(kinesis.id()).isEqualTo("yourkinesisstream:/tmp/app.log*"); // as before Firehose flows
        assertThat(firehose.id()).isEqualTo("firehose:yourdeliverystream:/tmp/app.log*");
        // Firehose takes 1,000 KiB a record, newline included; batches as the Kinesis Agent's Firehose defaults
        assertThat(firehose.maxRecordBytes()).isEqualTo(1000 * 1024 - 1);
        assertThat(firehose.maxBufferSizeRecords()).isEqualTo(500);
        assertThat(firehose.maxBufferSizeBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(firehose.retryInitialBackoffMillis()).isEqualTo(100);
        assertThat(firehose.retryMaxBackoffMillis()).isEqualTo(10_000);
        assertThat(kinesis.maxRecordBytes()).isEqualTo(1024 * 1024);
    }

    @Test
    void firehoseFlowsActOnTheirBatchAndRetrySettingsAndSayWhatTheyIgnore() throws Exception {
        AgentConfig c = parse("""
                {"firehose.endpoint": "firehose.eu-west-1.amazonaws.com",
                 "flows": [{"filePattern": "/tmp/a.log", "deliveryStream": "d", "maxBufferSizeRecords": 100,
                            "maxBufferSizeBytes": 1048576, "retryInitialBackoffMillis": 200,
                            "retryMaxBackoffMillis": 5000, "partitionKeyOption": "DETERMINISTIC",
                            "aggregatedRecordSizeBytes": 4096},
                           {"filePattern": "/tmp/b.log", "kinesisStream": "k", "maxBufferSizeBytes": 5242880}]}""");
        AgentConfig.Flow f = c.flows().get(0);
        assertThat(f.maxBufferSizeRecords()).isEqualTo(100);
        assertThat(f.maxBufferSizeBytes()).isEqualTo(1024 * 1024);
        assertThat(f.retryInitialBackoffMillis()).isEqualTo(200);
        assertThat(f.retryMaxBackoffMillis()).isEqualTo(5000);
        assertThat(f.aggregatedRecordSizeBytes()).isEqualTo(4096);
        assertThat(c.ignored()).containsExactly(
                "$.flows[0].partitionKeyOption (Firehose records have no partition key)",
                "$.flows[1].maxBufferSizeBytes");
        assertThatThrownBy(() -> parse("""
                {"flows": [{"filePattern": "/tmp/a.log", "deliveryStream": "d", "kinesisStream": "k"},
                           {"filePattern": "/tmp/b.log", "deliveryStream": "d", "maxBufferSizeRecords": 501,
                            "maxBufferSizeBytes": 5242880, "retryInitialBackoffMillis": 500,
                            "retryMaxBackoffMillis": 100},
                           {"filePattern": "/tmp/c.log", "deliveryStream": ""}]}"""))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "$.flows[0]: give kinesisStream (a Kinesis stream) or deliveryStream (a Firehose delivery"
                                + " stream), not both",
                        "$.flows[1].maxBufferSizeRecords: must be between 1 and 500, was 501",
                        "$.flows[1].maxBufferSizeBytes: must be between 1 and 4194304, was 5242880",
                        "$.flows[1].retryMaxBackoffMillis: must not be below retryInitialBackoffMillis (500), was 100",
                        "$.flows[2].deliveryStream: must be a non-empty string, was \"\""));
    }

    @Test
    void aggregatedRecordSizeBytesPacksFirehoseRecordsOnlyAndIsCheckedAgainstFirehosesRecordLimit() throws Exception {
        // The Kinesis Agent's FirehoseFileFlow: 0 (off, the default) to 1000 KiB; replaced by the multi-line splitter
        // when a flow has a multiLineStartPattern; a KinesisFileFlow never reads it.
        AgentConfig c = parse("""
                {"flows": [{"filePattern": "/tmp/a.log", "deliveryStream": "d", "aggregatedRecordSizeBytes": 1024000},
                           {"filePattern": "/tmp/b.log", "deliveryStream": "d", "aggregatedRecordSizeBytes": 512,
                            "multiLineStartPattern": "^2"},
                           {"filePattern": "/tmp/c.log", "kinesisStream": "k", "aggregatedRecordSizeBytes": 512},
                           {"filePattern": "/tmp/d.log", "deliveryStream": "d"}]}""");
        assertThat(c.flows()).extracting(AgentConfig.Flow::aggregatedRecordSizeBytes).containsExactly(1024000, 0, 0, 0);
        assertThat(c.ignored()).containsExactly(
                "$.flows[1].aggregatedRecordSizeBytes (not with multiLineStartPattern)",
                "$.flows[2].aggregatedRecordSizeBytes (a Kinesis flow's records are packed by the producer's"
                        + " aggregation)");
        assertThatThrownBy(() -> parse("""
                {"flows": [{"filePattern": "/tmp/a.log", "deliveryStream": "d", "aggregatedRecordSizeBytes": 1024001},
                           {"filePattern": "/tmp/b.log", "deliveryStream": "d", "aggregatedRecordSizeBytes": -1}]}"""))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "$.flows[0].aggregatedRecordSizeBytes: must be between 0 and 1024000, was 1024001",
                        "$.flows[1].aggregatedRecordSizeBytes: must be between 0 and 1024000, was -1"));
    }

    @Test
    void emptyEndpointsRegionAndKeysMeanTheDefaults() throws Exception {
        // the Kinesis Agent's own sample configuration writes them as empty strings
        AgentConfig c = parse("""
                {"cloudwatch.emitMetrics": true, "kinesis.endpoint": "", "firehose.endpoint": "",
                 "kinesis.region": "", "awsAccessKeyId": "", "awsSecretAccessKey": "",
                 "flows": [{"filePattern": "/tmp/app.log*", "kinesisStream": "yourkinesisstream",
                            "partitionKeyOption": "RANDOM"}]}""");
        assertThat(c.endpoint()).isNull();
        assertThat(c.region()).isNull();
        assertThat(c.accessKeyId()).isNull();
        assertThat(c.secretKey()).isNull();
        assertThat(c.flows()).singleElement().satisfies(f -> assertThat(f.stream()).isEqualTo("yourkinesisstream"));
        assertThatThrownBy(() -> parse("""
                {"kinesis.endpoint": 7, "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}"""))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("$.kinesis.endpoint: must be a non-empty string, was 7"));
    }

    @Test
    void theKinesisAgentsConnectionSettingsSetTheProducersUnlessItsOwnSectionDoes() throws Exception {
        AgentConfig c = parse("""
                {"maxConnections": 50, "connectionTimeoutMillis": 20000, "socketTimeoutMillis": "50000",
                 "flows": [{"filePattern": "/var/log/a.log", "kinesisStream": "s"}]}""");
        assertThat(c.producer()).containsEntry("MaxConnections", "50").containsEntry("ConnectTimeout", "20000")
                .containsEntry("RequestTimeout", "50000");
        assertThat(c.ignored()).isEmpty();

        AgentConfig own = parse("""
                {"maxConnections": 50, "producer": {"MaxConnections": 8},
                 "flows": [{"filePattern": "/var/log/a.log", "kinesisStream": "s"}]}""");
        assertThat(own.producer().getProperty("MaxConnections")).isEqualTo("8");

        assertThatThrownBy(() -> parse("""
                {"maxConnections": 1000, "connectionTimeoutMillis": 20000, "socketTimeoutMillis": "soon",
                 "flows": [{"filePattern": "/var/log/a.log", "kinesisStream": "s"}]}"""))
                .isInstanceOfSatisfying(AgentConfigException.class,
                        e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "$.maxConnections: must be in 1 … 256 (the producer's MaxConnections), was 1000",
                        "$.socketTimeoutMillis: must be a whole number (the producer's RequestTimeout), was \"soon\""));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        assertThatThrownBy(() -> parse("""
                {"flows": [
                   {"filePattern": "relative/*.log", "kinesisStream": "s", "partitionKeyOption": "SOMETIMES",
                    "maxBufferAgeMillis": 5, "colour": "blue",
                    "dataProcessingOptions": [{"optionName": "USINGPLUGGIN"}]},
                   {"filePattern": "/var/**/x.log"},
                   {"filePattern": "/var/log/x.log", "kinesisStream": "s", "multiLineStartPattern": "(unclosed",
                    "fileFooterPattern": "[unclosed"}
                 ],
                 "awsAccessKeyId": "AKIA", "typo": 1}"""))
                .isInstanceOfSatisfying(AgentConfigException.class,
                        e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "$.typo: unknown setting",
                        "$.awsAccessKeyId / $.awsSecretAccessKey: give both or neither",
                        "$.flows[0].colour: unknown setting",
                        "$.flows[0].filePattern: must be an absolute path, was 'relative/*.log'",
                        "$.flows[0].partitionKeyOption: must be one of [RANDOM, DETERMINISTIC], was \"SOMETIMES\"",
                        "$.flows[0].maxBufferAgeMillis: must be between 1000 and 900000, was 5",
                        "$.flows[0].dataProcessingOptions[0].optionName: 'USINGPLUGGIN' is not supported (SINGLELINE,"
                                + " CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDEC2METADATA, ADDBRACKETS are)",
                        "$.flows[1].filePattern: '**' (any depth) is not supported: one wildcard matches within one"
                                + " path segment,"
                                + " as in /var/log/*/app.log, was '/var/**/x.log'",
                        "$.flows[1].kinesisStream: required (or deliveryStream, for a Firehose delivery stream)",
                        "$.flows[2].multiLineStartPattern: not a regular expression: Unclosed group",
                        "$.flows[2].fileFooterPattern: not a regular expression: Unclosed character class"));
        assertThatThrownBy(() -> parse("{\"flows\": []}")).isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("$.flows: must be a non-empty list");
    }

    @Test
    void cloudWatchMetricsAreOnByDefaultAndTheirSettingsAreChecked() throws Exception {
        AgentConfig c = parse("""
                {"cloudwatch.endpoint": "monitoring.eu-west-1.amazonaws.com",
                 "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}""");
        assertThat(c.emitMetrics()).isTrue();
        assertThat(c.cloudwatchEndpoint()).isEqualTo("https://monitoring.eu-west-1.amazonaws.com");
        assertThat(c.cloudwatchNamespace()).isEqualTo("AWSKinesisAgent");
        assertThat(c.ignored()).isEmpty();
        assertThat(parse("""
                {"cloudwatch.namespace": "MyApp/Agent", "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}
                """).cloudwatchNamespace()).isEqualTo("MyApp/Agent");
        assertThatThrownBy(() -> parse("""
                {"cloudwatch.namespace": "AWS/Kinesis", "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}
                """)).isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "$.cloudwatch.namespace: must not start with AWS/ (reserved for AWS services), was"
                                + " 'AWS/Kinesis'"));
        assertThatThrownBy(() -> parse("{\"cloudwatch.namespace\": \"" + "n".repeat(256)
                + "\", \"flows\": [{\"filePattern\": \"/tmp/a.log\", \"kinesisStream\": \"s\"}]}"))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).singleElement()
                        .asString().startsWith("$.cloudwatch.namespace: must be 1-255 characters"));
        assertThat(parse("""
                {"cloudwatch.emitMetrics": "false", "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}""")
                .emitMetrics()).isFalse();
        assertThatThrownBy(() -> parse("""
                {"cloudwatch.emitMetrics": "sometimes", "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}
                """)).isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("$.cloudwatch.emitMetrics: must be true or false, was \"sometimes\""));
    }

    @Test
    void checkpointsAreWrittenEverySecondUnlessTheFileSaysOtherwise() throws Exception {
        String flows = "\"flows\": [{\"filePattern\": \"/tmp/a.log\", \"kinesisStream\": \"s\"}]";
        assertThat(parse("{" + flows + "}").checkpointIntervalMillis()).isEqualTo(1_000);
        assertThat(parse("{\"checkpointIntervalMillis\": 100, " + flows + "}").checkpointIntervalMillis())
                .isEqualTo(100);
        assertThat(parse("{\"checkpointIntervalMillis\": \"5000\", " + flows + "}").checkpointIntervalMillis())
                .isEqualTo(5_000);
        assertThatThrownBy(() -> parse("{\"checkpointIntervalMillis\": 0, " + flows + "}"))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "$.checkpointIntervalMillis: must be between 1 and 3600000, was 0"));
        assertThatThrownBy(() -> parse("{\"checkpointIntervalMillis\": 1.5, " + flows + "}"))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactly(
                        "$.checkpointIntervalMillis: must be a whole number, was 1.5"));
    }

    @Test
    void theDefaultCheckpointFileSurvivesAReboot() {
        assertThat(AgentConfig.defaultCheckpointFile().toString()).doesNotStartWith("/tmp").doesNotStartWith("/var/run")
                .endsWith("checkpoints.json");
    }

    @Test
    void theExampleConfigIsValid() {
        AgentConfig c = AgentConfig.load(Path.of("..", "examples", "agent", "agent.json"));
        assertThat(c.flows()).hasSize(2);
        assertThat(c.ignored()).isEmpty();
    }
}
