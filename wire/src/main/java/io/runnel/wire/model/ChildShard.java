package io.runnel.wire.model;

import java.util.List;

/**
 * A child of a closed shard, returned once the shard is read to its end.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChildShard(
        @Required String shardId,
        @Required List<String> parentShards,
        @Required ShardHashKeyRange hashKeyRange) {
    public ChildShard {
        parentShards = parentShards == null ? null : List.copyOf(parentShards);
    }
}
