package io.runnel.wire.model;

import java.time.Instant;
import java.util.List;

/**
 * DescribeStreamSummary's view of a stream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StreamDescriptionSummary(
        @Required String streamName,
        @Required String streamARN,
        String streamId,
        @Required String streamStatus,
        StreamModeDetails streamModeDetails,
        @Required Integer retentionPeriodHours,
        @Required Instant streamCreationTimestamp,
        @Required List<EnhancedMetrics> enhancedMonitoring,
        String encryptionType,
        String keyId,
        @Required Integer openShardCount,
        Integer consumerCount,
        Integer maxRecordSizeInKiB,
        String recordDistributionStrategy,
        WarmThroughputObject warmThroughput) {
    public StreamDescriptionSummary {
        enhancedMonitoring = enhancedMonitoring == null ? null : List.copyOf(enhancedMonitoring);
    }
}
