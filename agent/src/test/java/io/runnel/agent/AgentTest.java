package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.wire.auth.AwsEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentTest {
    @TempDir
    Path home;

    private static AgentConfig parse(String json) throws Exception {
        return AgentConfig.parse(new ObjectMapper().readTree(json));
    }

    private AwsEnvironment environment(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_EC2_METADATA_DISABLED", "true"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return new AwsEnvironment(env, new Properties(), home);
    }

    @Test
    void theKinesisEndpointForTheLocalCheckComesFromTheFileTheProducerSettingsOrTheEnvironment() throws Exception {
        String flows = "\"flows\": [{\"filePattern\": \"/tmp/a.log\", \"kinesisStream\": \"k\"}]";
        AgentConfig plain = parse("{" + flows + "}");
        assertThat(Agent.kinesisEndpoint(plain, environment())).isNull();
        assertThat(Agent.kinesisEndpoint(plain, environment("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")))
                .isEqualTo("http://127.0.0.1:4566");
        assertThat(Agent.kinesisEndpoint(plain, environment("AWS_ENDPOINT_URL", "http://10.0.0.1",
                "AWS_ENDPOINT_URL_KINESIS", "http://localhost:4567"))).isEqualTo("http://localhost:4567");
        AgentConfig producerUrl = parse("{" + flows + ", \"producer\": {\"KinesisEndpointUrl\": \"http://[::1]:1\"}}");
        assertThat(Agent.kinesisEndpoint(producerUrl, environment("AWS_ENDPOINT_URL", "https://example.com")))
                .isEqualTo("http://[::1]:1");
        AgentConfig producerHost = parse("{" + flows + ", \"producer\": {\"KinesisEndpoint\": \"localhost\"}}");
        assertThat(Agent.isLoopback(Agent.kinesisEndpoint(producerHost, environment()))).isTrue();
        AgentConfig file = parse("{\"kinesis.endpoint\": \"kinesis.eu-west-1.amazonaws.com\", " + flows + "}");
        assertThat(Agent.isLoopback(Agent.kinesisEndpoint(file, environment("AWS_ENDPOINT_URL", "http://127.0.0.1"))))
                .isFalse();
    }

    @Test
    void firehoseLinesGoWithTheirNewlineAndKinesisLinesWithout() throws Exception {
        AgentConfig c = parse("""
                {"flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "k"},
                           {"filePattern": "/tmp/a.log", "deliveryStream": "d"},
                           {"filePattern": "/tmp/a.log", "deliveryStream": "d",
                            "dataProcessingOptions": [
                              {"optionName": "CSVTOJSON", "customFieldNames": ["a", "b"]}]}]}""");
        assertThat(new String(Agent.recordData(c.flows().get(0), "hello"), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(new String(Agent.recordData(c.flows().get(1), "hello"), StandardCharsets.UTF_8))
                .isEqualTo("hello\n");
        // a record cut with the default terminator already ends in a newline: no second one
        assertThat(new String(Agent.recordData(c.flows().get(1), "cut\n"), StandardCharsets.UTF_8)).isEqualTo("cut\n");
        // after the processing options: one JSON document per line in the delivered objects
        assertThat(new String(Agent.recordData(c.flows().get(2), "1,2"), StandardCharsets.UTF_8))
                .isEqualTo("{\"a\":\"1\",\"b\":\"2\"}\n");
    }

    @Test
    void theFirehoseEndpointIsTheConfiguredOneElseTheEnvironmentsElseTheRegions() throws Exception {
        AgentConfig local = parse("""
                {"firehose.endpoint": "http://127.0.0.1:4567", "kinesis.region": "eu-west-1",
                 "flows": [{"filePattern": "/tmp/a.log", "deliveryStream": "d"}]}""");
        assertThat(Agent.firehoseEndpoint(local, environment()).uri().toString()).isEqualTo("http://127.0.0.1:4567");
        assertThat(Agent.firehoseEndpoint(local, environment()).region()).isEqualTo("eu-west-1");

        AgentConfig sample = parse("""
                {"kinesis.endpoint": "", "firehose.endpoint": "",
                 "flows": [{"filePattern": "/tmp/a.log", "deliveryStream": "d"}]}""");
        assertThat(Agent.firehoseEndpoint(sample, environment("AWS_REGION", "us-west-2")).uri().toString())
                .isEqualTo("https://firehose.us-west-2.amazonaws.com");
        assertThat(Agent.firehoseEndpoint(sample, environment("AWS_REGION", "us-west-2",
                "AWS_ENDPOINT_URL_FIREHOSE", "http://localhost:9000")).uri().toString())
                .isEqualTo("http://localhost:9000");
        assertThatThrownBy(() -> Agent.firehoseEndpoint(sample, environment()))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("Firehose flows need one");

        AgentConfig byHost = parse("""
                {"firehose.endpoint": "firehose.ap-south-1.amazonaws.com",
                 "flows": [{"filePattern": "/tmp/a.log", "deliveryStream": "d"}]}""");
        assertThat(Agent.firehoseEndpoint(byHost, environment()).region()).isEqualTo("ap-south-1");
    }
}
