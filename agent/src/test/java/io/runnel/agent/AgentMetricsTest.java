package io.runnel.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runnel.wire.cloudwatch.MetricDatum;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMetricsTest {
    private static final String OK = "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
            + "<ResponseMetadata><RequestId>ok</RequestId></ResponseMetadata></PutMetricDataResponse>";

    @TempDir
    Path tmp;

    @Test
    void countsArePerIntervalPerDestinationAndBytesBehindIsTheLatestValue() {
        AtomicLong sent = new AtomicLong(10);
        AgentMetrics m = new AgentMetrics(() -> List.of(
                new AgentMetrics.FlowTotals("KinesisStream:s", 12, sent.get(), 1, 300),
                new AgentMetrics.FlowTotals("KinesisStream:s", 3, 3, 0, 20), // a second flow into the same stream
                new AgentMetrics.FlowTotals("DeliveryStream:d", 0, 0, 0, 0)));
        List<MetricDatum> first = m.drain(Instant.EPOCH);
        assertThat(first).hasSize(8);
        assertThat(value(first, "RecordsSent", "KinesisStream:s")).isEqualTo(13);
        assertThat(value(first, "RecordsParsed", "KinesisStream:s")).isEqualTo(15);
        assertThat(value(first, "RecordSendErrors", "KinesisStream:s")).isEqualTo(1);
        assertThat(value(first, "BytesBehind", "KinesisStream:s")).isEqualTo(320);
        sent.set(15);
        List<MetricDatum> second = m.drain(Instant.EPOCH);
        assertThat(value(second, "RecordsSent", "KinesisStream:s")).isEqualTo(5);
        assertThat(value(second, "RecordSendErrors", "KinesisStream:s")).isZero();
        assertThat(value(second, "BytesBehind", "KinesisStream:s")).isEqualTo(320);
    }

    private static double value(List<MetricDatum> data, String name, String destination) {
        return data.stream().filter(d -> d.metricName().equals(name)
                        && d.dimensions().get(0).value().equals(destination)).findFirst().orElseThrow()
                .statisticValues().sum();
    }

    @Test
    void theAgentUploadsSignedPutMetricDataWithTheKinesisAgentsNamesToTheConfiguredEndpoint() throws Exception {
        WireMockServer cloudWatch = new WireMockServer(wireMockConfig().dynamicPort());
        cloudWatch.start();
        try {
            cloudWatch.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody(OK)));
            Path log = tmp.resolve("app.log");
            Files.writeString(log, "one\ntwo\n");
            AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                    {"checkpointFile": "%s", "kinesis.region": "eu-west-1", "awsAccessKeyId": "AKIDAGENT",
                     "awsSecretAccessKey": "secret", "cloudwatch.endpoint": "http://127.0.0.1:%d",
                     "flows": [{"filePattern": "%s", "kinesisStream": "s", "initialPosition": "START_OF_FILE"}]}"""
                    .formatted(tmp.resolve("checkpoints.json"), cloudWatch.port(), log)));
            List<HoldingSink> sinks = new ArrayList<>();
            try (Agent agent = new Agent(config, HoldingSink.each(sinks::add, true))) {
                agent.start();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sinks.get(0).delivered().size() == 2);
            } // close uploads the last interval
            List<LoggedRequest> calls = cloudWatch.findAll(com.github.tomakehurst.wiremock.client.WireMock
                    .postRequestedFor(urlEqualTo("/")));
            assertThat(calls).hasSize(1);
            String body = URLDecoder.decode(calls.get(0).getBodyAsString(), StandardCharsets.UTF_8);
            assertThat(body).contains("Action=PutMetricData", "Namespace=AWSKinesisAgent", "=RecordsSent",
                    "=RecordSendErrors", "=RecordsParsed", "=BytesBehind", "=Destination", "=KinesisStream:s");
            assertThat(calls.get(0).getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDAGENT/")
                    .contains("/eu-west-1/monitoring/aws4_request");
        } finally {
            cloudWatch.stop();
        }
    }

    @Test
    void aLocalDestinationWithoutACloudWatchEndpointUploadsNothing() throws Exception {
        AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                {"checkpointFile": "%s", "kinesis.endpoint": "http://127.0.0.1:1", "kinesis.region": "us-east-1",
                 "awsAccessKeyId": "a", "awsSecretAccessKey": "b",
                 "flows": [{"filePattern": "%s/x.log", "kinesisStream": "s"}]}"""
                .formatted(tmp.resolve("checkpoints.json"), tmp)));
        try (Agent agent = new Agent(config)) {
            assertThat(agent.uploadsMetrics()).isFalse();
        }
        assertThat(Agent.isLoopback("http://localhost:4567")).isTrue();
        assertThat(Agent.isLoopback("http://[::1]:4567")).isTrue();
        assertThat(Agent.isLoopback("https://kinesis.us-east-1.amazonaws.com")).isFalse();
    }
}
