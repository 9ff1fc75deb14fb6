package io.runnel.wire.model;

/**
 * The response of Kinesis DescribeChannel.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record DescribeChannelResponse(
        ChannelDescription channelDescription) {
}
