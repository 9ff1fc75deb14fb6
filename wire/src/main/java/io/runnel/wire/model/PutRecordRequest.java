package io.runnel.wire.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * The request of Kinesis PutRecord.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 * Byte arrays are neither copied nor cloned: callers must not change them after handing them over.
 */
public record PutRecordRequest(
        String streamName,
        String streamARN,
        @Required byte[] data,
        String partitionKey, // optional on AUTO (service-managed distribution) streams
        String explicitHashKey,
        String sequenceNumberForOrdering) {

    @Override
    public boolean equals(Object other) {
        return other instanceof PutRecordRequest o
                && Objects.equals(streamName, o.streamName)
                && Objects.equals(streamARN, o.streamARN)
                && Arrays.equals(data, o.data)
                && Objects.equals(partitionKey, o.partitionKey)
                && Objects.equals(explicitHashKey, o.explicitHashKey)
                && Objects.equals(sequenceNumberForOrdering, o.sequenceNumberForOrdering);
    }

    @Override
    public int hashCode() {
        int h = 1;
        h = 31 * h + Objects.hashCode(streamName);
        h = 31 * h + Objects.hashCode(streamARN);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(partitionKey);
        h = 31 * h + Objects.hashCode(explicitHashKey);
        h = 31 * h + Objects.hashCode(sequenceNumberForOrdering);
        return h;
    }

    /** Describes the record; data is shown by length only. */
    @Override
    public String toString() {
        return "PutRecordRequest["
                + "streamName=" + streamName
                + ", " + "streamARN=" + streamARN
                + ", " + "data=" + (data == null ? "null" : data.length + " bytes")
                + ", " + "partitionKey=" + partitionKey
                + ", " + "explicitHashKey=" + explicitHashKey
                + ", " + "sequenceNumberForOrdering=" + sequenceNumberForOrdering
                + "]";
    }
}
