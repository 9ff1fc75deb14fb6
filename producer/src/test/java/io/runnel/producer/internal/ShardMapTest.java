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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ShardMapTest {
    @Test
    void snapshotsRefuseShardsThatDoNotTileTheKeySpace() {
        Shard low = new Shard("a", null, null, new ShardHashKeyRange("0", "99"), new SequenceNumberRange("1", null));
        Shard high = new Shard("b", null, null, new ShardHashKeyRange("101", HashKey.MAX.toDecimalString()),
                new SequenceNumberRange("1", null));
        Shard closed = new Shard("c", null, null, new ShardHashKeyRange("100", "100"),
                new SequenceNumberRange("1", "2"));
        assertThatThrownBy(() -> ShardMap.Snapshot.of(List.of(low, high, closed)))
                .hasMessageContaining("expected a shard starting at 100");
        Shard mid = new Shard("d", null, null, new ShardHashKeyRange("100", "100"), new SequenceNumberRange("1", null));
        assertThat(ShardMap.Snapshot.of(List.of(high, closed, mid, low)).shardIds()).containsExactly("a", "d", "b");
    }

    @Test
    void closedShardsKeepTheirRangeAndTellWhichOpenShardsDescendFromThem() {
        String max = HashKey.MAX.toDecimalString();
        Shard parent = new Shard("p", null, null, new ShardHashKeyRange("0", max), new SequenceNumberRange("1", "9"));
        Shard low = new Shard("low", "p", null, new ShardHashKeyRange("0", "999"), new SequenceNumberRange("10", null));
        Shard high = new Shard("high", "p", null, new ShardHashKeyRange("1000", max),
                new SequenceNumberRange("10", null));
        ShardMap.Snapshot s = ShardMap.Snapshot.of(List.of(parent, low, high));
        assertThat(s.shardIds()).containsExactly("low", "high");
        assertThat(s.isOpen("low")).isTrue();
        assertThat(s.isOpen("p")).isFalse();
        assertThat(s.isOpen("unknown")).isFalse();
        assertThat(s.hasClosed()).isTrue();
        assertThat(ShardMap.Snapshot.of(List.of(low, high)).hasClosed()).isFalse();
        assertThat(s.rangeOf("p")).isEqualTo(HashKeyRange.ALL);
        assertThat(s.rangeOf("unknown")).isNull();
        assertThat(s.openShardsOverlapping(s.rangeOf("p"))).containsExactly("low", "high");
        assertThat(s.openShardsOverlapping(HashKeyRange.parse("999", "999"))).containsExactly("low");
        assertThat(s.openShardsOverlapping(HashKeyRange.parse("999", "1000"))).containsExactly("low", "high");
        assertThat(s.openShardsOverlapping(HashKeyRange.parse("1000", "5000"))).containsExactly("high");
    }

    @Test
    void concurrentRefreshesShareOneListShardsCall() {
        List<CompletableFuture<io.runnel.wire.model.ListShardsResponse>> calls = new ArrayList<>();
        io.runnel.wire.KinesisClient fake = new io.runnel.wire.KinesisClient() {
            @Override
            @SuppressWarnings("unchecked")
            public <R extends Record> CompletableFuture<R> execute(io.runnel.wire.codec.Operation operation,
                    Record request, Class<R> responseType) {
                CompletableFuture<io.runnel.wire.model.ListShardsResponse> f = new CompletableFuture<>();
                calls.add(f);
                return (CompletableFuture<R>) f;
            }

            @Override
            public void close() {
            }
        };
        ShardMap map = new ShardMap("s", fake);
        CompletableFuture<ShardMap.Snapshot> a = map.refresh();
        CompletableFuture<ShardMap.Snapshot> b = map.refresh();
        assertThat(a).isSameAs(b);
        assertThat(calls).hasSize(1);
        calls.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertThat(a).isCompletedExceptionally();
        assertThat(map.snapshot()).isNull();
        CompletableFuture<ShardMap.Snapshot> c = map.refresh();
        assertThat(c).isNotSameAs(a);
        calls.get(1).complete(new io.runnel.wire.model.ListShardsResponse(List.of(new Shard("only", null, null,
                new ShardHashKeyRange("0", HashKey.MAX.toDecimalString()), new SequenceNumberRange("1", null))), null));
        assertThat(c.join().shardIds()).containsExactly("only");
        assertThat(map.snapshot()).isSameAs(c.join());
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
