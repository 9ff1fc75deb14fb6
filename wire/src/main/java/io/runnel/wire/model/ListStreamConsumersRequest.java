package io.runnel.wire.model;

import java.time.Instant;

/**
 * The request of Kinesis ListStreamConsumers.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListStreamConsumersRequest(
        @Required String streamARN,
        String nextToken,
        Integer maxResults,
        Instant streamCreationTimestamp) {
}
