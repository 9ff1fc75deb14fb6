package io.runnel.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Firehose flows against the bundled backend (delivered objects read back from its Firehose directory) and against a
 * WireMock Firehose that fails records: the Kinesis Agent's sample config, rotation, per-record failures and
 * throttling, and SIGKILL.
 */
class AgentFirehoseIT {
    private static final String STREAM = "yourkinesisstream";
    private static final String DELIVERY_STREAM = "yourdeliverystream";

    @TempDir
    Path tmp;
    private KinesisBackend backend;
    private NettyKinesisClient reader;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        backend = KinesisBackend.builder().port(0).dataDir(tmp.resolve("backend")).firehoseDir(tmp.resolve("firehose"))
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .createStream(STREAM, 2).start();
        // Delivered at once (IntervalInSeconds 0) rather than after the default 300 s, so tests can read them.
        String created = firehose("CreateDeliveryStream", """
                {"DeliveryStreamName": "%s", "DeliveryStreamType": "DirectPut",
                 "ExtendedS3DestinationConfiguration": {"RoleARN": "arn:aws:iam::1:role/r",
                   "BucketARN": "arn:aws:s3:::b", "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 0}}}
                """.formatted(DELIVERY_STREAM));
        assertThat(created).contains("DeliveryStreamARN");
        reader = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        reader.close();
        backend.close();
    }

    private String firehose(String action, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(backend.endpoint().resolve("/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Firehose_20150804." + action)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    private static void append(Path file, String prefix, int from, int to) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(prefix).append(i).append('\n');
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** How many times each line is in the delivered objects (records concatenated; each line ends in a newline). */
    private Map<String, Integer> delivered() throws IOException {
        Map<String, Integer> copies = new HashMap<>();
        for (String content : deliveredObjects()) {
            assertThat(content).as("a delivered object holds whole lines").endsWith("\n");
            for (String line : content.split("\n", -1)) {
                if (!line.isEmpty()) {
                    copies.merge(line, 1, Integer::sum);
                }
            }
        }
        return copies;
    }

    /** The contents of the objects the delivery stream has finished writing. */
    private List<String> deliveredObjects() throws IOException {
        Path root = tmp.resolve("firehose").resolve(DELIVERY_STREAM);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> finished = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.isRegularFile() && !f.toString().endsWith(".writing")) {
                    finished.add(f);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    // An object being written was renamed once finished while the directory was read: the next
                    // look (callers poll) finds it under its new name.
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        List<String> contents = new ArrayList<>();
        for (Path f : finished) {
            contents.add(Files.readString(f, StandardCharsets.UTF_8));
        }
        return contents;
    }

    /** How many times each line is in the Kinesis stream. */
    private Map<String, Integer> stream() {
        return StreamCopies.of(reader, STREAM);
    }

    private static boolean hasAll(Map<String, Integer> copies, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            if (!copies.containsKey(prefix + i)) {
                return false;
            }
        }
        return true;
    }

    private Process agentProcess(Path config) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder b = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AgentMain.class.getName(), config.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("agent-" + processes.size() + ".log").toFile());
        // The sample config names no region and no keys: the environment gives them, as on a real host.
        b.environment().put("AWS_REGION", "us-east-1");
        b.environment().put("AWS_ACCESS_KEY_ID", "local");
        b.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        b.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        Process p = b.start();
        processes.add(p);
        return p;
    }

    private String agentLog(int index) throws IOException {
        return Files.readString(tmp.resolve("agent-" + index + ".log"));
    }

    @Test
    void theKinesisAgentsSampleConfigSendsEveryLineOnceToTheStreamAndTheDeliveryStream() throws Exception {
        Path log = tmp.resolve("logs/app.log");
        // The Kinesis Agent's sample agent.json, with its endpoints pointed at the backend, its file pattern in the
        // test's directory, and a checkpoint file of the test's own (the default lives outside the test).
        Path config = tmp.resolve("agent.json");
        Files.writeString(config, """
                { "cloudwatch.emitMetrics": true, "kinesis.endpoint": "%s", "firehose.endpoint": "%s",
                  "checkpointFile": "%s",
                  "flows": [ { "filePattern": "%s*", "kinesisStream": "yourkinesisstream",
                               "partitionKeyOption": "RANDOM" },
                             { "filePattern": "%s*", "deliveryStream": "yourdeliverystream" } ] }
                """.formatted(backend.endpoint(), backend.endpoint(), tmp.resolve("cp/checkpoints.json"), log, log));
        // initialPosition is END_OF_FILE (the default): the file is there, empty, when the agent first looks
        append(log, "S-", 0, 0);
        Process agent = agentProcess(config);
        // both flows have looked at the file (its end is where a flow's first run starts), so nothing is skipped
        Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> agentLog(0).split("tailing " + log + " ", -1).length - 1 == 2);
        append(log, "S-", 0, 1_000);
        // rename-and-create rotation: the renamed file is read to its end, the new one from its start
        Files.move(log, log.resolveSibling("app.log.1"));
        append(log.resolveSibling("app.log.1"), "S-", 1_000, 1_100);
        append(log, "S-", 1_100, 2_000);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> hasAll(stream(), "S-", 2_000) && hasAll(delivered(), "S-", 2_000));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            System.out.println("stream: " + stream().size() + " lines, delivered: " + delivered().size()
                    + " lines; the agent's log:\n" + agentLog(0));
            throw e;
        }
        agent.destroy(); // SIGTERM: a clean stop
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        backend.firehose().close(); // delivers anything still buffered, so a duplicate would show
        Map<String, Integer> stream = stream();
        Map<String, Integer> delivered = delivered();
        assertThat(stream).hasSize(2_000).allSatisfy((line, n) -> assertThat(n).as(line).isEqualTo(1));
        assertThat(delivered).hasSize(2_000).allSatisfy((line, n) -> assertThat(n).as(line).isEqualTo(1));
        // cloudwatch.emitMetrics is acted on now, and a local endpoint keeps the metrics local
        assertThat(agentLog(0)).contains("agent metrics stay local")
                .doesNotContain("settings accepted but not acted on");
    }

    /** The delivered objects' lines, each with its line end as delivered, and how many times each is there. */
    private Map<String, Integer> deliveredAsIs() throws IOException {
        Map<String, Integer> copies = new HashMap<>();
        for (String content : deliveredObjects()) {
            for (String line : content.split("(?<=\n)")) {
                copies.merge(line, 1, Integer::sum);
            }
        }
        return copies;
    }

    @Test
    void packedRecordsDeliverEachLineAsReadCarriageReturnsIncluded() throws Exception {
        deliversEachLineAsRead("packed", ", \"aggregatedRecordSizeBytes\": 100", 2_000);
    }

    @Test
    void singleRecordsDeliverEachLineAsReadCarriageReturnsIncluded() throws Exception {
        deliversEachLineAsRead("single", "", 2_001);
    }

    /** 2,000 lines, most with Windows line ends, arrive in the delivered files byte for byte as they were read. */
    private void deliversEachLineAsRead(String dir, String flowSettings, int sentBelow) throws Exception {
        Path log = tmp.resolve(dir + "/app.log");
        Map<String, Integer> expected = new HashMap<>();
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            String line = "P-" + i + (i % 3 == 0 ? "\n" : "\r\n"); // Windows line ends, mostly
            content.append(line);
            expected.put(line, 1);
        }
        Files.createDirectories(log.getParent());
        Files.writeString(log, content);
        Path config = tmp.resolve("agent.json");
        Files.writeString(config, """
                { "firehose.endpoint": "%s", "kinesis.region": "us-east-1", "awsAccessKeyId": "a",
                  "awsSecretAccessKey": "b", "checkpointFile": "%s",
                  "flows": [ { "filePattern": "%s", "deliveryStream": "yourdeliverystream",
                               "initialPosition": "START_OF_FILE"%s } ] }
                """.formatted(backend.endpoint(), tmp.resolve("cp/checkpoints.json"), log, flowSettings));
        try (Agent agent = new Agent(AgentConfig.load(config))) {
            agent.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                    .until(() -> deliveredAsIs().keySet().containsAll(expected.keySet()));
            assertThat(agent.recordsSent()).isLessThan(sentBelow);
        }
        backend.firehose().close(); // delivers anything still buffered, so a duplicate would show
        assertThat(deliveredAsIs()).isEqualTo(expected);
    }

    @Test
    void killedWithSigkillDuringAFirehoseFlowEveryLineArrivesWithDuplicatesOnlyPastTheCheckpoint() throws Exception {
        Path log = tmp.resolve("killed/app.log");
        Path checkpoints = tmp.resolve("cp/checkpoints.json");
        Path config = tmp.resolve("agent.json");
        Files.writeString(config, """
                { "firehose.endpoint": "%s", "checkpointFile": "%s",
                  "flows": [ { "filePattern": "%s", "deliveryStream": "yourdeliverystream",
                               "initialPosition": "START_OF_FILE" } ] }
                """.formatted(backend.endpoint(), checkpoints, log));
        append(log, "K-", 0, 1_000);
        Process agent = agentProcess(config);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> hasAll(delivered(), "K-", 1_000));
        // an application writing steadily, and the agent killed in the middle of it
        for (int i = 1_000; i < 20_000; i += 100) {
            append(log, "K-", i, i + 100);
            Thread.sleep(10);
        }
        agent.destroyForcibly().waitFor(60, TimeUnit.SECONDS); // SIGKILL: no checkpoint written at the end
        long checkpointed = checkpointedOffset(checkpoints);
        append(log, "K-", 20_000, 30_000);
        Process again = agentProcess(config);
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> hasAll(delivered(), "K-", 30_000));
        again.destroy();
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        backend.firehose().close();
        Map<String, Integer> copies = delivered();
        assertThat(copies).hasSize(30_000);
        // Lines before the checkpoint the killed agent left were acknowledged and are never sent again; lines past
        // it may be (acknowledged after its last checkpoint write, or in flight at the kill), once more at most.
        int firstPastCheckpoint = linesBefore("K-", checkpointed);
        List<Integer> duplicated = copies.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> Integer.parseInt(e.getKey().substring(2))).sorted().toList();
        assertThat(duplicated).as("lines sent twice, with the checkpoint at line %d", firstPastCheckpoint)
                .allSatisfy(line -> assertThat(line).isBetween(firstPastCheckpoint, 19_999));
        assertThat(copies.values()).allSatisfy(c -> assertThat(c).isLessThanOrEqualTo(2));
        System.out.println("Firehose duplicates after SIGKILL: " + duplicated.size() + " of 30,000 lines, checkpoint"
                + " at line " + firstPastCheckpoint);
    }

    private static int linesBefore(String prefix, long offset) {
        int lines = 0;
        for (long at = 0; at < offset; at += (prefix + lines + "\n").length()) {
            lines++;
        }
        return lines;
    }

    private static long checkpointedOffset(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        JsonNode files = new ObjectMapper().readTree(file.toFile()).path("files");
        assertThat(files).hasSizeLessThanOrEqualTo(1);
        return files.isEmpty() ? 0 : files.get(0).path("offset").asLong();
    }

    /**
     * A Firehose that fails records: the first try of every third line fails ({@code InternalFailure} or, for every
     * sixth, throttled), and every fifth call is throttled whole (HTTP 503). It keeps what it "stored".
     */
    static final class FlakyFirehose implements ResponseDefinitionTransformerV2 {
        private static final ObjectMapper JSON = new ObjectMapper();
        final Map<String, Integer> stored = new ConcurrentHashMap<>();
        final Map<String, Integer> failedOnce = new ConcurrentHashMap<>();
        final Set<String> storedThenSentAgain = ConcurrentHashMap.newKeySet();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger failedRecords = new AtomicInteger();

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            int call = calls.incrementAndGet();
            if (call % 5 == 0) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(503)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"__type\": \"ServiceUnavailableException\", \"message\": \"Slow down.\"}")
                        .build();
            }
            try {
                JsonNode request = JSON.readTree(event.getRequest().getBodyAsString());
                ObjectNode response = JSON.createObjectNode();
                ArrayNode entries = response.putArray("RequestResponses");
                int failed = 0;
                for (JsonNode r : request.get("Records")) {
                    String line = new String(Base64.getDecoder().decode(r.get("Data").asText()),
                            StandardCharsets.UTF_8);
                    int n = Integer.parseInt(line.substring(2, line.length() - 1));
                    if (stored.containsKey(line)) {
                        storedThenSentAgain.add(line);
                    }
                    if (n % 3 == 0 && failedOnce.putIfAbsent(line, 1) == null) {
                        failed++;
                        failedRecords.incrementAndGet();
                        entries.addObject().put("ErrorCode", n % 6 == 0 ? "ServiceUnavailableException"
                                : "InternalFailure").put("ErrorMessage", "try again");
                    } else {
                        stored.merge(line, 1, Integer::sum);
                        entries.addObject().put("RecordId", "id-" + call + "-" + n);
                    }
                }
                response.put("FailedPutCount", failed);
                response.put("Encrypted", false);
                return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                        .withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(JSON.writeValueAsString(response)).build();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String getName() {
            return "flaky-firehose";
        }
    }

    @Test
    void recordsAFirehoseCallFailedAreSentAgainAndOnlyThose() throws Exception {
        FlakyFirehose flaky = new FlakyFirehose();
        WireMockServer wireMock = new WireMockServer(options().dynamicPort().extensions(flaky));
        wireMock.start();
        try {
            wireMock.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers("flaky-firehose")));
            Path log = tmp.resolve("flaky/app.log");
            append(log, "F-", 0, 3_000);
            AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                    { "firehose.endpoint": "http://localhost:%d", "kinesis.region": "us-east-1",
                      "awsAccessKeyId": "a", "awsSecretAccessKey": "b", "checkpointFile": "%s",
                      "flows": [ { "filePattern": "%s", "deliveryStream": "d", "initialPosition": "START_OF_FILE",
                                   "maxBufferSizeRecords": 200, "retryInitialBackoffMillis": 10,
                                   "retryMaxBackoffMillis": 200 } ] }
                    """.formatted(wireMock.port(), tmp.resolve("cp/checkpoints.json"), log)));
            try (Agent agent = new Agent(config)) {
                agent.start();
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> hasAll(stripped(flaky.stored), "F-",
                        3_000));
                // the checkpoint reaches the end of the file once every line is stored
                Awaitility.await().atMost(Duration.ofSeconds(30))
                        .until(() -> checkpointedOffset(tmp.resolve("cp/checkpoints.json")) == Files.size(log));
                assertThat(agent.recordsSent()).isEqualTo(3_000);
            }
            assertThat(flaky.failedRecords.get()).isEqualTo(1_000);
            assertThat(flaky.calls.get()).isGreaterThanOrEqualTo(5); // so at least one was throttled whole
            assertThat(flaky.stored).hasSize(3_000).allSatisfy((line, n) -> assertThat(n).as(line).isEqualTo(1));
            assertThat(flaky.storedThenSentAgain).as("records sent again after they were stored").isEmpty();
        } finally {
            wireMock.stop();
        }
    }

    private static Map<String, Integer> stripped(Map<String, Integer> withNewlines) {
        Map<String, Integer> out = new HashMap<>();
        withNewlines.forEach((k, v) -> out.put(k.substring(0, k.length() - 1), v));
        return out;
    }
}
