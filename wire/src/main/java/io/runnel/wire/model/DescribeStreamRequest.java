package io.runnel.wire.model;

/**
 * The request of Kinesis DescribeStream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record DescribeStreamRequest(
        String streamName,
        String streamARN,
        Integer limit,
        String exclusiveStartShardId) {
}
