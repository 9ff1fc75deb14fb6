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
                    {"filePattern": "/var/log/app/*.log", "kinesisStream": "logs", "partitionKeyOption": "DETERMINISTIC",
                     "initialPosition": "START_OF_FILE", "maxBufferAgeMillis": 5000, "maxBufferSizeRecords": 100,
                     "multiLineStartPattern": "^\\\\d{4}-", "skipHeaderLines": 1, "truncatedRecordTerminator": "...",
                     "dataProcessingOptions": [{"optionName": "LOGTOJSON", "logFormat": "COMMONAPACHELOG"}]},
                    {"filePattern": "/var/log/other.log", "deliveryStream": "to-firehose", "kinesisStream": "other"}
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
        assertThat(f.processing()).hasSize(1);
        assertThat(c.flows().get(1).initialPosition()).isEqualTo(AgentConfig.InitialPosition.END_OF_FILE);
        assertThat(c.producer().getProperty("RecordMaxBufferedTime")).isEqualTo("50");
        assertThat(c.ignored()).contains("$.cloudwatch.emitMetrics", "$.flows[0].maxBufferSizeRecords")
                .anySatisfy(s -> assertThat(s).contains("Firehose").contains("$.firehose.endpoint")
                        .contains("$.flows[1].deliveryStream"));
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
    void everyProblemIsReportedAtOnceWithItsPath() {
        assertThatThrownBy(() -> parse("""
                {"flows": [
                   {"filePattern": "relative/*.log", "kinesisStream": "s", "partitionKeyOption": "SOMETIMES",
                    "maxBufferAgeMillis": 5, "colour": "blue",
                    "dataProcessingOptions": [{"optionName": "ADDEC2METADATA"}]},
                   {"filePattern": "/var/*/x.log"},
                   {"filePattern": "/var/log/x.log", "kinesisStream": "s", "multiLineStartPattern": "(unclosed"}
                 ],
                 "awsAccessKeyId": "AKIA", "typo": 1}"""))
                .isInstanceOfSatisfying(AgentConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "$.typo: unknown setting",
                        "$.awsAccessKeyId / $.awsSecretAccessKey: give both or neither",
                        "$.flows[0].colour: unknown setting",
                        "$.flows[0].filePattern: must be an absolute path, was 'relative/*.log'",
                        "$.flows[0].partitionKeyOption: must be one of [RANDOM, DETERMINISTIC], was \"SOMETIMES\"",
                        "$.flows[0].maxBufferAgeMillis: must be between 1000 and 900000, was 5",
                        "$.flows[0].dataProcessingOptions[0].optionName: 'ADDEC2METADATA' is not supported (SINGLELINE, CSVTOJSON, LOGTOJSON are)",
                        "$.flows[1].filePattern: wildcards are supported in the file name only, was '/var/*/x.log'",
                        "$.flows[1].kinesisStream: required",
                        "$.flows[2].multiLineStartPattern: not a regular expression: Unclosed group"));
        assertThatThrownBy(() -> parse("{\"flows\": []}")).isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("$.flows: must be a non-empty list");
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
