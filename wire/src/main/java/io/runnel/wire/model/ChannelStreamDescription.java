package io.runnel.wire.model;

import java.time.Instant;

/**
 * A source stream of a channel as described: its ARN, creation time and record configuration.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChannelStreamDescription(
        String streamARN,
        Instant streamCreationTimestamp,
        RecordConfiguration recordConfiguration) {
}
