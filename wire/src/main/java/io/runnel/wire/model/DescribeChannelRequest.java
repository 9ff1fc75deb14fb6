package io.runnel.wire.model;

/**
 * The request of Kinesis DescribeChannel.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record DescribeChannelRequest(
        @Required String channelARN) {
}
