package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamReaderTest {
    private static Shard shard(String id, String parent, String adjacent) {
        return new Shard(id, parent, adjacent, new ShardHashKeyRange("0", "1"), new SequenceNumberRange("1", null));
    }

    private static List<String> ids(List<Shard> shards) {
        return shards.stream().map(Shard::shardId).toList();
    }

    @Test
    void childrenComeAfterBothParents() {
        // 3 is the merge of 1 and 2; 4 and 5 are the split of 0; listed children first.
        List<Shard> listed = List.of(shard("3", "1", "2"), shard("4", "0", null), shard("5", "0", null),
                shard("1", null, null), shard("2", null, null), shard("0", null, null));

        List<String> ordered = ids(StreamReader.parentsFirst(listed));

        assertThat(ordered).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
        assertThat(ordered.indexOf("3")).isGreaterThan(ordered.indexOf("1")).isGreaterThan(-1);
        assertThat(ordered.indexOf("3")).isGreaterThan(ordered.indexOf("2"));
        assertThat(ordered.indexOf("4")).isGreaterThan(ordered.indexOf("0"));
        assertThat(ordered.indexOf("5")).isGreaterThan(ordered.indexOf("0"));
    }

    @Test
    void parentsNoLongerListedDoNotHoldChildrenBack() {
        List<Shard> listed = List.of(shard("7", "expired-parent", null), shard("8", null, null));
        assertThat(ids(StreamReader.parentsFirst(listed))).containsExactly("7", "8");
    }

    @Test
    void theReadLimitHalvesDownToOneRecordAsConnectionsAreLostAndDoublesBackWithAnswers() {
        StreamReader.ReadLimit limit = new StreamReader.ReadLimit();
        assertThat(limit.value()).isEqualTo(10_000);
        for (int i = 0; i < 20; i++) {
            limit.connectionLost();
        }
        assertThat(limit.value()).as("even one aggregate can be a megabyte: no floor above it").isEqualTo(1);
        limit.answered();
        limit.answered();
        assertThat(limit.value()).isEqualTo(4);
        limit.connectionLost();
        assertThat(limit.value()).isEqualTo(2);
        for (int i = 0; i < 20; i++) {
            limit.answered();
        }
        assertThat(limit.value()).isEqualTo(10_000);
    }

    @Test
    void theKclDropsAnAggregateWholeWhenOneUserRecordHashesOutsideTheShard() {
        HashKeyRange lowerHalf = new HashKeyRange(HashKey.ZERO, HashKey.MAX.divide(2));
        DeaggregatedRecord low = new DeaggregatedRecord("k", "5", new byte[0], 0, true);
        DeaggregatedRecord high = new DeaggregatedRecord("k", HashKey.MAX.toDecimalString(), new byte[0], 1, true);
        assertThat(StreamReader.droppedByKcl(List.of(low), lowerHalf)).isFalse();
        assertThat(StreamReader.droppedByKcl(List.of(low, high), lowerHalf)).isTrue();
        assertThat(StreamReader.droppedByKcl(List.of(high, low), lowerHalf)).isTrue();
        // without an explicit hash key, the MD5 of the partition key decides
        String key = "key-1";
        boolean inLowerHalf = lowerHalf.contains(HashKey.md5Of(key));
        assertThat(StreamReader.droppedByKcl(List.of(new DeaggregatedRecord(key, null, new byte[0], 0, true)),
                lowerHalf)).isEqualTo(!inLowerHalf);
        // a record that is not an aggregate is handed on wherever it lands
        assertThat(StreamReader.droppedByKcl(List.of(new DeaggregatedRecord("k", HashKey.MAX.toDecimalString(),
                new byte[0], 0, false)), lowerHalf)).isFalse();
    }
}
