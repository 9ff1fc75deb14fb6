package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against the bundled backend: files written, rotated both ways (rename-and-create, copytruncate), the
 * agent stopped and started again, killed with SIGKILL as a separate process, the backend stopped and started again —
 * and every line read back from the stream.
 */
class AgentIT {
    @TempDir
    Path tmp;
    private KinesisBackend backend;
    private NettyKinesisClient reader;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() {
        backend = startBackend(0);
        reader = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
    }

    private KinesisBackend startBackend(int port) {
        return KinesisBackend.builder().port(port).dataDir(tmp.resolve("backend"))
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .createStream("logs", 2).start();
    }

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        reader.close();
        backend.close();
    }

    private Path config(String... flows) throws IOException {
        StringBuilder json = new StringBuilder("{\"checkpointFile\": \"" + tmp.resolve("cp/checkpoints.json")
                + "\", \"kinesis.endpoint\": \"" + backend.endpoint() + "\", \"kinesis.region\": \"us-east-1\","
                + " \"awsAccessKeyId\": \"a\", \"awsSecretAccessKey\": \"b\", \"flows\": [");
        for (int i = 0; i < flows.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"filePattern\": \"").append(flows[i])
                    .append("\", \"kinesisStream\": \"logs\", \"initialPosition\": \"START_OF_FILE\"}");
        }
        json.append("], \"producer\": {\"RecordMaxBufferedTime\": 20}}");
        Path file = tmp.resolve("agent.json");
        Files.writeString(file, json);
        new ObjectMapper().readTree(file.toFile()); // valid JSON
        return file;
    }

    private static void append(Path file, String prefix, int from, int to) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(prefix).append(i).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** How many times each line is in the stream. */
    private Map<String, Integer> stream() {
        return StreamCopies.of(reader, "logs");
    }

    private void awaitLines(String prefix, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
            Map<String, Integer> s = stream();
            for (int i = 0; i < count; i++) {
                if (!s.containsKey(prefix + i)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static long duplicates(Map<String, Integer> copies) {
        return copies.values().stream().mapToLong(c -> c - 1).sum();
    }

    @Test
    void aCompressedFileUnderThePatternIsNotTailedAndIsNamedOnceInTheLog() throws Exception {
        Path dir = tmp.resolve("compressed");
        append(dir.resolve("app.log"), "Z-", 0, 500);
        // logrotate's compressed generation: real gzip of other lines, under the same pattern
        StringBuilder old = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            old.append("G-").append(i).append('\n');
        }
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("app.log.1.gz")))) {
            gz.write(old.toString().getBytes(StandardCharsets.UTF_8));
        }
        AgentConfig config = AgentConfig.load(config(dir + "/app.log*"));
        try (StderrCapture err = new StderrCapture()) {
            try (Agent agent = new Agent(config)) {
                agent.start();
                awaitLines("Z-", 500);
                // the directory is looked at again every 100 ms: the file is still named only once
                Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                        .until(() -> err.lines().stream().filter(l -> l.contains("app.log.1.gz")).count() == 1);
            }
            assertThat(err.lines().stream().filter(l -> l.contains("app.log.1.gz")))
                    .singleElement().asString().contains(" INFO ").contains("a compressed file");
        }
        Map<String, Integer> s = stream();
        assertThat(s).hasSize(500).allSatisfy((line, n) -> assertThat(line).startsWith("Z-"));
    }

    @Test
    void rotationsBothWaysAndARestartLoseNothingAndDuplicateNothing() throws Exception {
        Path renamed = tmp.resolve("renamed/app.log");
        Path copied = tmp.resolve("copied/app.log");
        AgentConfig config = AgentConfig.load(config(renamed.toString(), copied.getParent() + "/app.log*"));
        append(renamed, "R-", 0, 1_000);
        append(copied, "C-", 0, 1_000);
        try (Agent agent = new Agent(config)) {
            agent.start();
            awaitLines("R-", 1_000);
            awaitLines("C-", 1_000);
            // rename-and-create: the old file is finished through its open handle, the new one read from its start
            append(renamed, "R-", 1_000, 1_500);
            Files.move(renamed, renamed.resolveSibling("app.log.1"));
            append(renamed.resolveSibling("app.log.1"), "R-", 1_500, 1_600); // a writer still on the old file
            Files.writeString(renamed.resolveSibling("app.log.1"), "R-last-without-newline",
                    StandardOpenOption.APPEND); // goes once the rotated file is quiet
            append(renamed, "R-", 1_600, 2_000);
            // copytruncate: the copy resumes where the original was read to; the truncated file starts over
            append(copied, "C-", 1_000, 1_200);
            Thread.sleep(500);
            append(copied, "C-", 1_200, 1_300); // maybe not read yet when copied
            Files.copy(copied, copied.resolveSibling("app.log.1"), StandardCopyOption.REPLACE_EXISTING);
            Files.write(copied, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(copied, "C-", 1_300, 2_000);
            awaitLines("R-", 2_000);
            awaitLines("C-", 2_000);
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> stream().containsKey("R-last-without-newline"));
        }
        // stopped: lines written meanwhile are sent when it comes back, from the checkpoints
        append(renamed, "R-", 2_000, 2_500);
        append(copied, "C-", 2_000, 2_500);
        Path newFile = tmp.resolve("copied/app.log.new");
        append(newFile, "N-", 0, 100); // appeared while stopped: read from its start
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        try (Agent agent = new Agent(config, registry)) {
            agent.start();
            awaitLines("R-", 2_500);
            awaitLines("C-", 2_500);
            awaitLines("N-", 100);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> registry.find("runnel.agent.records.sent")
                    .functionCounters().stream().mapToDouble(c -> c.count()).sum() >= 1_100);
            assertThat(registry.find("runnel.agent.lines.read").functionCounters()).hasSize(2);
            assertThat(registry.find("UserRecordsPut").meters()).isNotEmpty(); // and the producer's KPL metrics
            // a file read to its end and deleted is released
            String copiedFlow = config.flows().get(1).id();
            java.util.function.Supplier<Double> files = () -> registry.get("runnel.agent.files")
                    .tag("flow", copiedFlow).gauge().value();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files.get() == 3.0);
            Files.delete(copied.resolveSibling("app.log.1"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> files.get() == 2.0);
        }
        Map<String, Integer> copies = stream();
        assertThat(copies).hasSize(5_101);
        assertThat(duplicates(copies)).as("duplicates").isZero();
    }

    @Test
    void killedWithSigkillAndRestartedEveryLineArrivesWithFewDuplicates() throws Exception {
        Path log = tmp.resolve("killed/app.log");
        Path config = config(log.toString());
        append(log, "K-", 0, 1_000);
        Process agent = agentProcess(config);
        awaitLines("K-", 1_000);
        // an application writing steadily, ~10,000 lines/s, and the agent killed in the middle of it
        for (int i = 1_000; i < 20_000; i += 100) {
            append(log, "K-", i, i + 100);
            Thread.sleep(10);
        }
        agent.destroyForcibly().waitFor(60, TimeUnit.SECONDS); // SIGKILL: no checkpoint written at the end
        long checkpointed = checkpointedOffset(config);
        append(log, "K-", 20_000, 30_000);
        Process again = agentProcess(config);
        awaitLines("K-", 30_000);
        again.destroy(); // SIGTERM: clean stop
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Map<String, Integer> copies = stream();
        assertThat(copies).hasSize(30_000);
        // Only lines past the checkpoint the killed agent left may come twice (acknowledged after its last checkpoint
        // write, or in flight at the kill); none before it. How many that is depends on this machine's speed, so the
        // bound is the test's own measure: the lines written before the kill that lie past that checkpoint.
        int firstPastCheckpoint = linesBefore("K-", checkpointed);
        List<Integer> duplicated = copies.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> Integer.parseInt(e.getKey().substring(2))).sorted().toList();
        assertThat(duplicated).as("lines sent twice, with the checkpoint at line %d", firstPastCheckpoint)
                .allSatisfy(line -> assertThat(line).isBetween(firstPastCheckpoint, 19_999));
        assertThat(copies.values()).as("copies of a line").allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(2));
        System.out.println("duplicates after SIGKILL: " + duplicates(copies) + " of 30,000 lines, checkpoint at line "
                + firstPastCheckpoint + (duplicated.isEmpty() ? ""
                        : ", lines " + duplicated.get(0) + " to " + duplicated.get(duplicated.size() - 1)));
    }

    /** How many of the lines {@link #append} writes with {@code prefix} lie wholly before {@code offset}. */
    private static int linesBefore(String prefix, long offset) {
        int lines = 0;
        for (long at = 0; at < offset; at += (prefix + lines + "\n").length()) {
            lines++;
        }
        return lines;
    }

    /** The offset the checkpoint file holds for the test's one file (0 when none was written). */
    private static long checkpointedOffset(Path agentConfig) throws IOException {
        Path file = Path.of(new ObjectMapper().readTree(agentConfig.toFile()).get("checkpointFile").asText());
        if (!Files.exists(file)) {
            return 0;
        }
        var files = new ObjectMapper().readTree(file.toFile()).path("files");
        assertThat(files).hasSizeLessThanOrEqualTo(1);
        return files.isEmpty() ? 0 : files.get(0).path("offset").asLong();
    }

    @Test
    void aBackendOutageIsWaitedOutWithoutLosingLines() throws Exception {
        Path log = tmp.resolve("outage/app.log");
        AgentConfig config = AgentConfig.load(config(log.toString()));
        append(log, "O-", 0, 500);
        try (Agent agent = new Agent(config)) {
            agent.start();
            awaitLines("O-", 500);
            int port = backend.endpoint().getPort();
            backend.close();
            append(log, "O-", 500, 1_500); // tailed while the backend is away
            Thread.sleep(2_000);
            backend = startBackend(port); // same port, same data directory
            awaitLines("O-", 1_500);
        }
        assertThat(stream()).hasSize(1_500);
    }

    private Process agentProcess(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName(), config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("agent-" + processes.size() + ".log").toFile())
                .start();
        processes.add(p);
        return p;
    }
}
