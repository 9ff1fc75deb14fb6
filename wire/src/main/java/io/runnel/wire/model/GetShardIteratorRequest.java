package io.runnel.wire.model;

import java.time.Instant;

/**
 * The request of Kinesis GetShardIterator.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record GetShardIteratorRequest(
        String streamName,
        String streamARN,
        @Required String shardId,
        @Required String shardIteratorType,
        String startingSequenceNumber,
        Instant timestamp) {
}
