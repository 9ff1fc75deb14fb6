package io.runnel.wire.model;

/**
 * Where a channel puts records it cannot deliver.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record DeadLetterQueueS3Configuration(
        String bucketARN,
        String expectedBucketOwner,
        String errorOutputPrefix) {
}
