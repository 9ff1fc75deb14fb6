package io.runnel.wire.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A record as GetRecords returns it (the API's Record).
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 * Byte arrays are neither copied nor cloned: callers must not change them after handing them over.
 */
public record StreamRecord(
        @Required String sequenceNumber,
        Instant approximateArrivalTimestamp,
        @Required byte[] data,
        String partitionKey, // absent for records written without one to an AUTO stream
        String encryptionType) {

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamRecord o
                && Objects.equals(sequenceNumber, o.sequenceNumber)
                && Objects.equals(approximateArrivalTimestamp, o.approximateArrivalTimestamp)
                && Arrays.equals(data, o.data)
                && Objects.equals(partitionKey, o.partitionKey)
                && Objects.equals(encryptionType, o.encryptionType);
    }

    @Override
    public int hashCode() {
        int h = 1;
        h = 31 * h + Objects.hashCode(sequenceNumber);
        h = 31 * h + Objects.hashCode(approximateArrivalTimestamp);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(partitionKey);
        h = 31 * h + Objects.hashCode(encryptionType);
        return h;
    }

    /** Describes the record; data is shown by length only. */
    @Override
    public String toString() {
        return "StreamRecord["
                + "sequenceNumber=" + sequenceNumber
                + ", " + "approximateArrivalTimestamp=" + approximateArrivalTimestamp
                + ", " + "data=" + (data == null ? "null" : data.length + " bytes")
                + ", " + "partitionKey=" + partitionKey
                + ", " + "encryptionType=" + encryptionType
                + "]";
    }
}
