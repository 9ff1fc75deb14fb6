package io.runnel.backend.api;

import io.runnel.backend.store.ConsumerState;
import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StreamState;
import io.runnel.wire.model.ChildShard;
import io.runnel.wire.model.Consumer;
import io.runnel.wire.model.ConsumerDescription;
import io.runnel.wire.model.EnhancedMetrics;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import io.runnel.wire.model.StreamModeDetails;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Store state to wire models. Stateless. */
public final class Models {
    private Models() {
    }

    static Shard shard(ShardState s) {
        return new Shard(s.shardId(), s.parentShardId(), s.adjacentParentShardId(), range(s),
                new SequenceNumberRange(s.startingSequenceNumber(), s.endingSequenceNumber()));
    }

    /**
     * The shard's hash key range in decimal.
     *
     * @param s a shard
     * @return its range as the wire model has it
     */
    public static ShardHashKeyRange range(ShardState s) {
        return new ShardHashKeyRange(s.hashKeyRange().startInclusive().toDecimalString(),
                s.hashKeyRange().endInclusive().toDecimalString());
    }

    /**
     * A closed shard's child as GetRecords and SubscribeToShard report it.
     *
     * @param s the child shard
     * @return the child with its parents and hash key range
     */
    public static ChildShard child(ShardState s) {
        List<String> parents = new ArrayList<>(2);
        if (s.parentShardId() != null) {
            parents.add(s.parentShardId());
        }
        if (s.adjacentParentShardId() != null) {
            parents.add(s.adjacentParentShardId());
        }
        return new ChildShard(s.shardId(), parents, range(s));
    }

    static StreamModeDetails mode(StreamState s) {
        return new StreamModeDetails(s.mode().name());
    }

    static List<EnhancedMetrics> monitoring(StreamState s) {
        return List.of(new EnhancedMetrics(s.shardLevelMetrics()));
    }

    static Instant created(StreamState s) {
        return Instant.ofEpochMilli(s.creationMillis());
    }

    static Consumer consumer(ConsumerState c, long nowMillis) {
        return new Consumer(c.name(), c.arn(), c.status(nowMillis), Instant.ofEpochMilli(c.createdMillis()));
    }

    static ConsumerDescription consumerDescription(StreamState s, ConsumerState c, long nowMillis) {
        return new ConsumerDescription(c.name(), c.arn(), c.status(nowMillis), Instant.ofEpochMilli(c.createdMillis()),
                s.arn());
    }
}
