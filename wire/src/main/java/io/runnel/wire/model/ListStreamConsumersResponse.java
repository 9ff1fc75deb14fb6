package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis ListStreamConsumers.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListStreamConsumersResponse(
        List<Consumer> consumers,
        String nextToken) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param consumers {@code Consumers} (copied)
     * @param nextToken {@code NextToken}
     */
    public ListStreamConsumersResponse {
        consumers = consumers == null ? null : List.copyOf(consumers);
    }
}
