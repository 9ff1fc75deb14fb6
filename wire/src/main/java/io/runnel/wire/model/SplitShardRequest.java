package io.runnel.wire.model;

/**
 * The request of Kinesis SplitShard.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record SplitShardRequest(
        String streamName,
        String streamARN,
        @Required String shardToSplit,
        @Required String newStartingHashKey) {
}
