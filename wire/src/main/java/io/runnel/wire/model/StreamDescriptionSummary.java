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
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName                 {@code StreamName} (required)
     * @param streamARN                  {@code StreamARN} (required)
     * @param streamId                   {@code StreamId}
     * @param streamStatus               {@code StreamStatus} (required)
     * @param streamModeDetails          {@code StreamModeDetails}
     * @param retentionPeriodHours       {@code RetentionPeriodHours} (required)
     * @param streamCreationTimestamp    {@code StreamCreationTimestamp} (required)
     * @param enhancedMonitoring         {@code EnhancedMonitoring} (required, copied)
     * @param encryptionType             {@code EncryptionType}
     * @param keyId                      {@code KeyId}
     * @param openShardCount             {@code OpenShardCount} (required)
     * @param consumerCount              {@code ConsumerCount}
     * @param maxRecordSizeInKiB         {@code MaxRecordSizeInKiB}
     * @param recordDistributionStrategy {@code RecordDistributionStrategy}
     * @param warmThroughput             {@code WarmThroughput}
     */
    public StreamDescriptionSummary {
        enhancedMonitoring = enhancedMonitoring == null ? null : List.copyOf(enhancedMonitoring);
    }
}
