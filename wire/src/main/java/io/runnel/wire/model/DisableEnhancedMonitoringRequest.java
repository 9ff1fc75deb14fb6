package io.runnel.wire.model;

import java.util.List;

/**
 * The request of Kinesis DisableEnhancedMonitoring.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record DisableEnhancedMonitoringRequest(
        String streamName,
        String streamARN,
        @Required List<String> shardLevelMetrics) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName        {@code StreamName}
     * @param streamARN         {@code StreamARN}
     * @param shardLevelMetrics {@code ShardLevelMetrics} (required, copied)
     */
    public DisableEnhancedMonitoringRequest {
        shardLevelMetrics = shardLevelMetrics == null ? null : List.copyOf(shardLevelMetrics);
    }
}
