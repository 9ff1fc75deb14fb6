package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ShardLogTest {
    private final AtomicLong counter = new AtomicLong(1000);

    private StoredRecord append(ShardLog log, String data, long arrival) {
        return log.append(counter::incrementAndGet, "pk", data.getBytes(StandardCharsets.UTF_8), arrival);
    }

    private static List<String> data(ShardLog.Read read) {
        List<String> out = new ArrayList<>();
        read.records().forEach(r -> out.add(new String(r.data(), StandardCharsets.UTF_8)));
        return out;
    }

    @Test
    void readsInOrderFromAnyPositionAndReportsWhereToContinue() {
        ShardLog log = new ShardLog(0);
        for (int i = 0; i < 5000; i++) {
            append(log, "r" + i, 10 + i);
        }
        ShardLog.Read first = log.read(0, 3, Long.MAX_VALUE);
        assertThat(data(first)).containsExactly("r0", "r1", "r2");
        assertThat(first.nextPosition()).isEqualTo(3);
        assertThat(first.endPosition()).isEqualTo(5000);
        assertThat(data(log.read(4998, 10, Long.MAX_VALUE))).containsExactly("r4998", "r4999");
        ShardLog.Read atEnd = log.read(5000, 10, Long.MAX_VALUE);
        assertThat(atEnd.records()).isEmpty();
        assertThat(atEnd.nextPosition()).isEqualTo(5000);
    }

    @Test
    void countersAreStrictlyIncreasingAndArrivalNeverGoesBack() {
        ShardLog log = new ShardLog(1);
        StoredRecord a = append(log, "a", 100);
        StoredRecord b = append(log, "b", 50); // wall clock stepped back
        assertThat(b.counter()).isGreaterThan(a.counter());
        assertThat(b.arrivalMillis()).isEqualTo(100);
    }

    @Test
    void byteLimitAlwaysReturnsAtLeastOneRecord() {
        ShardLog log = new ShardLog(0);
        append(log, "x".repeat(100), 1);
        append(log, "y".repeat(100), 1);
        assertThat(log.read(0, 10, 10).records()).hasSize(1);
        assertThat(log.read(0, 10, 204).records()).hasSize(2);
        assertThat(log.read(0, 10, 203).records()).hasSize(1);
    }

    @Test
    void findsPositionsBySequenceCounterAndTimestamp() {
        ShardLog log = new ShardLog(0);
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            counter.addAndGet(5); // other shards took counters in between
            records.add(append(log, "r" + i, 100 + i * 10));
        }
        long c3 = records.get(3).counter();
        assertThat(log.positionOfCounter(c3, false)).isEqualTo(3);
        assertThat(log.positionOfCounter(c3, true)).isEqualTo(4);
        assertThat(log.positionOfCounter(c3 - 2, false)).isEqualTo(3);
        assertThat(log.positionOfCounter(Long.MAX_VALUE, false)).isEqualTo(10);
        assertThat(log.positionAtTimestamp(130)).isEqualTo(3);
        assertThat(log.positionAtTimestamp(131)).isEqualTo(4);
        assertThat(log.positionAtTimestamp(0)).isEqualTo(0);
        assertThat(log.positionAtTimestamp(10_000)).isEqualTo(10);
    }

    @Test
    void trimmingRaisesTheHorizonWithoutRenumbering() {
        ShardLog log = new ShardLog(0);
        for (int i = 0; i < 3000; i++) {
            append(log, "r" + i, i);
        }
        assertThat(log.trimArrivedBefore(2500)).isEqualTo(2500);
        assertThat(log.trimHorizon()).isEqualTo(2500);
        assertThat(log.endPosition()).isEqualTo(3000);
        assertThat(data(log.read(0, 2, Long.MAX_VALUE))).containsExactly("r2500", "r2501");
        assertThat(log.read(0, 2, Long.MAX_VALUE).nextPosition()).isEqualTo(2502);
        // Appending after a trim wraps around the ring and keeps positions.
        for (int i = 3000; i < 6000; i++) {
            append(log, "r" + i, i);
        }
        assertThat(data(log.read(5999, 5, Long.MAX_VALUE))).containsExactly("r5999");
        assertThat(log.positionAtTimestamp(4000)).isEqualTo(4000);
        assertThat(log.retainedBytes()).isEqualTo(log.read(0, 10_000, Long.MAX_VALUE).records().stream()
                .mapToLong(r -> r.data().length).sum());
    }

    @Test
    void closedShardRefusesWritesButStaysReadable() {
        ShardLog log = new ShardLog(0);
        append(log, "a", 1);
        log.close(counter.get(), 7);
        assertThat(log.isClosed()).isTrue();
        assertThat(log.endingCounter()).isEqualTo(counter.get());
        assertThat(log.closedMillis()).isEqualTo(7);
        assertThatThrownBy(() -> append(log, "b", 2)).isInstanceOf(IllegalStateException.class);
        assertThat(data(log.read(0, 10, Long.MAX_VALUE))).containsExactly("a");
    }

    @Test
    void durableLogKeepsOnlyTheNewestDataInMemoryAndReadsTheRestFromDisk(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) {
        long hot = 10_000;
        ShardLog log = ShardLog.restore(0, SegmentLog.open(dir, 4096, hot), hot);
        List<byte[]> written = new ArrayList<>();
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 500; i++) {
            byte[] data = new byte[100 + random.nextInt(200)];
            random.nextBytes(data);
            written.add(data);
            log.append(counter::incrementAndGet, "pk-" + i, data, i);
        }
        assertThat(log.memoryBytes()).isLessThanOrEqualTo(hot);
        assertThat(log.retainedBytes()).isEqualTo(written.stream().mapToLong(d -> d.length).sum());
        List<StoredRecord> all = log.read(0, 10_000, Long.MAX_VALUE).records();
        assertThat(all).hasSize(500);
        for (int i = 0; i < 500; i++) {
            assertThat(all.get(i).data()).isEqualTo(written.get(i));
            assertThat(all.get(i).partitionKey()).isEqualTo("pk-" + i);
        }
        // After trimming the head, the remaining cold records still read back, from the segments that remain.
        log.trimArrivedBefore(200);
        assertThat(log.read(0, 1, Long.MAX_VALUE).records().get(0).data()).isEqualTo(written.get(200));
        log.closeFiles();
        ShardLog again = ShardLog.restore(0, SegmentLog.open(dir, 4096, hot), hot);
        assertThat(again.memoryBytes()).isLessThanOrEqualTo(hot);
        List<StoredRecord> reread = again.read(again.trimHorizon(), 10_000, Long.MAX_VALUE).records();
        assertThat(reread.get(reread.size() - 1).data()).isEqualTo(written.get(499));
        assertThat(reread.get(0).data()).isEqualTo(written.get((int) again.trimHorizon()));
        again.closeFiles();
    }

    @Test
    void listenersHearEveryAppendAndTheCloseUntilRemoved() {
        ShardLog log = new ShardLog(0);
        AtomicLong calls = new AtomicLong();
        Runnable listener = calls::incrementAndGet;
        log.addListener(listener);
        append(log, "a", 1);
        append(log, "b", 2);
        assertThat(calls.get()).isEqualTo(2);
        log.close(counter.get(), 3);
        assertThat(calls.get()).isEqualTo(3);
        log.close(counter.get(), 4); // closing twice changes nothing and says nothing
        assertThat(calls.get()).isEqualTo(3);
        log.removeListener(listener);
        ShardLog other = new ShardLog(1);
        other.addListener(listener);
        other.removeListener(listener);
        other.append(counter::incrementAndGet, "pk", new byte[1], 5);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void counterBeforeIsThatOfThePreviousHeldRecord() {
        ShardLog log = new ShardLog(0);
        StoredRecord a = append(log, "a", 1);
        StoredRecord b = append(log, "b", 2);
        append(log, "c", 3);
        assertThat(log.counterBefore(0)).isEqualTo(-1);
        assertThat(log.counterBefore(1)).isEqualTo(a.counter());
        assertThat(log.counterBefore(2)).isEqualTo(b.counter());
        assertThat(log.counterBefore(9)).isEqualTo(-1);
        log.trimArrivedBefore(3);
        assertThat(log.counterBefore(2)).isEqualTo(-1); // b is gone
    }
}
