package io.runnel.wire.model;

/**
 * The request of Kinesis MergeShards.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record MergeShardsRequest(
        String streamName,
        String streamARN,
        @Required String shardToMerge,
        @Required String adjacentShardToMerge) {
}
