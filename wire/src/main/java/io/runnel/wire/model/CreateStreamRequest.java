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
    public CreateStreamRequest {
        tags = tags == null ? null : Map.copyOf(tags);
    }

    /** A request without a warm throughput. */
    public CreateStreamRequest(String streamName, Integer shardCount, StreamModeDetails streamModeDetails,
            Map<String, String> tags, Integer maxRecordSizeInKiB, String recordDistributionStrategy) {
        this(streamName, shardCount, streamModeDetails, tags, maxRecordSizeInKiB, recordDistributionStrategy, null);
    }
}
