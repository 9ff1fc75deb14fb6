package io.runnel.wire.model;

/**
 * The {@code initial-response} event of a SubscribeToShard event stream: an empty object.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record SubscribeToShardResponse() {
}
