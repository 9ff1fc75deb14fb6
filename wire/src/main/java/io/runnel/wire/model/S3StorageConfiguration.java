package io.runnel.wire.model;

/**
 * The bucket of an S3 destination; storage class {@code STANDARD}, {@code INTELLIGENT_TIERING} or {@code GLACIER_IR},
 * compression {@code NONE}, {@code GZIP} or {@code ZSTD}.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record S3StorageConfiguration(
        String bucketARN,
        String expectedBucketOwner,
        String outputKeyTemplate,
        String storageClass,
        String compressionType) {
}
