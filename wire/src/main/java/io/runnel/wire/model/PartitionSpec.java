package io.runnel.wire.model;

import java.util.List;

/**
 * How an S3 Tables destination partitions a table.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record PartitionSpec(
        List<PartitionField> partitionFields) {
}
