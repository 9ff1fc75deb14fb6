package io.runnel.wire.model;

import java.time.Instant;

/**
 * A ListChannels filter: channels reading from this stream (with this creation time, when given).
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StreamFilter(
        @Required String streamARN,
        Instant streamCreationTimestamp) {
}
