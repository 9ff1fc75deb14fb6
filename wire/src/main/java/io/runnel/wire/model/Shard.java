package io.runnel.wire.model;

/**
 * One shard of a stream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record Shard(
        @Required String shardId,
        String parentShardId,
        String adjacentParentShardId,
        @Required ShardHashKeyRange hashKeyRange,
        @Required SequenceNumberRange sequenceNumberRange) {
}
