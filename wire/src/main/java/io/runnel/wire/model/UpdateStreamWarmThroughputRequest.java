package io.runnel.wire.model;

/**
 * The request of Kinesis UpdateStreamWarmThroughput.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record UpdateStreamWarmThroughputRequest(
        String streamARN,
        String streamName,
        String streamId,
        @Required Integer warmThroughputMiBps) {
}
