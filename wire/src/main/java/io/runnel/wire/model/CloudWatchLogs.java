package io.runnel.wire.model;

/**
 * A channel's CloudWatch Logs delivery (also the shape of CloudWatchLogsUpdateInput, which has the same members).
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record CloudWatchLogs(
        Boolean enabled,
        String logGroupName,
        String logStreamName) {
}
