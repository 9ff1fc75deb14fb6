package io.runnel.aggregation;

import java.util.Arrays;
import java.util.Objects;

/**
 * One user record read back from a Kinesis record.
 *
 * @param partitionKey      the user record's partition key
 * @param explicitHashKey   its explicit hash key, or null when it had none
 * @param data              its data; not copied by this record, do not mutate
 * @param subSequenceNumber its index inside the aggregate (0 for a record that was not aggregated)
 * @param aggregated        whether it came out of an aggregated record
 */
public record DeaggregatedRecord(String partitionKey, String explicitHashKey, byte[] data, long subSequenceNumber,
        boolean aggregated) {

    /**
     * Checks that there is data.
     *
     * @param partitionKey      the user record's partition key
     * @param explicitHashKey   its explicit hash key, or null
     * @param data              its data, not copied
     * @param subSequenceNumber its index inside the aggregate
     * @param aggregated        whether it came out of an aggregated record
     * @throws NullPointerException when {@code data} is null
     */
    public DeaggregatedRecord {
        Objects.requireNonNull(data, "data");
    }

    /** Equal when every component is, the data compared by content (not by array identity). */
    @Override
    public boolean equals(Object o) {
        return o instanceof DeaggregatedRecord other
                && subSequenceNumber == other.subSequenceNumber
                && aggregated == other.aggregated
                && Objects.equals(partitionKey, other.partitionKey)
                && Objects.equals(explicitHashKey, other.explicitHashKey)
                && Arrays.equals(data, other.data);
    }

    /** A hash of every component, the data's by content, consistent with {@link #equals(Object)}. */
    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, subSequenceNumber, aggregated) * 31 + Arrays.hashCode(data);
    }

    /** The components, with the data shown as its length only. */
    @Override
    public String toString() {
        return "DeaggregatedRecord[partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey
                + ", data=" + data.length + " bytes, subSequenceNumber=" + subSequenceNumber
                + ", aggregated=" + aggregated + ']';
    }
}
