package io.runnel.backend.limits;

import io.runnel.wire.internal.TokenBucket;

/**
 * Kinesis' per-shard limits: writes of 1,000 records and 1 MiB per second, reads of 5 GetRecords calls and 2 MiB per
 * second. A write is admitted only when both its record and its byte budget allow it, and then takes from both. A
 * read is admitted while a call is left and any read budget remains; a large read may then overdraw the byte budget,
 * and later reads wait until it is paid back — as a 10 MiB GetRecords on Kinesis blocks the shard's reads for the next
 * seconds.
 *
 * <p>Thread-safe.
 */
public final class ShardThrottle {
    /** Kinesis' write limits per shard. */
    public static final long WRITE_RECORDS_PER_SECOND = 1_000;
    public static final long WRITE_BYTES_PER_SECOND = 1024 * 1024;
    /** Kinesis' read limits per shard. */
    public static final long READ_CALLS_PER_SECOND = 5;
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
     */
    public ShardThrottle(long writeBurstBytes) {
        this.writeBytes = new TokenBucket(WRITE_BYTES_PER_SECOND, Math.max(WRITE_BYTES_PER_SECOND, writeBurstBytes));
    }

    /**
     * Changes the write byte burst (the stream's maximum record size changed); the budget starts full again, as if
     * the shard had been idle.
     */
    public synchronized void writeBurst(long writeBurstBytes) {
        this.writeBytes = new TokenBucket(WRITE_BYTES_PER_SECOND, Math.max(WRITE_BYTES_PER_SECOND, writeBurstBytes));
    }

    /**
     * Admits one written record of {@code bytes} (data plus partition key) or refuses it.
     *
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

    /** Admits one GetRecords call, or refuses it. */
    public synchronized boolean tryStartRead(long nowNanos) {
        if (!readCalls.canTake(1, nowNanos) || !readBytes.hasAny(nowNanos)) {
            return false;
        }
        readCalls.take(1, nowNanos);
        return true;
    }

    /** Charges what an admitted GetRecords returned; may overdraw the read budget. */
    public synchronized void chargeRead(long bytes, long nowNanos) {
        readBytes.take(bytes, nowNanos);
    }
}
