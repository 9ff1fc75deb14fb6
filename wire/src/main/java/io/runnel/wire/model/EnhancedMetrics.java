package io.runnel.wire.model;

import java.util.List;

/**
 * Shard-level metrics enabled on a stream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record EnhancedMetrics(
        List<String> shardLevelMetrics) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param shardLevelMetrics {@code ShardLevelMetrics} (copied)
     */
    public EnhancedMetrics {
        shardLevelMetrics = shardLevelMetrics == null ? null : List.copyOf(shardLevelMetrics);
    }
}
