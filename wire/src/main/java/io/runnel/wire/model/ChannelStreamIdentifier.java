package io.runnel.wire.model;

import java.time.Instant;

/**
 * A source stream of a channel in ListChannels: its ARN and creation time.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChannelStreamIdentifier(
        String streamARN,
        Instant streamCreationTimestamp) {
}
