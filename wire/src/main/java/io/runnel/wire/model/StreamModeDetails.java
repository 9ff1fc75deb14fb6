package io.runnel.wire.model;

/**
 * Capacity mode of a stream: ON_DEMAND or PROVISIONED.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StreamModeDetails(
        @Required String streamMode) {
}
