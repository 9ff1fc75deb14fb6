package io.runnel.wire.model;

import java.time.Instant;

/**
 * Which shards ListShards returns: AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP,
 * FROM_TIMESTAMP.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ShardFilter(
        @Required String type,
        String shardId,
        Instant timestamp) {
}
