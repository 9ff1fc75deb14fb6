package io.runnel.wire.model;

/**
 * A partition field of a table: transform {@code TIME_HOUR} of a source field.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record PartitionField(
        String transform,
        String sourceName) {
}
