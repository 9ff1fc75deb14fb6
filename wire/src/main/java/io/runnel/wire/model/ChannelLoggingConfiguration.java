package io.runnel.wire.model;

/**
 * A channel's logging.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChannelLoggingConfiguration(
        CloudWatchLogs cloudWatchLogs) {
}
