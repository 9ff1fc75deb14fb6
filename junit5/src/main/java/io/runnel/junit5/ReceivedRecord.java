package io.runnel.junit5;

import io.runnel.producer.UserRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One user record read back from a stream of the embedded backend: a Kinesis record as stored, or one of the user
 * records inside a KPL aggregated record, as a KCL consumer would see it.
 *
 * @param stream                      the stream it was read from
 * @param shardId                     the shard that holds it
 * @param sequenceNumber              the sequence number of the Kinesis record that holds it
 * @param subSequenceNumber           its index inside that aggregated record; 0 for a record that was not aggregated
 * @param partitionKey                its partition key; null only for a record written without one to an AUTO stream
 * @param explicitHashKey             the explicit hash key it was aggregated with, or null (Kinesis does not return
 *                                    the explicit hash key of a record that is not aggregated)
 * @param data                        its data; not copied, do not change it
 * @param approximateArrivalTimestamp when the backend stored the Kinesis record that holds it
 * @param aggregated                  whether it came out of a KPL aggregated record
 */
public record ReceivedRecord(String stream, String shardId, String sequenceNumber, long subSequenceNumber,
        String partitionKey, String explicitHashKey, byte[] data, Instant approximateArrivalTimestamp,
        boolean aggregated) {

    /**
     * A record as read back; {@code data} is kept, not copied.
     *
     * @param stream                      the stream it was read from
     * @param shardId                     the shard that holds it
     * @param sequenceNumber              the sequence number of the Kinesis record that holds it
     * @param subSequenceNumber           its index inside that aggregated record; 0 for a record that was not
     *                                    aggregated
     * @param partitionKey                its partition key, or null
     * @param explicitHashKey             the explicit hash key it was aggregated with, or null
     * @param data                        its data
     * @param approximateArrivalTimestamp when the backend stored the Kinesis record that holds it
     * @param aggregated                  whether it came out of a KPL aggregated record
     * @throws NullPointerException when {@code stream}, {@code shardId}, {@code sequenceNumber} or {@code data} is
     *                              null
     */
    public ReceivedRecord {
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(shardId, "shardId");
        Objects.requireNonNull(sequenceNumber, "sequenceNumber");
        Objects.requireNonNull(data, "data");
    }

    /**
     * The data decoded as UTF-8 (malformed bytes become U+FFFD).
     *
     * @return the data as a string
     */
    public String dataAsString() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * This record as the producer's {@link UserRecord} (stream, partition key, explicit hash key, data), to compare
     * what arrived with what a {@link io.runnel.producer.MockKinesisProducer} recorded.
     *
     * @return a user record with the same stream, keys and data (not copied)
     */
    public UserRecord toUserRecord() {
        return new UserRecord(stream, partitionKey, explicitHashKey, data);
    }

    /**
     * Whether {@code o} is a received record with equal fields, data compared by content.
     *
     * @param o the object to compare with
     * @return whether the two are equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ReceivedRecord r && stream.equals(r.stream) && shardId.equals(r.shardId)
                && sequenceNumber.equals(r.sequenceNumber) && subSequenceNumber == r.subSequenceNumber
                && Objects.equals(partitionKey, r.partitionKey) && Objects.equals(explicitHashKey, r.explicitHashKey)
                && Arrays.equals(data, r.data)
                && Objects.equals(approximateArrivalTimestamp, r.approximateArrivalTimestamp)
                && aggregated == r.aggregated;
    }

    /**
     * A hash code consistent with {@link #equals(Object)}.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(stream, shardId, sequenceNumber, subSequenceNumber, partitionKey, explicitHashKey,
                approximateArrivalTimestamp, aggregated) * 31 + Arrays.hashCode(data);
    }

    /**
     * Describes the record; data is shown by length only.
     *
     * @return a description of the record
     */
    @Override
    public String toString() {
        return "ReceivedRecord[stream=" + stream + ", shardId=" + shardId + ", sequenceNumber=" + sequenceNumber
                + ", subSequenceNumber=" + subSequenceNumber + ", partitionKey=" + partitionKey
                + ", explicitHashKey=" + explicitHashKey + ", data=" + data.length + " bytes, aggregated="
                + aggregated + "]";
    }
}
