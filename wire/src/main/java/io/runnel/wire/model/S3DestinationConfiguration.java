package io.runnel.wire.model;

/**
 * A channel's S3 destination, as CreateChannel takes it and DescribeChannel returns it.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record S3DestinationConfiguration(
        Integer dataFreshnessInSeconds,
        DeadLetterQueueS3Configuration deadLetterQueueS3Configuration,
        S3StorageConfiguration storageConfiguration) {
}
