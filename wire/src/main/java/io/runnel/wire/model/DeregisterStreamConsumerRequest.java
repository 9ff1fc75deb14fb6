package io.runnel.wire.model;

/**
 * The request of Kinesis DeregisterStreamConsumer.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record DeregisterStreamConsumerRequest(
        String streamARN,
        String consumerName,
        String consumerARN) {
}
