package io.runnel.backend.store;

/**
 * One record as a shard holds it.
 *
 * @param counter       its place in the stream-wide order (see {@link SequenceNumbers})
 * @param arrivalMillis ApproximateArrivalTimestamp, epoch millis; never decreasing within a shard
 * @param partitionKey  as the producer sent it; null on streams that allow records without one
 * @param data          the payload; owned by the log, never mutated
 */
public record StoredRecord(long counter, long arrivalMillis, String partitionKey, byte[] data) {

    /** {@return the bytes the record counts for against read limits (data plus partition key, as Kinesis counts)} */
    public long billedBytes() {
        return data.length + (partitionKey == null ? 0 : partitionKey.length());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRecord other && counter == other.counter && arrivalMillis == other.arrivalMillis
                && java.util.Objects.equals(partitionKey, other.partitionKey)
                && java.util.Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(counter);
    }

    @Override
    public String toString() {
        return "StoredRecord[counter=" + counter + ", arrivalMillis=" + arrivalMillis + ", partitionKey="
                + partitionKey + ", data=" + data.length + " bytes]";
    }
}
