package io.runnel.wire.model;

/**
 * A source stream of CreateChannel (it must be on-demand) and how its records are read.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChannelStreamConfiguration(
        @Required String streamARN,
        RecordConfiguration recordConfiguration) {
}
