package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import io.runnel.backend.KinesisBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import org.awaitility.Awaitility;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BackendCommandTest {
    private static BackendCommand parse(String... args) {
        CommandLine cl = RunnelCli.commandLine();
        CommandLine.ParseResult r = cl.parseArgs(args);
        return (BackendCommand) r.subcommand().commandSpec().userObject();
    }

    @Test
    void startsWithTheGivenStreamsOnAnEphemeralPort() throws Exception {
        try (KinesisBackend backend = parse("backend", "--port", "0", "--create-stream", "a:2", "--create-stream", "b",
                "--limits", "off").start()) {
            assertThat(backend.port()).isPositive();
            assertThat(backend.store().stream("a", null).shards()).hasSize(2);
            assertThat(backend.store().stream("b", null).shards()).hasSize(1);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    backend.endpoint() + "/")).header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "Kinesis_20131202.ListStreams")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"StreamNames\":[\"a\",\"b\"]");
        }
    }

    @Test
    void spillsUnderTheSpillDirectoryAndRemovesItsFilesAtClose(@TempDir Path dir) throws Exception {
        Path spillRoot;
        try (KinesisBackend backend = parse("backend", "--port", "0", "--spill-dir", dir.toString(),
                "--hot-bytes-per-shard", "1024", "--create-stream", "a:1").start()) {
            try (var entries = Files.list(dir)) {
                spillRoot = entries.findFirst().orElseThrow();
            }
            assertThat(spillRoot.getFileName().toString())
                    .startsWith("runnel-backend-" + ProcessHandle.current().pid() + "-");
        }
        assertThat(spillRoot).doesNotExist();
        assertThatThrownBy(() -> parse("backend", "--data-dir", dir.toString(), "--spill-dir", "off").start())
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--spill-dir");
    }

    @Test
    void createsDeliveryStreamsThatDeliverUnderTheFirehoseDirectory(@TempDir Path dir) throws Exception {
        try (KinesisBackend backend = parse("backend", "--port", "0", "--create-delivery-stream", "logs",
                "--create-delivery-stream", "audit", "--firehose-dir", dir.toString()).start()) {
            assertThat(backend.firehose().names()).containsExactly("audit", "logs");
            assertThat(backend.firehose().deliveryRoot()).isEqualTo(dir);
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    backend.endpoint() + "/")).header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "Firehose_20150804.PutRecord")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"DeliveryStreamName\":\"logs\",\"Record\":{\"Data\":"
                            + "\"aGk=\"}}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"RecordId\"");
        }
        try (var files = Files.walk(dir.resolve("logs"))) {
            assertThat(files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList()).containsExactly("hi"); // delivered at close
        }
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> parse("backend", "--limits", "maybe").start()).hasMessageContaining("--limits");
        assertThatThrownBy(() -> parse("backend", "--auth", "sigv4").start()).hasMessageContaining("--access-key");
        assertThatThrownBy(() -> parse("backend", "--create-stream", "x:zero").start())
                .hasMessageContaining("--create-stream x:zero");
        assertThatThrownBy(() -> parse("backend", "--fsync", "always").start()).hasMessageContaining("--data-dir");
        assertThatThrownBy(() -> parse("backend", "--region", "Nowhere").start()).hasMessageContaining("--region");
        assertThatThrownBy(() -> parse("backend", "--create-delivery-stream", "no way").start())
                .hasMessageContaining("--create-delivery-stream no way");
        assertThatThrownBy(() -> parse("backend", "--max-record-bytes", "0").start())
                .hasMessageContaining("--max-record-bytes");
    }

    private static int consoleStatus(KinesisBackend backend) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(backend.endpoint()
                + "/console/api/streams")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void servesTheConsoleUnlessToldNotToOrSignaturesAreRequired() throws Exception {
        try (KinesisBackend backend = parse("backend", "--port", "0").start()) {
            assertThat(consoleStatus(backend)).isEqualTo(200);
        }
        try (KinesisBackend backend = parse("backend", "--port", "0", "--console", "off").start()) {
            assertThat(consoleStatus(backend)).as("the API's answer to a GET").isNotEqualTo(200);
        }
        try (KinesisBackend backend = parse("backend", "--port", "0", "--auth", "sigv4", "--access-key", "AKIDONE",
                "--secret-key", "one-secret").start()) {
            assertThat(consoleStatus(backend)).as("its pages would show the records to anyone").isNotEqualTo(200);
        }
        assertThatThrownBy(() -> parse("backend", "--port", "0", "--console", "maybe").start())
                .hasMessageContaining("--console must be on or off");
    }

    @Test
    void sigv4TakesSeveralKeyPairsGivenInOrder() {
        try (KinesisBackend backend = parse("backend", "--port", "0", "--auth", "sigv4", "--access-key", "AKIDONE",
                "--secret-key", "one-secret", "--access-key", "AKIDTWO", "--secret-key", "two-secret").start()) {
            assertThat(backend.signedRequestsByAccessKey()).isEmpty();
        }
        assertThatThrownBy(() -> parse("backend", "--auth", "sigv4", "--access-key", "A", "--secret-key", "a",
                "--access-key", "B").start()).hasMessageContaining("give them in pairs");
        assertThatThrownBy(() -> parse("backend", "--auth", "sigv4", "--access-key", "A", "--secret-key", "a",
                "--access-key", "A", "--secret-key", "b").start()).hasMessageContaining("share an access key id");
    }

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cl = RunnelCli.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("backend", "--help")).isZero();
        assertThat(out.toString()).contains("--data-dir", "--tls-port", "--create-stream", "--auth", "--limits",
                "--create-delivery-stream", "--firehose-dir");
    }

    @Test
    void countsTheUserRecordsInsideAggregatesAndSaysWhatTheyCost() throws Exception {
        Aggregator aggregate = new Aggregator(AggregationLimits.KPL_DEFAULTS);
        for (int i = 0; i < 3; i++) {
            assertThat(aggregate.tryAdd("k" + i, null, ("user-" + i).getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(Aggregator.AddResult.ADDED);
        }
        byte[] aggregated = aggregate.toBytes();
        byte[] lookalike = java.util.Arrays.copyOf(aggregated, aggregated.length - 1); // magic, but not an aggregate
        byte[] plain = "plain".getBytes(StandardCharsets.UTF_8);
        try (KinesisBackend backend = parse("backend", "--port", "0", "--create-stream", "s:1").start()) {
            assertThat(backend.writeStats().records()).isZero();
            Base64.Encoder b64 = Base64.getEncoder();
            String body = "{\"StreamName\":\"s\",\"Records\":[" + String.join(",",
                    "{\"PartitionKey\":\"a\",\"Data\":\"" + b64.encodeToString(aggregated) + "\"}",
                    "{\"PartitionKey\":\"b\",\"Data\":\"" + b64.encodeToString(plain) + "\"}",
                    "{\"PartitionKey\":\"c\",\"Data\":\"" + b64.encodeToString(lookalike) + "\"}") + "]}";
            HttpRequest put = HttpRequest.newBuilder(URI.create(backend.endpoint() + "/"))
                    .header("Content-Type", "application/x-amz-json-1.1")
                    .header("X-Amz-Target", "Kinesis_20131202.PutRecords")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpClient http = HttpClient.newHttpClient();
            // the stream is CREATING for a moment after start
            HttpResponse<String> r = Awaitility.await().atMost(Duration.ofSeconds(30)).until(
                    () -> http.send(put, HttpResponse.BodyHandlers.ofString()), x -> x.statusCode() != 400
                            || !x.body().contains("ResourceNotFoundException"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"FailedRecordCount\":0");
            var stats = backend.writeStats();
            assertThat(stats.requests()).isEqualTo(1);
            assertThat(stats.records()).isEqualTo(3);
            assertThat(stats.userRecords()).isEqualTo(3 + 1 + 1);
            assertThat(stats.bytes()).isEqualTo(aggregated.length + plain.length + lookalike.length + 3);
            assertThat(BackendCommand.statsLine(stats, 2_500_000, null, 0)).isEqualTo("stored 5 user records in 3"
                    + " Kinesis records (1 requests, 0.0 MB); backend CPU 0.0 s: 500.00 µs per user record");
            var earlier = new io.runnel.backend.api.WriteStats.Snapshot(1, 1, 1, 10);
            assertThat(BackendCommand.statsLine(stats, 2_500_000, earlier, 400_000)).endsWith(
                    "500.00 µs per user record; since the last line 100.00 µs");
        }
    }
}
