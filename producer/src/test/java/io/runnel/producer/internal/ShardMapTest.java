package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardMapTest {
    @Test
    void snapshotsRefuseShardsThatDoNotTileTheKeySpace() {
        Shard low = new Shard("a", null, null, new ShardHashKeyRange("0", "99"), new SequenceNumberRange("1", null));
        Shard high = new Shard("b", null, null, new ShardHashKeyRange("101", HashKey.MAX.toDecimalString()),
                new SequenceNumberRange("1", null));
        Shard closed = new Shard("c", null, null, new ShardHashKeyRange("100", "100"), new SequenceNumberRange("1", "2"));
        assertThatThrownBy(() -> ShardMap.Snapshot.of(List.of(low, high, closed)))
                .hasMessageContaining("expected a shard starting at 100");
        Shard mid = new Shard("d", null, null, new ShardHashKeyRange("100", "100"), new SequenceNumberRange("1", null));
        assertThat(ShardMap.Snapshot.of(List.of(high, closed, mid, low)).shardIds()).containsExactly("a", "d", "b");
    }

    @Test
    void predictsByBinarySearchOverManyShards() {
        List<Shard> shards = new ArrayList<>();
        int i = 0;
        for (HashKeyRange r : HashKeyRange.split(HashKeyRange.ALL, 1000)) {
            shards.add(new Shard("s" + i++, null, null, new ShardHashKeyRange(r.startInclusive().toDecimalString(),
                    r.endInclusive().toDecimalString()), new SequenceNumberRange("1", null)));
        }
        ShardMap.Snapshot s = ShardMap.Snapshot.of(shards);
        java.util.Random random = new java.util.Random(5);
        for (int n = 0; n < 10_000; n++) {
            HashKey key = HashKey.of(random.nextLong(), random.nextLong());
            String predicted = s.predict(key);
            assertThat(s.rangeOf(predicted).contains(key)).isTrue();
        }
        assertThat(s.predict(HashKey.MAX)).isEqualTo("s999");
    }
}
