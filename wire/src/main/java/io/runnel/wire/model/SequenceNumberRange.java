package io.runnel.wire.model;

/**
 * A shard's sequence numbers; the ending one is set once the shard is closed.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record SequenceNumberRange(
        @Required String startingSequenceNumber,
        String endingSequenceNumber) {
}
