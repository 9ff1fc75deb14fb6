package io.runnel.wire.model;

import java.util.Map;

/**
 * The request of Kinesis RegisterStreamConsumer.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record RegisterStreamConsumerRequest(
        @Required String streamARN,
        @Required String consumerName,
        Map<String, String> tags) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamARN    {@code StreamARN} (required)
     * @param consumerName {@code ConsumerName} (required)
     * @param tags         {@code Tags} (copied)
     */
    public RegisterStreamConsumerRequest {
        tags = tags == null ? null : Map.copyOf(tags);
    }
}
