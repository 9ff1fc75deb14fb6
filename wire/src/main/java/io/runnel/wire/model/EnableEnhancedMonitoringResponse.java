package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis EnableEnhancedMonitoring.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record EnableEnhancedMonitoringResponse(
        String streamName,
        List<String> currentShardLevelMetrics,
        List<String> desiredShardLevelMetrics,
        String streamARN) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName               {@code StreamName}
     * @param currentShardLevelMetrics {@code CurrentShardLevelMetrics} (copied)
     * @param desiredShardLevelMetrics {@code DesiredShardLevelMetrics} (copied)
     * @param streamARN                {@code StreamARN}
     */
    public EnableEnhancedMonitoringResponse {
        currentShardLevelMetrics = currentShardLevelMetrics == null ? null : List.copyOf(currentShardLevelMetrics);
        desiredShardLevelMetrics = desiredShardLevelMetrics == null ? null : List.copyOf(desiredShardLevelMetrics);
    }
}
