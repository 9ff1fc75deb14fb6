package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.KinesisBackend;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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
}
