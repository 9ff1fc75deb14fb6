package io.runnel.wire.model;

import java.time.Instant;
import java.util.List;

/**
 * A channel as ListChannels returns it; destination type {@code S3} or {@code S3_TABLES}.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChannelSummary(
        String channelName,
        String channelARN,
        String channelId,
        String channelStatus,
        String channelStatusReason,
        Instant channelCreationTimestamp,
        String channelDestinationType,
        List<ChannelStreamIdentifier> streams) {
}
