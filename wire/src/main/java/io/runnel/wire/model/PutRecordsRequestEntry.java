package io.runnel.wire.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record of a PutRecords request.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 * Byte arrays are neither copied nor cloned: callers must not change them after handing them over.
 */
public record PutRecordsRequestEntry(
        @Required byte[] data,
        String explicitHashKey,
        String partitionKey) { // optional on AUTO (service-managed distribution) streams

    @Override
    public boolean equals(Object other) {
        return other instanceof PutRecordsRequestEntry o
                && Arrays.equals(data, o.data)
                && Objects.equals(explicitHashKey, o.explicitHashKey)
                && Objects.equals(partitionKey, o.partitionKey);
    }

    @Override
    public int hashCode() {
        int h = 1;
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(explicitHashKey);
        h = 31 * h + Objects.hashCode(partitionKey);
        return h;
    }

    /** Describes the record; data is shown by length only. */
    @Override
    public String toString() {
        return "PutRecordsRequestEntry["
                + "data=" + (data == null ? "null" : data.length + " bytes")
                + ", " + "explicitHashKey=" + explicitHashKey
                + ", " + "partitionKey=" + partitionKey
                + "]";
    }
}
