package io.runnel.wire.model;

/**
 * The request of Kinesis UpdateMaxRecordSize: the largest record (data plus partition key) the stream takes, in KiB,
 * 1024 to 10240.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record UpdateMaxRecordSizeRequest(
        String streamARN,
        String streamId,
        @Required Integer maxRecordSizeInKiB) {
}
