package io.runnel.producer.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The producer's client-side throughput control per shard, adaptive (AIMD): each shard's records per second and bytes
 * per second start at Kinesis' write limits (1,000 records and 1 MiB per second, counted as Kinesis counts them: one
 * per PutRecords entry, its data plus its partition key) and follow what the service grants.
 *
 * <ul>
 *   <li>While a shard has more to send than its rate lets through, its rate rises, up to {@code RateLimit} percent:
 *       fourfold per 100 ms spent sending at the limit until the shard's first throttle ({@link #SLOW_START}), then
 *       additively, by {@link #INCREASE} of the shard limit per second. Against a service that grants exactly the
 *       documented limits it probes above them only slowly once it has met them; where the service grants more, or
 *       nothing limits (RateLimit lifted), it finds that within a few tenths of a second.</li>
 *   <li>A throttle (ProvisionedThroughputExceededException) is the congestion signal: the shard's rate is multiplied
 *       by {@link #DECREASE} (from the shard limit, if it was above), at most once per round trip (throttles of
 *       requests sent before the last decrease are the
 *       same congestion), and its budget is emptied, since the service has just said it holds nothing more.</li>
 * </ul>
 *
 * <p>Budgets are token buckets whose burst is one second at the shard limit (never above {@code RateLimit}), or the
 * stream's largest record if larger, so that any record can pass on an idle shard. Below the shard limit the buckets
 * count exactly as the service's own would, so the service cannot refuse what passes here unless another writer
 * shares the shard.
 *
 * <p>Thread-safe: with several pipeline threads one limiter per stream serves them all, so a shard whose hash key range
 * crosses their slices still has one rate and one budget, taken first come, first served. It is asked once per Kinesis
 * record (an aggregate of hundreds of user records), so the lock costs little. Times are monotonic nanoseconds from the
 * caller.
 */
public final class Limiter {
    /** Kinesis' write limits per shard. */
    public static final long SHARD_RECORDS_PER_SECOND = io.runnel.producer.ShardStats.SHARD_RECORDS_PER_SECOND;
    public static final long SHARD_BYTES_PER_SECOND = io.runnel.producer.ShardStats.SHARD_BYTES_PER_SECOND;
    /** Additive increase: this fraction of the shard limit per second spent sending at the limit. */
    static final double INCREASE = 0.0025;
    /**
     * Slow start: until a shard's first throttle its rate grows fourfold per 100 ms spent sending at the limit (e to
     * this power per second), so a lifted RateLimit lets traffic past the documented limit within a few tenths of a
     * second where the service allows it. (At fourfold per second a shard took ~2.3 s to reach the 25 MB/s the bundled
     * backend takes with its limits off, and a 10M-record run lost over a second to it.) Against Kinesis, where the
     * documented limit holds, the first throttle ends it: the overshoot is what one round trip sends at up to
     * RateLimit, and the rate goes back under the limit.
     */
    static final double SLOW_START = Math.log(4) * 10;
    /** Multiplicative decrease on a throttle. */
    static final double DECREASE = 0.95;
    /** The rate never falls below this fraction of the shard limit. */
    static final double FLOOR = 0.05;
    private static final double NANOS = 1e9;

    private final double ceiling;
    private long maxRecordBytes;
    private final Map<String, Shard> shards = new HashMap<>();

    /** One shard's rate and budgets. */
    private final class Shard {
        double share = Math.min(1.0, ceiling); // of the shard limit
        double records; // tokens
        double bytes;
        long lastNanos;
        boolean limited; // a record waited for the budget since the last one passed
        long lastDecreaseNanos = Long.MIN_VALUE;
        long throttles;

        Shard(long nowNanos) {
            records = recordBurst();
            bytes = byteBurst();
            lastNanos = nowNanos;
        }

        double recordBurst() {
            return SHARD_RECORDS_PER_SECOND * Math.min(1.0, ceiling);
        }

        double byteBurst() {
            return Math.max(SHARD_BYTES_PER_SECOND * Math.min(1.0, ceiling), maxRecordBytes);
        }

        void refill(long nowNanos) {
            if (nowNanos > lastNanos) {
                double seconds = (nowNanos - lastNanos) / NANOS;
                records = Math.min(recordBurst(), records + seconds * SHARD_RECORDS_PER_SECOND * share);
                bytes = Math.min(byteBurst(), bytes + seconds * SHARD_BYTES_PER_SECOND * share);
                lastNanos = nowNanos;
            }
        }
    }

    /**
     * @param rateLimitPercent the KPL's RateLimit: the most a shard's rate may reach, in percent of the shard limits
     *                         (150 = 150%); below 100 it is also where each shard starts
     * @param maxRecordBytes   the largest Kinesis record (data plus partition key) that must be able to pass
     */
    public Limiter(long rateLimitPercent, long maxRecordBytes) {
        if (rateLimitPercent < 1) {
            throw new IllegalArgumentException("RateLimit must be at least 1, was " + rateLimitPercent);
        }
        this.ceiling = rateLimitPercent / 100.0;
        this.maxRecordBytes = maxRecordBytes;
    }

    private Shard shard(String shardId, long nowNanos) {
        Shard s = shards.get(shardId);
        if (s == null) {
            s = new Shard(nowNanos);
            shards.put(shardId, s);
        }
        s.refill(nowNanos);
        return s;
    }

    /** The largest record a stream takes changed (MaxRecordSizeInKiB): bursts follow it. */
    public synchronized void maxRecordBytes(long bytes) {
        this.maxRecordBytes = bytes;
    }

    /** Takes one record of {@code bytes} from the shard's budgets if both allow it now. */
    public synchronized boolean tryAcquire(String shardId, long bytes, long nowNanos) {
        Shard s = shard(shardId, nowNanos);
        double cost = Math.min(bytes, s.byteBurst());
        if (s.records < 1 || s.bytes < cost) {
            s.limited = true;
            return false;
        }
        s.records -= 1;
        s.bytes -= cost;
        if (s.limited) {
            // Sent at the limit: probe upward, in proportion to the time this record takes at the current rate.
            double seconds = Math.max(bytes / (SHARD_BYTES_PER_SECOND * s.share),
                    1 / (SHARD_RECORDS_PER_SECOND * s.share));
            double grown = s.throttles == 0 ? s.share * Math.exp(SLOW_START * seconds) : s.share + INCREASE * seconds;
            s.share = Math.min(ceiling, grown);
            s.limited = false;
        }
        return true;
    }

    /** Nanoseconds until a record of {@code bytes} could pass on this shard (0: now). */
    public synchronized long nanosUntilAvailable(String shardId, long bytes, long nowNanos) {
        Shard s = shard(shardId, nowNanos);
        double cost = Math.min(bytes, s.byteBurst());
        double recordWait = s.records >= 1 ? 0 : (1 - s.records) / (SHARD_RECORDS_PER_SECOND * s.share);
        double byteWait = s.bytes >= cost ? 0 : (cost - s.bytes) / (SHARD_BYTES_PER_SECOND * s.share);
        return (long) Math.ceil(Math.max(recordWait, byteWait) * NANOS);
    }

    /**
     * Kinesis throttled a record of this shard sent at {@code sentNanos}: the rate decreases (once per congestion: not
     * again for requests sent before the last decrease) to {@link #DECREASE} of itself, or of the shard limit if it
     * was above it, and the budgets are emptied.
     */
    public synchronized void throttled(String shardId, long sentNanos, long nowNanos) {
        Shard s = shard(shardId, nowNanos);
        s.throttles++;
        s.records = Math.min(s.records, 0);
        s.bytes = Math.min(s.bytes, 0);
        if (sentNanos > s.lastDecreaseNanos) {
            // Throttled above the documented limit: the service grants no more than that now, start again below it.
            s.share = Math.max(FLOOR, Math.min(s.share, 1.0) * DECREASE);
            s.lastDecreaseNanos = nowNanos;
        }
    }

    /** The shard's current rate as a fraction of the shard limit (1.0 = 1,000 records and 1 MiB per second). */
    public synchronized double share(String shardId) {
        Shard s = shards.get(shardId);
        return s == null ? Math.min(1.0, ceiling) : s.share;
    }

    /** Forgets shards that are gone (after a reshard). */
    public synchronized void retainOnly(java.util.Collection<String> shardIds) {
        shards.keySet().retainAll(shardIds);
    }
}
