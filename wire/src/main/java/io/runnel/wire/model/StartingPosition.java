package io.runnel.wire.model;

import java.time.Instant;

/**
 * Where a SubscribeToShard subscription starts reading: {@code type} is one of AT_SEQUENCE_NUMBER,
 * AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP; {@code sequenceNumber} goes with the first two,
 * {@code timestamp} with AT_TIMESTAMP.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StartingPosition(
        @Required String type,
        String sequenceNumber,
        Instant timestamp) {
}
