package io.runnel.wire.model;

/**
 * A tag of a stream or consumer.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record Tag(
        @Required String key,
        String value) {
}
