package io.runnel.producer.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * One PutRecords entry being sent: an aggregated record of several user records, or one user record alone.
 * Confined to the pipeline thread. Compared by identity: one entry is one attempt to send these user records.
 */
final class KinesisRecord {
    private final String shardId;
    private final String partitionKey;
    private final String explicitHashKey;
    private byte[] data; // null once released
    private final int dataLength; // data may be a longer reused array (AggregateBuffers)
    private final AggregateBuffers buffers; // where data goes back to; null: not a reused array
    private final ArrayList<PendingUserRecord> userRecords; // one class for all: see #userRecords
    private final boolean aggregated;
    private final long deadlineNanos;
    private final boolean serviceDistributed;
    private final int lane;
    private final long expiryNanos; // computed once: the pipeline asks on every pass over what waits
    private long admittedNanos; // when it last passed its shard's limiter (see Collector)

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
        this(shardId, partitionKey, explicitHashKey, data, data.length, null, userRecords, aggregated, deadlineNanos,
                serviceDistributed, lane, expiryNanos);
    }

    /**
     * As above, with the bytes sent in the first {@code dataLength} bytes of {@code data}, an array of
     * {@code buffers} (null: an array of its own) that goes back there on {@link #release}.
     */
    KinesisRecord(String shardId, String partitionKey, String explicitHashKey, byte[] data, int dataLength,
            AggregateBuffers buffers, List<PendingUserRecord> userRecords, boolean aggregated, long deadlineNanos,
            boolean serviceDistributed, int lane, long expiryNanos) {
        this.shardId = shardId;
        this.partitionKey = partitionKey;
        this.explicitHashKey = explicitHashKey;
        this.data = data;
        this.dataLength = dataLength;
        this.buffers = buffers;
        this.userRecords = userRecords instanceof ArrayList<PendingUserRecord> a ? a : new ArrayList<>(userRecords);
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

    /**
     * The array whose first {@link #dataLength} bytes are sent (it may be longer).
     *
     * @throws IllegalStateException once released: the array may hold another aggregate by then
     */
    byte[] data() {
        byte[] d = data;
        if (d == null) {
            throw new IllegalStateException(this + " was released: its bytes are no longer there to send");
        }
        return d;
    }

    /** The length of the bytes sent. */
    int dataLength() {
        return dataLength;
    }

    /**
     * Pipeline thread, when no one will send these bytes again (stored, given up, repacked, taken back): a reused
     * array goes back for the next aggregate. Idempotent; {@link #data} fails after it.
     */
    void release() {
        byte[] d = data;
        data = null;
        if (d != null && buffers != null) {
            buffers.give(d);
        }
    }

    /**
     * The user records inside, in order; no one changes the list. Always an {@link ArrayList}: the callback thread
     * reads every one of them through it ({@link Deliveries#claimInto}), and when lists of several classes came by
     * (a single record's {@code List.of}, a repacked aggregate's {@code List.copyOf}) the JIT compiled that loop for
     * one class, threw the code away at the next and compiled it again, three or four times a run.
     */
    ArrayList<PendingUserRecord> userRecords() {
        return userRecords;
    }

    /** A list of one user record, of the class {@link #userRecords} has. */
    static ArrayList<PendingUserRecord> one(PendingUserRecord r) {
        ArrayList<PendingUserRecord> list = new ArrayList<>(1);
        list.add(r);
        return list;
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
        return dataLength + (partitionKey == null ? 0 : partitionKey.length());
    }

    /** The earliest expiry of its user records (they are fixed when it is made). */
    /** When it last passed its shard's limiter, to wait there for others to share its request (see Collector). */
    long admittedNanos() {
        return admittedNanos;
    }

    void admittedAt(long nanos) {
        admittedNanos = nanos;
    }

    long expiryNanos() {
        return expiryNanos;
    }

    @Override
    public String toString() {
        return "KinesisRecord[" + shardId + ", lane " + ShardLanes.bits(lane) + "/" + ShardLanes.index(lane) + ", "
                + userRecords.size() + " user records, " + dataLength + " bytes]";
    }
}
