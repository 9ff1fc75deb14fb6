package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.producer.UserRecordResult;
import io.runnel.producer.metrics.ProducerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeliveriesTest {
    /** What userRecordsPut and userRecordFailed were told, one line per call. */
    private final List<String> reported = new ArrayList<>();
    private final ProducerMetrics metrics = new ProducerMetrics() {
        @Override
        public void userRecordReceived(String stream, long bytes) {
        }

        @Override
        public void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos, int retries) {
        }

        @Override
        public void userRecordsPut(String stream, String shardId, int count, long[] bytes, long[] bufferingNanos,
                int[] retries) {
            StringBuilder line = new StringBuilder(stream + "/" + shardId + ":");
            for (int i = 0; i < count; i++) {
                line.append(' ').append(bytes[i]).append('b').append(bufferingNanos[i]).append("ns")
                        .append(retries[i]).append('r');
            }
            reported.add(line.toString());
        }

        @Override
        public void userRecordFailed(String stream, String code, int retries) {
            reported.add(stream + " failed " + code);
        }

        @Override
        public void kinesisRecordPut(String stream, String shardId, long bytes, int userRecords) {
        }

        @Override
        public void putRecordsRequest(String stream, long nanos, boolean failed, int kinesisRecords,
                int userRecords) {
        }

        @Override
        public void attemptFailed(String stream, String code, boolean retried) {
        }
    };

    private static PendingUserRecord record(String data, long arrivalNanos, long budgetBytes) {
        return PendingUserRecord.create("s", "k", null, data.getBytes(StandardCharsets.UTF_8), arrivalNanos,
                1_000_000, budgetBytes);
    }

    @Test
    void claimsAndReportsOnlyTheUserRecordsNoOneClaimedBeforeWithTheirPlaceInTheAggregate() {
        PendingUserRecord a = record("a", 10, 100);
        PendingUserRecord timedOut = record("bb", 20, 200);
        PendingUserRecord c = record("ccc", 30, 300);
        PendingUserRecord alone = record("dddd", 40, 400);
        Deliveries deliveries = new Deliveries(metrics);
        deliveries.add("s", new KinesisRecord("shardId-1", "k", null, new byte[0], List.of(a, timedOut, c), true,
                0), new PendingUserRecord.Delivery("shardId-1", "seq-1", 100, 150));
        deliveries.add("s", new KinesisRecord("shardId-2", "k", null, new byte[0], List.of(alone), false, 0),
                new PendingUserRecord.Delivery("shardId-2", "seq-2", 200, 260));
        // a UserRecordTimeout took it between the response and the callback thread
        assertThat(timedOut.claim(null, new IllegalStateException("timed out"))).isTrue();

        assertThat(deliveries.size()).isEqualTo(2);
        ArrayList<PendingUserRecord> done = new ArrayList<>();
        assertThat(deliveries.claimInto(0, done)).isEqualTo(100 + 300);
        assertThat(done).containsExactly(a, c);
        assertThat(reported).containsExactly("s/shardId-1: 1b90ns0r 3b70ns0r");
        assertThat(deliveries.claimInto(1, done)).isEqualTo(400);
        assertThat(done).containsExactly(a, c, alone);
        assertThat(reported).containsExactly("s/shardId-1: 1b90ns0r 3b70ns0r", "s/shardId-2: 4b160ns0r");
        done.forEach(PendingUserRecord::completeFuture);
        assertThat(c.join()).extracting(UserRecordResult::shardId, UserRecordResult::sequenceNumber,
                UserRecordResult::subSequenceNumber).containsExactly("shardId-1", "seq-1", 2L);
        assertThat(alone.join()).extracting(UserRecordResult::sequenceNumber, UserRecordResult::subSequenceNumber)
                .containsExactly("seq-2", 0L);
        assertThat(timedOut).isNotDone(); // its claim's holder completes it, not the delivery

        reported.clear();
        assertThat(deliveries.claimInto(0, new ArrayList<>()) + deliveries.claimInto(1, new ArrayList<>()))
                .as("claimed once only").isZero();
        assertThat(reported).isEmpty();
    }

    @Test
    void aTimeoutThatLosesToTheDeliveryIsNeitherCountedNorCompleted() {
        PendingUserRecord r = record("a", 0, 64);
        List<Throwable> failures = new ArrayList<>();
        Retrier retrier = new Retrier(new Clock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public long wallMillis() {
                return 0;
            }
        }, metrics, new Backoff(100, 1_000, bound -> bound), false, (rec, result, failure) -> {
            if (rec.claim(result, failure)) {
                failures.add(failure);
                return true;
            }
            return false;
        });
        Deliveries deliveries = new Deliveries(metrics);
        deliveries.add("s", new KinesisRecord("shardId-1", "k", null, new byte[0], List.of(r), false, 0),
                new PendingUserRecord.Delivery("shardId-1", "seq-1", 0, 5));
        deliveries.claimInto(0, new ArrayList<>());

        retrier.timeOut(r, 1_000_000);

        assertThat(failures).isEmpty();
        assertThat(reported).containsExactly("s/shardId-1: 1b0ns0r");
    }
}
