package io.runnel.wire.model;

/**
 * The request of Kinesis UpdateChannel: the data freshness of the channel's destination and its logging.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record UpdateChannelRequest(
        @Required String channelARN,
        S3DestinationUpdateInput s3DestinationConfiguration,
        S3TablesDestinationUpdateInput s3TablesDestinationConfiguration,
        ChannelLoggingUpdateInput loggingConfiguration) {
}
