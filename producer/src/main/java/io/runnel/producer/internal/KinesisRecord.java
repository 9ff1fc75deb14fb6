package io.runnel.producer.internal;

import java.util.List;

/**
 * One PutRecords entry being sent: an aggregated record of several user records, or one user record alone.
 * Confined to the pipeline thread. Compared by identity: one entry is one attempt to send these user records.
 */
final class KinesisRecord {
    private final String shardId;
    private final String partitionKey;
    private final String explicitHashKey;
    private final byte[] data;
    private final List<PendingUserRecord> userRecords;
    private final boolean aggregated;
    private final long deadlineNanos;
    private final boolean serviceDistributed;
    private final int lane;
    private final long expiryNanos; // computed once: the pipeline asks on every pass over what waits

    /**
     * @param shardId          the predicted shard (for the limiter and for checking where it landed)
     * @param partitionKey     the entry's partition key (the first user record's for an aggregate)
     * @param explicitHashKey  the entry's explicit hash key, steering an aggregate to its predicted shard; may be null
     * @param data             the bytes sent
     * @param userRecords      the user records inside, in order (index = sub-sequence number)
     * @param aggregated       whether {@code data} is an aggregated record
     * @param deadlineNanos    when it must be sent at the latest (RecordMaxBufferedTime after its oldest user record)
     * @param serviceDistributed for an AUTO stream: the service picks the shard; {@code shardId} is only a send lane
     *                         and the record passes no per-shard limiter
     * @param lane             which of its shard's keys its user records have ({@link ShardLanes}): records of lanes
     *                         that do not overlap share no key, and may be in flight together
     */
    KinesisRecord(String shardId, String partitionKey, String explicitHashKey, byte[] data,
            List<PendingUserRecord> userRecords, boolean aggregated, long deadlineNanos, boolean serviceDistributed,
            int lane) {
        this(shardId, partitionKey, explicitHashKey, data, userRecords, aggregated, deadlineNanos, serviceDistributed,
                lane, earliestExpiry(userRecords));
    }

    /** As above, with the earliest expiry of the user records known already ({@code expiryNanos}). */
    KinesisRecord(String shardId, String partitionKey, String explicitHashKey, byte[] data,
            List<PendingUserRecord> userRecords, boolean aggregated, long deadlineNanos, boolean serviceDistributed,
            int lane, long expiryNanos) {
        this.shardId = shardId;
        this.partitionKey = partitionKey;
        this.explicitHashKey = explicitHashKey;
        this.data = data;
        this.userRecords = userRecords;
        this.aggregated = aggregated;
        this.deadlineNanos = deadlineNanos;
        this.serviceDistributed = serviceDistributed;
        this.lane = lane;
        this.expiryNanos = expiryNanos;
    }

    private static long earliestExpiry(List<PendingUserRecord> userRecords) {
        long min = Long.MAX_VALUE;
        for (PendingUserRecord r : userRecords) {
            min = Math.min(min, r.expiryNanos);
        }
        return min;
    }

    KinesisRecord(String shardId, String partitionKey, String explicitHashKey, byte[] data,
            List<PendingUserRecord> userRecords, boolean aggregated, long deadlineNanos, boolean serviceDistributed) {
        this(shardId, partitionKey, explicitHashKey, data, userRecords, aggregated, deadlineNanos, serviceDistributed,
                ShardLanes.WHOLE);
    }

    KinesisRecord(String shardId, String partitionKey, String explicitHashKey, byte[] data,
            List<PendingUserRecord> userRecords, boolean aggregated, long deadlineNanos) {
        this(shardId, partitionKey, explicitHashKey, data, userRecords, aggregated, deadlineNanos, false);
    }

    String shardId() {
        return shardId;
    }

    String partitionKey() {
        return partitionKey;
    }

    String explicitHashKey() {
        return explicitHashKey;
    }

    byte[] data() {
        return data;
    }

    List<PendingUserRecord> userRecords() {
        return userRecords;
    }

    boolean aggregated() {
        return aggregated;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean serviceDistributed() {
        return serviceDistributed;
    }

    int lane() {
        return lane;
    }

    /** Bytes it counts for in a PutRecords request and against the shard's byte rate. */
    long wireBytes() {
        return data.length + (partitionKey == null ? 0 : partitionKey.length());
    }

    /** The earliest expiry of its user records (they are fixed when it is made). */
    long expiryNanos() {
        return expiryNanos;
    }

    @Override
    public String toString() {
        return "KinesisRecord[" + shardId + ", lane " + ShardLanes.bits(lane) + "/" + ShardLanes.index(lane) + ", "
                + userRecords.size() + " user records, " + data.length + " bytes]";
    }
}
