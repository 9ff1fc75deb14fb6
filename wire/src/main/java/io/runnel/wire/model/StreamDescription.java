package io.runnel.wire.model;

import java.time.Instant;
import java.util.List;

/**
 * DescribeStream's view of a stream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StreamDescription(
        @Required String streamName,
        @Required String streamARN,
        @Required String streamStatus,
        StreamModeDetails streamModeDetails,
        @Required List<Shard> shards,
        @Required Boolean hasMoreShards,
        @Required Integer retentionPeriodHours,
        @Required Instant streamCreationTimestamp,
        @Required List<EnhancedMetrics> enhancedMonitoring,
        String encryptionType,
        String keyId) {
    public StreamDescription {
        shards = shards == null ? null : List.copyOf(shards);
        enhancedMonitoring = enhancedMonitoring == null ? null : List.copyOf(enhancedMonitoring);
    }
}
