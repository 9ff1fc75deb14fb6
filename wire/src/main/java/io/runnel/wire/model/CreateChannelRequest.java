package io.runnel.wire.model;

import java.util.List;
import java.util.Map;

/**
 * The request of Kinesis CreateChannel.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record CreateChannelRequest(
        @Required String channelName,
        @Required String serviceExecutionRoleARN,
        @Required List<ChannelStreamConfiguration> streamConfigurationList,
        S3DestinationConfiguration s3DestinationConfiguration,
        S3TablesDestinationConfiguration s3TablesDestinationConfiguration,
        ChannelEncryptionConfiguration encryptionConfiguration,
        Map<String, String> tags,
        ChannelLoggingConfiguration loggingConfiguration) {
}
