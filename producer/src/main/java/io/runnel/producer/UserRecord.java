package io.runnel.producer;

import java.util.Objects;

/**
 * A record to put.
 *
 * @param stream          the stream's name
 * @param partitionKey    1 to 256 chars; decides the shard unless an explicit hash key is given; null only for
 *                        streams whose RecordDistributionStrategy is AUTO
 * @param explicitHashKey a decimal hash key in 0..2^128-1 that decides the shard, or null
 * @param data            the payload; not copied, do not change it until the future completes
 */
public record UserRecord(String stream, String partitionKey, String explicitHashKey, byte[] data) {

    @Override
    public boolean equals(Object o) {
        return o instanceof UserRecord r && Objects.equals(stream, r.stream) && Objects.equals(partitionKey,
                r.partitionKey) && Objects.equals(explicitHashKey, r.explicitHashKey)
                && java.util.Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, partitionKey, explicitHashKey) * 31 + java.util.Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "UserRecord[stream=" + stream + ", partitionKey=" + partitionKey + ", explicitHashKey="
                + explicitHashKey + ", data=" + (data == null ? "null" : data.length + " bytes") + "]";
    }
}
