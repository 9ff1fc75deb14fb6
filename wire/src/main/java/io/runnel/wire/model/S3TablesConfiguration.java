package io.runnel.wire.model;

/**
 * A table of an S3 Tables destination; compression {@code NONE}, {@code ZSTD} or {@code SNAPPY}.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record S3TablesConfiguration(
        String tableBucketARN,
        String namespace,
        String tableName,
        String compressionType,
        PartitionSpec partitionSpec) {
}
