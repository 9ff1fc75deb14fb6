package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.wire.HashKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateBuffersTest {

    @Test
    void sizeClassesArePowersOfTwoUpToTheLargestAggregateExactly() {
        AggregateBuffers buffers = new AggregateBuffers(51_200, 1 << 20);
        assertThat(buffers.take(1)).hasSize(1024);
        assertThat(buffers.take(1024)).hasSize(1024);
        assertThat(buffers.take(1025)).hasSize(2048);
        assertThat(buffers.take(32_768)).hasSize(32_768);
        assertThat(buffers.take(32_769)).hasSize(51_200);
        assertThat(buffers.take(51_200)).hasSize(51_200);
        assertThat(buffers.take(51_201)).hasSize(51_201); // not an aggregate's: an array of its own
    }

    @Test
    void anArrayGivenBackIsTakenAgainAndAtMostMaxIdleBytesWait() {
        AggregateBuffers buffers = new AggregateBuffers(4096, 2048);
        byte[] a = buffers.take(600);
        byte[] b = buffers.take(700);
        byte[] c = buffers.take(800);
        buffers.give(a);
        buffers.give(b);
        buffers.give(c); // over 2048 bytes idle: left to the collector
        assertThat(buffers.idleBytes()).isEqualTo(2048);
        assertThat(buffers.take(1000)).isSameAs(b); // the most recently given first
        assertThat(buffers.take(1000)).isSameAs(a);
        assertThat(buffers.take(1000)).isNotSameAs(a).isNotSameAs(b).isNotSameAs(c);
        buffers.give(new byte[1500]); // not one of its sizes
        buffers.give(new byte[8192]); // larger than any aggregate
        assertThat(buffers.idleBytes()).isZero();
        assertThat(buffers.takenAndReused()).containsExactly(6, 2);
    }

    @Test
    void aKinesisRecordGivesItsArrayBackOnceAndCannotBeSentAfter() {
        AggregateBuffers buffers = new AggregateBuffers(4096, 1 << 20);
        byte[] array = buffers.take(100);
        KinesisRecord kr = new KinesisRecord("shard", "k", null, array, 100, buffers, List.of(), true, 0, false,
                ShardLanes.WHOLE, Long.MAX_VALUE);
        assertThat(kr.data()).isSameAs(array);
        assertThat(kr.dataLength()).isEqualTo(100);
        assertThat(kr.wireBytes()).isEqualTo(101);
        kr.release();
        kr.release();
        assertThat(buffers.idleBytes()).isEqualTo(1024); // once, not twice
        assertThatThrownBy(kr::data).isInstanceOf(IllegalStateException.class).hasMessageContaining("released");
        assertThat(kr.wireBytes()).isEqualTo(101);
        assertThat(buffers.take(100)).isSameAs(array);
        assertThat(buffers.take(100)).isNotSameAs(array);
    }

    @Test
    void aggregatesInReusedArraysCarryOnlyTheirOwnRecords() {
        AggregateBuffers buffers = new AggregateBuffers(51_200, 1 << 20);
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(1_000, 51_200), 1_000_000_000L, 0,
                buffers, out::add);
        for (int i = 0; i < 20; i++) {
            a.add(user("first-" + i, "first record " + i), 0); // both aggregates fit 1 KiB: one size class
        }
        a.flush();
        KinesisRecord first = out.get(0);
        byte[] array = first.data();
        assertThat(records(first)).hasSize(20);
        first.release(); // stored: the next aggregate may have its array
        for (int i = 0; i < 3; i++) {
            a.add(user("second-" + i, "short " + i), 0);
        }
        a.flush();
        KinesisRecord second = out.get(1);
        assertThat(second.data()).isSameAs(array);
        assertThat(second.dataLength()).isLessThan(first.dataLength());
        assertThat(records(second)).extracting(r -> new String(r.data(), StandardCharsets.UTF_8))
                .containsExactly("short 0", "short 1", "short 2");
        assertThat(records(second)).extracting(DeaggregatedRecord::partitionKey)
                .containsExactly("second-0", "second-1", "second-2");
    }

    private static List<DeaggregatedRecord> records(KinesisRecord kr) {
        return Deaggregator.deaggregate(kr.partitionKey(), kr.explicitHashKey(),
                Arrays.copyOf(kr.data(), kr.dataLength()));
    }

    private static PendingUserRecord user(String pk, String data) {
        PendingUserRecord r = PendingUserRecord.create("s", pk, null, data.getBytes(StandardCharsets.UTF_8), 0,
                Long.MAX_VALUE / 2, 0);
        r.hashKey = HashKey.md5Of(pk);
        r.predictedShard = "shard";
        return r;
    }
}
