package io.runnel.backend.limits;

import io.runnel.wire.internal.TokenBucket;

/**
 * Kinesis' per-shard limits: writes of 1,000 records and 1 MiB per second, reads of 5 GetRecords calls and 2 MiB per
 * second. A write is admitted only when both its record and its byte budget allow it, and then takes from both. A
 * read is admitted while a call is left and any read budget remains; a large read may then overdraw the byte budget,
 * and later reads wait until it is paid back — as a 10 MiB GetRecords on Kinesis blocks the shard's reads for the
 * next seconds.
 *
 * <p>Thread-safe.
 */
public final class ShardThrottle {
    /** Kinesis' write limit per shard in records per second. */
    public static final long WRITE_RECORDS_PER_SECOND = 1_000;
    /** Kinesis' write limit per shard in bytes (data plus partition key) per second: 1 MiB. */
    public static final long WRITE_BYTES_PER_SECOND = 1024 * 1024;
    /** Kinesis' read limit per shard in GetRecords calls per second. */
    public static final long READ_CALLS_PER_SECOND = 5;
    /** Kinesis' read limit per shard in bytes per second: 2 MiB. */
    public static final long READ_BYTES_PER_SECOND = 2 * 1024 * 1024;

    private final TokenBucket writeRecords = new TokenBucket(WRITE_RECORDS_PER_SECOND, WRITE_RECORDS_PER_SECOND);
    private TokenBucket writeBytes;
    private final TokenBucket readCalls = new TokenBucket(READ_CALLS_PER_SECOND, READ_CALLS_PER_SECOND);
    private final TokenBucket readBytes = new TokenBucket(READ_BYTES_PER_SECOND, READ_BYTES_PER_SECOND);

    /** Limits with a one-second write burst. */
    public ShardThrottle() {
        this(WRITE_BYTES_PER_SECOND);
    }

    /**
     * Limits whose write byte budget can burst to {@code writeBurstBytes}, so that records larger than 1 MiB (on
     * streams whose maximum record size was raised) pass when the shard has been idle.
     *
     * @param writeBurstBytes most bytes the write budget holds; it refills at 1 MiB per second
     */
    public ShardThrottle(long writeBurstBytes) {
        this.writeBytes = new TokenBucket(WRITE_BYTES_PER_SECOND, Math.max(WRITE_BYTES_PER_SECOND, writeBurstBytes));
    }

    /**
     * Changes the write byte burst (the stream's maximum record size changed); the budget starts full again, as if
     * the shard had been idle.
     *
     * @param writeBurstBytes most bytes the write budget holds from now on
     */
    public synchronized void writeBurst(long writeBurstBytes) {
        this.writeBytes = new TokenBucket(WRITE_BYTES_PER_SECOND, Math.max(WRITE_BYTES_PER_SECOND, writeBurstBytes));
    }

    /**
     * Admits one written record of {@code bytes} (data plus partition key) or refuses it.
     *
     * @param bytes    the record's data plus partition key length
     * @param nowNanos the time now, monotonic nanos
     * @return whether the record is within the shard's write limits; when true the budgets were charged
     */
    public synchronized boolean tryWrite(long bytes, long nowNanos) {
        if (!writeRecords.canTake(1, nowNanos) || !writeBytes.canTake(bytes, nowNanos)) {
            return false;
        }
        writeRecords.take(1, nowNanos);
        writeBytes.take(bytes, nowNanos);
        return true;
    }

    /**
     * Admits one GetRecords call, or refuses it.
     *
     * @param nowNanos the time now, monotonic nanos
     * @return whether a call is left this second and the read budget is not overdrawn; when true a call was charged
     */
    public synchronized boolean tryStartRead(long nowNanos) {
        if (!readCalls.canTake(1, nowNanos) || !readBytes.hasAny(nowNanos)) {
            return false;
        }
        readCalls.take(1, nowNanos);
        return true;
    }

    /**
     * Charges what an admitted GetRecords returned; may overdraw the read budget.
     *
     * @param bytes    the data and partition keys the call returned
     * @param nowNanos the time now, monotonic nanos
     */
    public synchronized void chargeRead(long bytes, long nowNanos) {
        readBytes.take(bytes, nowNanos);
    }
}
