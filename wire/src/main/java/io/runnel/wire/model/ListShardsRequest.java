package io.runnel.wire.model;

import java.time.Instant;

/**
 * The request of Kinesis ListShards.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListShardsRequest(
        String streamName,
        String streamARN,
        String nextToken,
        String exclusiveStartShardId,
        Integer maxResults,
        Instant streamCreationTimestamp,
        ShardFilter shardFilter) {
}
