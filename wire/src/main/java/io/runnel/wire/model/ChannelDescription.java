package io.runnel.wire.model;

import java.time.Instant;
import java.util.List;

/**
 * A channel as CreateChannel, DescribeChannel and UpdateChannel return it: status {@code CREATING}, {@code ACTIVE},
 * {@code UPDATING}, {@code DELETING} or {@code FAILED}.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChannelDescription(
        String channelName,
        String channelARN,
        String channelId,
        String channelStatus,
        String channelStatusReason,
        Instant channelCreationTimestamp,
        String serviceExecutionRoleARN,
        List<ChannelStreamDescription> streamConfigurationList,
        S3DestinationConfiguration s3DestinationConfiguration,
        S3TablesDestinationConfiguration s3TablesDestinationConfiguration,
        ChannelEncryptionConfiguration encryptionConfiguration,
        ChannelLoggingConfiguration loggingConfiguration) {
}
