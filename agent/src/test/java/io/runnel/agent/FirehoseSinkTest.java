package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.firehose.DeliveryStreamDescription;
import io.runnel.wire.firehose.FirehoseClient;
import io.runnel.wire.firehose.PutRecordBatchResponse;
import io.runnel.wire.firehose.PutRecordBatchResponseEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Firehose sink driven by hand: a scripted client, time passed to {@code poll} (no thread, no sleeps). */
class FirehoseSinkTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final FirehoseSink.Settings SETTINGS = new FirehoseSink.Settings("logs", 500, 4L * 1024 * 1024,
            100 * MS, 100 * MS, 1_000 * MS);

    @TempDir
    Path dir;
    private TrackedFile file;
    private final FakeFirehose client = new FakeFirehose();
    private final Recorder outcomes = new Recorder();
    private FirehoseSink sink;
    private long now = 1_000_000 * MS;

    /** Calls made, each answered when the test says. */
    static final class FakeFirehose implements FirehoseClient {
        record Call(String stream, List<byte[]> records, CompletableFuture<PutRecordBatchResponse> answer) {
        }

        final List<Call> calls = new ArrayList<>();

        @Override
        public CompletableFuture<PutRecordBatchResponse> putRecordBatch(String deliveryStream, List<byte[]> records) {
            Call c = new Call(deliveryStream, List.copyOf(records), new CompletableFuture<>());
            calls.add(c);
            return c.answer();
        }

        @Override
        public CompletableFuture<DeliveryStreamDescription> describeDeliveryStream(String deliveryStream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    static final class Recorder implements Sink.Outcomes {
        final List<String> delivered = new ArrayList<>();
        final List<String> rejected = new ArrayList<>();
        final List<String> failed = new ArrayList<>();
        final List<String> abandoned = new ArrayList<>();
        final List<String> retried = new ArrayList<>();

        private static String text(Sink.Outgoing r) {
            return new String(r.data(), StandardCharsets.UTF_8);
        }

        @Override
        public void delivered(Sink.Outgoing r) {
            delivered.add(text(r));
        }

        @Override
        public void rejected(Sink.Outgoing r, String why) {
            rejected.add(why);
        }

        @Override
        public void failed(Sink.Outgoing r) {
            failed.add(text(r));
        }

        @Override
        public void abandoned(Sink.Outgoing r) {
            abandoned.add(text(r));
        }

        @Override
        public void retried(Sink.Outgoing r) {
            retried.add(text(r));
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Path p = dir.resolve("app.log");
        Files.writeString(p, "x\n");
        file = new TrackedFile(new AgentConfig.Flow("/x/*.log", "logs", AgentConfig.PartitionKeyOption.RANDOM,
                AgentConfig.InitialPosition.START_OF_FILE, null, 0, "\n", 1000, 1024, List.of()), p, "k", 0);
        sink = new FirehoseSink(SETTINGS, client, outcomes, () -> now);
    }

    @AfterEach
    void tearDown() {
        file.close();
    }

    private void put(String text) {
        put(text.getBytes(StandardCharsets.UTF_8));
    }

    private void put(byte[] data) {
        sink.put(new Sink.Outgoing(new TrackedFile.Line(file, 0, 0, 1, "", false), null, data));
    }

    private static PutRecordBatchResponse answer(String... codes) {
        List<PutRecordBatchResponseEntry> entries = new ArrayList<>();
        int failed = 0;
        for (String code : codes) {
            entries.add(code == null ? new PutRecordBatchResponseEntry("id", null, null)
                    : new PutRecordBatchResponseEntry(null, code, "it failed"));
            failed += code == null ? 0 : 1;
        }
        return new PutRecordBatchResponse(failed, false, entries);
    }

    private static List<String> texts(FakeFirehose.Call call) {
        return call.records().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void callsCarryAtMost500RecordsAndGoWhenFullOrWhenTheLingerIsOver() {
        for (int i = 0; i < 1_200; i++) {
            put("r" + i + "\n");
        }
        sink.poll(now);
        assertThat(client.calls).hasSize(2).allSatisfy(c -> assertThat(c.records()).hasSize(500));
        assertThat(client.calls.get(0).stream()).isEqualTo("logs");
        now += 99 * MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(2); // 200 left: they wait for more, up to the linger time
        now += MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(3);
        assertThat(texts(client.calls.get(2))).hasSize(200).startsWith("r1000\n").endsWith("r1199\n");
        client.calls.forEach(c -> c.answer().complete(answer(new String[c.records().size()])));
        sink.poll(now);
        assertThat(outcomes.delivered).hasSize(1_200);
        assertThat(sink.outstanding()).isZero();
    }

    @Test
    void callsCarryAtMost4MiBAndAtMostFourAreInFlight() {
        byte[] big = new byte[FirehoseClient.MAX_RECORD_BYTES]; // 1,000 KiB: four fit in 4 MiB, five do not
        for (int i = 0; i < 25; i++) {
            put(big);
        }
        sink.poll(now);
        assertThat(client.calls).hasSize(FirehoseSink.MAX_IN_FLIGHT_CALLS)
                .allSatisfy(c -> assertThat(c.records()).hasSize(4));
        client.calls.get(0).answer().complete(answer(null, null, null, null));
        sink.poll(now);
        assertThat(client.calls).hasSize(5);
        assertThat(outcomes.delivered).hasSize(4);
    }

    @Test
    void onlyTheRecordsACallFailedAreSentAgainAfterABackoff() {
        put("a\n");
        put("b\n");
        put("c\n");
        now += 100 * MS;
        sink.poll(now);
        client.calls.get(0).answer().complete(answer(null, "InternalFailure", null));
        sink.poll(now);
        assertThat(outcomes.delivered).containsExactly("a\n", "c\n");
        assertThat(outcomes.retried).containsExactly("b\n");
        put("d\n"); // newer: goes after the retried record
        now += 49 * MS;
        sink.poll(now); // the first backoff is 50-100 ms
        assertThat(client.calls).hasSize(1);
        now += 51 * MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(2);
        assertThat(texts(client.calls.get(1))).containsExactly("b\n", "d\n");
        client.calls.get(1).answer().complete(answer(null, null));
        sink.poll(now);
        assertThat(outcomes.delivered).containsExactly("a\n", "c\n", "b\n", "d\n");
        assertThat(outcomes.failed).isEmpty();
        assertThat(outcomes.abandoned).isEmpty();
    }

    @Test
    void throttlingPausesTheWholeFlowWithAGrowingBackoff() {
        put("a\n");
        now += 100 * MS;
        sink.poll(now);
        client.calls.get(0).answer().completeExceptionally(
                KinesisServiceException.of("ServiceUnavailableException", "Slow down.", 503, null));
        sink.poll(now);
        assertThat(outcomes.retried).containsExactly("a\n");
        put("b\n");
        now += 49 * MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(1); // paused: not even the new record goes
        now += 51 * MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(2);
        assertThat(texts(client.calls.get(1))).containsExactly("a\n", "b\n");
        // throttled again, record by record this time: the pause grows (100-200 ms)
        client.calls.get(1).answer().complete(answer(FirehoseSink.THROTTLED, FirehoseSink.THROTTLED));
        sink.poll(now);
        put("c\n");
        now += 99 * MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(2);
        now += 101 * MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(3);
        client.calls.get(2).answer().complete(answer(null, null, null));
        sink.poll(now);
        assertThat(outcomes.delivered).containsExactlyInAnyOrder("a\n", "b\n", "c\n");
    }

    @Test
    void aCallThatCannotSucceedIsTriedAgainAtTheLongestBackoffNeverDropped() {
        put("a\n");
        now += 100 * MS;
        sink.poll(now);
        client.calls.get(0).answer().completeExceptionally(
                KinesisServiceException.of("ResourceNotFoundException", "no such stream", 400, null));
        sink.poll(now);
        now += 999 * MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(1);
        now += MS;
        sink.poll(now);
        assertThat(client.calls).hasSize(2);
        assertThat(outcomes.rejected).isEmpty();
        assertThat(outcomes.abandoned).isEmpty();
    }

    @Test
    void aRecordOverFirehosesLimitIsRejectedAtOnce() {
        put(new byte[FirehoseClient.MAX_RECORD_BYTES + 1]);
        put(new byte[FirehoseClient.MAX_RECORD_BYTES]);
        assertThat(outcomes.rejected).singleElement().asString().contains("1024001 bytes").contains("1,000 KiB");
        now += 100 * MS;
        sink.poll(now);
        assertThat(client.calls).singleElement().satisfies(c -> assertThat(c.records()).hasSize(1));
    }

    @Test
    void closingAbandonsWhatWasNotStoredSoItsCheckpointStays() {
        put("a\n");
        now += 100 * MS;
        sink.poll(now); // in flight
        put("b\n"); // queued
        sink.close(Duration.ZERO);
        put("c\n"); // after close
        assertThat(outcomes.abandoned).containsExactlyInAnyOrder("a\n", "b\n", "c\n");
        client.calls.get(0).answer().complete(answer((String) null)); // too late: nobody reports it again
        assertThat(outcomes.delivered).isEmpty();
    }
}
