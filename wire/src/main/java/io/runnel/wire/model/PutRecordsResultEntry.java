package io.runnel.wire.model;

/**
 * The outcome of one PutRecords record: a sequence number and shard, or an error code and message.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record PutRecordsResultEntry(
        String sequenceNumber,
        String shardId,
        String errorCode,
        String errorMessage) {
}
