package io.runnel.wire.model;

import java.util.Map;

/**
 * The request of Kinesis CreateStream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record CreateStreamRequest(
        @Required String streamName,
        Integer shardCount,
        StreamModeDetails streamModeDetails,
        Map<String, String> tags,
        Integer maxRecordSizeInKiB,
        String recordDistributionStrategy,
        Integer warmThroughputMiBps) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName                 {@code StreamName} (required)
     * @param shardCount                 {@code ShardCount}
     * @param streamModeDetails          {@code StreamModeDetails}
     * @param tags                       {@code Tags} (copied)
     * @param maxRecordSizeInKiB         {@code MaxRecordSizeInKiB}
     * @param recordDistributionStrategy {@code RecordDistributionStrategy}
     * @param warmThroughputMiBps        {@code WarmThroughputMiBps}
     */
    public CreateStreamRequest {
        tags = tags == null ? null : Map.copyOf(tags);
    }

    /**
     * A request without a warm throughput (the constructor from before {@code WarmThroughputMiBps} existed).
     *
     * @param streamName                 the stream's name (required)
     * @param shardCount                 the shards of a provisioned stream, or null for on-demand
     * @param streamModeDetails          {@code PROVISIONED} or {@code ON_DEMAND}, or null
     * @param tags                       tags to create the stream with, or null
     * @param maxRecordSizeInKiB         the stream's largest record, 1024 to 10240, or null for the default
     * @param recordDistributionStrategy how an on-demand stream spreads records, or null
     */
    public CreateStreamRequest(String streamName, Integer shardCount, StreamModeDetails streamModeDetails,
            Map<String, String> tags, Integer maxRecordSizeInKiB, String recordDistributionStrategy) {
        this(streamName, shardCount, streamModeDetails, tags, maxRecordSizeInKiB, recordDistributionStrategy, null);
    }
}
