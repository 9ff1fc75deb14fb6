package io.runnel.wire.model;

import java.time.Instant;

/**
 * One stream in ListStreams.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StreamSummary(
        @Required String streamName,
        @Required String streamARN,
        @Required String streamStatus,
        StreamModeDetails streamModeDetails,
        Instant streamCreationTimestamp) {
}
