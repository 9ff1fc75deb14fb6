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
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param shardId      {@code ShardId} (required)
     * @param parentShards {@code ParentShards} (required, copied)
     * @param hashKeyRange {@code HashKeyRange} (required)
     */
    public ChildShard {
        parentShards = parentShards == null ? null : List.copyOf(parentShards);
    }
}
