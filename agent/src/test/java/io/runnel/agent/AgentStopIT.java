package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the agent is quiet: no WARN or ERROR line and no stack trace, whether it is stopped in the middle of
 * reading a file (its thread is not interrupted in a file read, which would close the file under it and lose the
 * checkpoint written at stop) or closed without ever having started (no Netty complaint about a connection still
 * being opened as the client shuts down).
 */
class AgentStopIT {
    private static final int LINES = 200_000;

    @TempDir
    Path tmp;
    private KinesisBackend backend;
    private NettyKinesisClient reader;

    @BeforeEach
    void start() throws Exception {
        backend = KinesisBackend.builder().port(0).dataDir(tmp.resolve("backend")).firehoseDir(tmp.resolve("firehose"))
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .createStream("logs", 2).start();
        HttpRequest create = HttpRequest.newBuilder(backend.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Firehose_20150804.CreateDeliveryStream")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"DeliveryStreamName": "d", "DeliveryStreamType": "DirectPut",
                         "ExtendedS3DestinationConfiguration": {"RoleARN": "arn:aws:iam::1:role/r",
                           "BucketARN": "arn:aws:s3:::b", "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0}}}
                        """)).build();
        HttpResponse<String> created = HttpClient.newHttpClient().send(create, HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        reader = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
    }

    @AfterEach
    void stop() {
        reader.close();
        backend.close();
    }

    /** A Kinesis flow and a Firehose flow, to {@code endpoint}. */
    private AgentConfig config(URI endpoint) throws Exception {
        String json = """
                {"checkpointFile": "%s", "kinesis.endpoint": "%s", "firehose.endpoint": "%s",
                 "kinesis.region": "us-east-1", "awsAccessKeyId": "a", "awsSecretAccessKey": "b",
                 "cloudwatch.emitMetrics": false,
                 "flows": [{"filePattern": "%s", "kinesisStream": "logs", "initialPosition": "START_OF_FILE"},
                           {"filePattern": "%s", "deliveryStream": "d", "initialPosition": "START_OF_FILE"}],
                 "producer": {"RecordMaxBufferedTime": 20}}
                """.formatted(tmp.resolve("cp/checkpoints.json"), endpoint, endpoint, tmp.resolve("k.log"),
                tmp.resolve("f.log"));
        return AgentConfig.parse(new ObjectMapper().readTree(json));
    }

    @Test
    void stoppingInTheMiddleOfReadingLogsNothingAndKeepsTheCheckpointExact() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            b.append("line-").append(i).append('\n');
        }
        Files.writeString(tmp.resolve("k.log"), b);
        Files.writeString(tmp.resolve("f.log"), b);
        AgentConfig config = config(backend.endpoint());
        try (StderrCapture err = new StderrCapture()) {
            // stopped over and over while it reads (and while it waits), each time from the checkpoint the last wrote
            for (int i = 0; i < 6 && stream().size() < LINES; i++) {
                Agent agent = new Agent(config);
                agent.start();
                Thread.sleep(150 + 100 * i);
                agent.close();
            }
            try (Agent agent = new Agent(config)) {
                agent.start();
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> stream().size() == LINES);
            }
            assertThat(err.warningsAndErrors()).as("WARN and ERROR lines, stack traces").isEmpty();
        }
        // Every stop wrote its checkpoint after the last acknowledged line: nothing was sent twice.
        Map<String, Integer> copies = stream();
        assertThat(copies).hasSize(LINES);
        assertThat(copies.values().stream().mapToInt(c -> c - 1).sum()).as("duplicates").isZero();
    }

    @Test
    void closingAnAgentThatNeverStartedLogsNothing() throws Exception {
        try (StderrCapture err = new StderrCapture()) {
            for (int i = 0; i < 10; i++) {
                new Agent(config(backend.endpoint())).close();
                new Agent(config(URI.create("http://127.0.0.1:1"))).close(); // nothing listens there
            }
            for (int i = 0; i < 3; i++) {
                // nothing answers there (or the network is unreachable): the connection is still being opened
                new Agent(config(URI.create("http://10.255.255.1:1"))).close();
            }
            assertThat(err.warningsAndErrors()).as("WARN and ERROR lines, stack traces").isEmpty();
        }
    }

    /** How many times each line is in the stream. */
    private Map<String, Integer> stream() {
        return StreamCopies.of(reader, "logs");
    }
}
