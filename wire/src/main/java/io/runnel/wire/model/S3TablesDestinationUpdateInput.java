package io.runnel.wire.model;

/**
 * What UpdateChannel changes of an S3 Tables destination.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record S3TablesDestinationUpdateInput(
        Integer dataFreshnessInSeconds) {
}
