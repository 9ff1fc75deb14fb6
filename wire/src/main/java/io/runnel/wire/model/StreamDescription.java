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
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName              {@code StreamName} (required)
     * @param streamARN               {@code StreamARN} (required)
     * @param streamStatus            {@code StreamStatus} (required)
     * @param streamModeDetails       {@code StreamModeDetails}
     * @param shards                  {@code Shards} (required, copied)
     * @param hasMoreShards           {@code HasMoreShards} (required)
     * @param retentionPeriodHours    {@code RetentionPeriodHours} (required)
     * @param streamCreationTimestamp {@code StreamCreationTimestamp} (required)
     * @param enhancedMonitoring      {@code EnhancedMonitoring} (required, copied)
     * @param encryptionType          {@code EncryptionType}
     * @param keyId                   {@code KeyId}
     */
    public StreamDescription {
        shards = shards == null ? null : List.copyOf(shards);
        enhancedMonitoring = enhancedMonitoring == null ? null : List.copyOf(enhancedMonitoring);
    }
}
