package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Deaggregator;
import io.runnel.wire.HashKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ShardAggregatorTest {
    private static final long MS = 1_000_000L;

    private static PendingUserRecord user(String pk, int bytes, long arrival) {
        PendingUserRecord r = PendingUserRecord.create("s", pk, null, new byte[bytes],
                arrival, 0, Long.MAX_VALUE / 2, 0);
        r.hashKey = HashKey.md5Of(pk);
        r.predictedShard = "shard";
        return r;
    }

    @Test
    void aggregatesUntilFullOrDueAndSendsALoneRecordAsItself() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(3, 51_200), 100 * MS, out::add);
        for (int i = 0; i < 4; i++) {
            a.add(user("k" + i, 10, 0), 0);
        }
        assertThat(out).hasSize(1);
        assertThat(out.get(0).aggregated()).isTrue();
        assertThat(out.get(0).userRecords()).hasSize(3);
        assertThat(out.get(0).explicitHashKey()).isEqualTo(HashKey.md5Of("k0").toDecimalString());
        assertThat(Deaggregator.deaggregate("x", null, out.get(0).data())).hasSize(3);
        assertThat(a.poll(50 * MS)).isEqualTo(100 * MS);
        a.poll(100 * MS);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).aggregated()).isFalse();
        assertThat(out.get(1).partitionKey()).isEqualTo("k3");
        assertThat(a.isEmpty()).isTrue();
    }

    @Test
    void tooLargeRecordsGoAloneAndDrainReturnsWhatIsBuffered() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(100, 1_000), 100 * MS, out::add);
        a.add(user("big", 5_000, 0), 0);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).aggregated()).isFalse();
        a.add(user("x", 1, 0), 0);
        a.add(user("y", 1, 0), 0);
        assertThat(a.drain()).extracting(r -> r.partitionKey).containsExactly("x", "y");
        assertThat(a.isEmpty()).isTrue();
    }
}
