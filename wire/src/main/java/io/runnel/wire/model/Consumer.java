package io.runnel.wire.model;

import java.time.Instant;

/**
 * An enhanced fan-out consumer.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record Consumer(
        @Required String consumerName,
        @Required String consumerARN,
        @Required String consumerStatus,
        @Required Instant consumerCreationTimestamp) {
}
