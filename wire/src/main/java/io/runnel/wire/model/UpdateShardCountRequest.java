package io.runnel.wire.model;

/**
 * The request of Kinesis UpdateShardCount.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record UpdateShardCountRequest(
        String streamName,
        String streamARN,
        @Required Integer targetShardCount,
        @Required String scalingType) {
}
