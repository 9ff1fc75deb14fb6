package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.UpdateShardCountRequest;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadgenCommandIT {
    private static KinesisBackend backend;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBackend() {
        backend = KinesisBackend.builder().port(0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .createStream("existing", 2).start();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run loadgen(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = RunnelCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "loadgen";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cl.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private String endpoint() {
        return backend.endpoint().toString();
    }

    /** A producer config whose own per-shard limiter stays out of the way of the limit-free backend. */
    private Path fastConfig() throws Exception {
        Path p = dir.resolve("producer.properties");
        Files.writeString(p, "RateLimit=1000000\nRecordMaxBufferedTime=50\n");
        return p;
    }

    @Test
    void runnelClientSendsVerifiesAndWritesReportAndPlot() throws Exception {
        Path report = dir.resolve("report.json");
        Path plot = dir.resolve("run.png");
        Run r = loadgen("--endpoint", endpoint(), "--stream", "runnel-verify", "--shards", "3", "--records", "20000",
                "--keys", "500", "--config", fastConfig().toString(), "--verify", "--report", report.toString(),
                "--plot", plot.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("stream runnel-verify created, ACTIVE with 3 open shards",
                "records   20,000 ok, 0 failed (of 20,000 sent)",
                "verify: 20000 records, 0 missing, 0 duplicates, 0 out of order", "PASSED");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("client").asText()).isEqualTo("runnel");
        assertThat(json.get("shards").asInt()).isEqualTo(3);
        assertThat(json.get("recordsSent").asLong()).isEqualTo(20_000);
        assertThat(json.get("recordsOk").asLong()).isEqualTo(20_000);
        assertThat(json.get("recordsFailed").asLong()).isZero();
        assertThat(json.get("recordsPerSecond").asDouble()).isPositive();
        assertThat(json.get("megabytesPerSecond").asDouble()).isPositive();
        assertThat(json.get("elapsedSeconds").asDouble()).isPositive();
        JsonNode latency = json.get("latencyMillis");
        assertThat(latency.get("p50").asDouble()).isPositive();
        assertThat(latency.get("p90").asDouble()).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
        assertThat(latency.get("p99").asDouble()).isGreaterThanOrEqualTo(latency.get("p90").asDouble());
        assertThat(latency.get("p999").asDouble()).isGreaterThanOrEqualTo(latency.get("p99").asDouble());
        assertThat(latency.get("max").asDouble()).isGreaterThanOrEqualTo(latency.get("p999").asDouble());
        assertThat(json.get("putRecordsCalls").asLong()).isPositive();
        assertThat(json.get("retries").asLong()).isZero();
        assertThat(json.get("throttles").asLong()).isZero();
        assertThat(json.get("peakHeapBytes").asLong()).isPositive();
        assertThat(json.get("userRecordsPerKinesisRecord").asDouble()).isGreaterThan(1);
        assertThat(json.get("verify").get("records").asLong()).isEqualTo(20_000);
        assertThat(json.get("verify").get("received").asLong()).isEqualTo(20_000);
        assertThat(json.get("verify").get("missing").asLong()).isZero();
        assertThat(json.get("verify").get("duplicates").asLong()).isZero();
        assertThat(json.get("verify").get("outOfOrder").asLong()).isZero();
        assertThat(json.get("throughput").isArray()).isTrue();
        assertThat(json.get("passed").asBoolean()).isTrue();

        BufferedImage image = ImageIO.read(plot.toFile());
        assertThat(image).as("a PNG ImageIO can read").isNotNull();
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(840);
    }

    @Test
    void sdkClientSendsInPutRecordsBatchesAndVerifies() throws Exception {
        Path report = dir.resolve("sdk.json");
        Run r = loadgen("--endpoint", endpoint(), "--stream", "sdk-verify", "--records", "6000", "--keys", "300",
                "--client", "sdk", "--verify", "--report", report.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("client    sdk", "verify: 6000 records, 0 missing, 0 duplicates, 0 out of order");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("recordsOk").asLong()).isEqualTo(6000);
        // No aggregation and at most 500 records per request: at least 12 requests, one Kinesis record per record.
        assertThat(json.get("putRecordsCalls").asLong()).isGreaterThanOrEqualTo(12);
        assertThat(json.get("userRecordsPerKinesisRecord").isNull()).isTrue();
        assertThat(r.out()).contains("read back 6,000 user records in 6,000 Kinesis records");
    }

    @Test
    void sdkClientRetriesWhatAThrottlingShardRefusesAndCountsIt() throws Exception {
        try (KinesisBackend limited = KinesisBackend.builder().port(0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(true)).start()) {
            Path report = dir.resolve("throttled.json");
            // One shard takes 1,000 records/s: 3,000 sent at once are refused in part and retried.
            Run r = loadgen("--endpoint", limited.endpoint().toString(), "--stream", "narrow", "--shards", "1",
                    "--records", "3000", "--client", "sdk", "--report", report.toString());

            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(report.toFile());
            assertThat(json.get("recordsOk").asLong()).isEqualTo(3000);
            assertThat(json.get("throttles").asLong()).isPositive();
            assertThat(json.get("retries").asLong()).isGreaterThanOrEqualTo(json.get("throttles").asLong());
            assertThat(json.get("putRecordsCalls").asLong()).isGreaterThan(6);
        }
    }

    @Test
    void verifyReadsAsTheKclDoesAcrossAReshardDuringTheRun() throws Exception {
        Path report = dir.resolve("reshard.json");
        String stream = "reshard-verify";
        Thread reshard = new Thread(() -> {
            try (NettyKinesisClient admin = NettyKinesisClient.builder()
                    .endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                    .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build()) {
                // once loadgen has created the stream and is writing to it
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> admin
                        .describeStreamSummary(new DescribeStreamSummaryRequest(stream, null)).join()
                        .streamDescriptionSummary().streamStatus().equals("ACTIVE"));
                Thread.sleep(500);
                admin.updateShardCount(new UpdateShardCountRequest(stream, null, 8, "UNIFORM_SCALING")).join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reshard.start();
        Run r = loadgen("--endpoint", endpoint(), "--stream", stream, "--shards", "4", "--records", "20000",
                "--rate", "5000", "--keys", "1000", "--config", fastConfig().toString(), "--verify", "--report",
                report.toString());
        reshard.join(60_000);

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("verify: 20000 records, 0 missing, 0 duplicates");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("verify").get("misplaced").asLong()).isNotNegative();
        assertThat(json.get("verify").get("received").asLong())
                .isEqualTo(20_000 + json.get("verify").get("misplaced").asLong());
    }

    @Test
    void rateSpacesTheRecords() throws Exception {
        Path report = dir.resolve("rate.json");
        long start = System.nanoTime();
        Run r = loadgen("--endpoint", endpoint(), "--stream", "rate", "--records", "2000", "--rate", "1000",
                "--config", fastConfig().toString(), "--report", report.toString());
        double wall = (System.nanoTime() - start) / 1e9;

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        // 2,000 records at 1,000/s cannot take less than about 2 s; a lower bound only, not a performance test.
        assertThat(json.get("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(1.5);
        assertThat(wall).isGreaterThanOrEqualTo(1.5);
        assertThat(json.get("recordsPerSecond").asDouble()).isLessThan(1100);
        assertThat(json.get("rateLimit").asDouble()).isEqualTo(1000);
    }

    @Test
    void durationSendsUntilItElapsesAndVerifiesWhatWasSent() throws Exception {
        Path report = dir.resolve("duration.json");
        Run r = loadgen("--endpoint", endpoint(), "--stream", "duration", "--duration", "1s", "--rate", "2000",
                "--config", fastConfig().toString(), "--verify", "--report", report.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        long sent = json.get("recordsSent").asLong();
        // at most the rate over the time the run took (with a second of slack); how far below that depends on this
        // machine's speed, so no lower bound
        assertThat(sent).isPositive().isLessThanOrEqualTo((long) (2000 * (json.get("elapsedSeconds").asDouble() + 1)));
        assertThat(json.get("recordsOk").asLong()).isEqualTo(sent);
        assertThat(json.get("durationLimitSeconds").asDouble()).isEqualTo(1.0);
        assertThat(json.get("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(0.9);
        assertThat(r.out()).contains("verify: " + sent + " records, 0 missing, 0 duplicates, 0 out of order");
    }

    @Test
    void aDurationRunStopsEarlyAtRecordsOrWhenIndicesNoLongerFitTheRecordSize() throws Exception {
        Run capped = loadgen("--endpoint", endpoint(), "--stream", "duration-cap", "--duration", "2m", "--records",
                "50", "--client", "sdk", "--verify");
        assertThat(capped.exit()).as(capped.out() + capped.err()).isZero();
        assertThat(capped.out()).contains("of 50 sent", "verify: 50 records, 0 missing");

        Run small = loadgen("--endpoint", endpoint(), "--stream", "duration-small", "--duration", "2m",
                "--record-size", "3", "--client", "sdk", "--verify");
        assertThat(small.exit()).as(small.out() + small.err()).isZero();
        assertThat(small.out()).contains("note: stopped at 100 records, the most whose index fits in --record-size 3",
                "verify: 100 records, 0 missing, 0 duplicates, 0 out of order");
    }

    @Test
    void anExistingStreamIsUsedAsItIs() {
        Run r = loadgen("--endpoint", endpoint(), "--stream", "existing", "--shards", "8", "--records", "100",
                "--client", "sdk");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("stream existing exists, ACTIVE with 2 open shards");
    }

    @Test
    void recordsAlreadyInTheStreamFailVerificationAndTheExitStatus() throws Exception {
        String[] args = {"--endpoint", endpoint(), "--stream", "twice", "--records", "1000", "--keys", "10",
            "--config", fastConfig().toString(), "--verify"};
        assertThat(loadgen(args).exit()).isZero();

        Run second = loadgen(args);

        assertThat(second.exit()).isEqualTo(1);
        assertThat(second.out()).contains("verify: 1000 records, 0 missing, 1000 duplicates", "FAILED");
    }

    @Test
    void badOptionsExitNonZeroWithAClearMessage() {
        Run small = loadgen("--endpoint", endpoint(), "--stream", "bad", "--records", "1000", "--record-size", "3");
        assertThat(small.exit()).isNotZero();
        assertThat(small.err()).contains("--record-size 3 is too small: record 999 needs 4 bytes");

        Run unknown = loadgen("--endpoint", endpoint(), "--stream", "bad", "--client", "kafka");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("--client must be runnel, sdk or kpl, was 'kafka'");

        Run kpl = loadgen("--endpoint", endpoint(), "--stream", "bad", "--client", "kpl");
        assertThat(kpl.exit()).isNotZero();
        assertThat(kpl.err()).contains("--client kpl needs the Amazon KPL", "Maven profile");

        Run duration = loadgen("--endpoint", endpoint(), "--stream", "bad", "--duration", "soon");
        assertThat(duration.exit()).isNotZero();
        assertThat(duration.err()).contains("'soon' needs a unit");

        Run configForSdk = loadgen("--endpoint", endpoint(), "--stream", "bad", "--client", "sdk", "--config",
                "x.properties");
        assertThat(configForSdk.exit()).isNotZero();
        assertThat(configForSdk.err()).contains("--config is the producer configuration of --client runnel");

        Run noEndpoint = loadgen("--stream", "bad");
        assertThat(noEndpoint.exit()).isNotZero();
        assertThat(noEndpoint.err()).contains("--endpoint");

        assertThat(backend.store().streams()).noneMatch(s -> s.name().equals("bad"));
    }

    @Test
    void anUnreachableEndpointFailsWithAMessage() throws Exception {
        int freePort;
        try (var socket = new java.net.ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        Run r = loadgen("--endpoint", "http://127.0.0.1:" + freePort, "--stream", "nowhere", "--records", "10");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("loadgen: cannot get stream nowhere ready at http://127.0.0.1:" + freePort);
    }
}
