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
 *       fourfold per second spent sending at the limit until the shard's first throttle ({@link #SLOW_START}), then
 *       additively, by {@link #INCREASE} of the shard limit per second. Against a service that grants exactly the
 *       documented limits it probes above them only slowly once it has met them; where the service grants more, or
 *       nothing limits (RateLimit lifted), it finds that within seconds.</li>
 *   <li>A throttle (ProvisionedThroughputExceededException) is the congestion signal: the shard's rate is multiplied
 *       by {@link #DECREASE} (from the shard limit, if it was above), at most once per round trip (throttles of requests sent before the last decrease are the
 *       same congestion), and its budget is emptied, since the service has just said it holds nothing more.</li>
 * </ul>
 *
 * <p>Budgets are token buckets whose burst is one second at the shard limit (never above {@code RateLimit}), or the
 * stream's largest record if larger, so that any record can pass on an idle shard. Below the shard limit the buckets
 * count exactly as the service's own would, so the service cannot refuse what passes here unless another writer
 * shares the shard.
 *
 * <p>With several pipeline threads, a shard whose hash key range crosses their slices is paced by each of them: each
 * sends only its slice's keys, so its rates and bursts are that part of the shard's ({@link #fraction}; keys spread
 * evenly over the range, as MD5 spreads partition keys), and {@link #share} reports its part. Their bursts add up to
 * the shard's; a record larger than a part's burst passes when that bucket is full and leaves it in debt.
 *
 * <p>Confined to one thread (the pipeline's); not thread-safe. Times are monotonic nanoseconds from the caller.
 */
public final class Limiter {
    /** Kinesis' write limits per shard. */
    public static final long SHARD_RECORDS_PER_SECOND = io.runnel.producer.ShardStats.SHARD_RECORDS_PER_SECOND;
    public static final long SHARD_BYTES_PER_SECOND = io.runnel.producer.ShardStats.SHARD_BYTES_PER_SECOND;
    /** Additive increase: this fraction of the shard limit per second spent sending at the limit. */
    static final double INCREASE = 0.0025;
    /**
     * Slow start: until a shard's first throttle its rate grows fourfold per second spent sending at the limit (e to
     * this power), so a lifted RateLimit lets traffic past the documented limit within a second or two where the
     * service allows it.
     */
    static final double SLOW_START = Math.log(4);
    /** Multiplicative decrease on a throttle. */
    static final double DECREASE = 0.95;
    /** The rate never falls below this fraction of the shard limit. */
    static final double FLOOR = 0.05;
    private static final double NANOS = 1e9;

    private final double ceiling;
    private long maxRecordBytes;
    private final Map<String, Shard> shards = new HashMap<>();
    /** Shards of which this limiter paces only a part (see {@link #fraction}); absent: the whole shard. */
    private final Map<String, Double> fractions = new HashMap<>();

    /** One shard's rate and budgets. */
    private final class Shard {
        double share = Math.min(1.0, ceiling); // of the shard limit
        double records; // tokens
        double bytes;
        long lastNanos;
        boolean limited; // a record waited for the budget since the last one passed
        long lastDecreaseNanos = Long.MIN_VALUE;
        long throttles;
        double fraction; // of the shard's keys that pass here

        Shard(long nowNanos, double fraction) {
            this.fraction = fraction;
            records = recordBurst();
            bytes = byteBurst();
            lastNanos = nowNanos;
        }

        double recordBurst() {
            return Math.max(1, SHARD_RECORDS_PER_SECOND * Math.min(1.0, ceiling) * fraction);
        }

        double byteBurst() {
            // Part of a shard: that part of its burst, so that the parts together burst no more than the shard does.
            // A record larger than that passes when the bucket is full, leaving it in debt (see tryAcquire).
            double burst = SHARD_BYTES_PER_SECOND * Math.min(1.0, ceiling) * fraction;
            return fraction < 1 ? burst : Math.max(burst, maxRecordBytes);
        }

        void refill(long nowNanos) {
            if (nowNanos > lastNanos) {
                double seconds = (nowNanos - lastNanos) / NANOS;
                records = Math.min(recordBurst(), records + seconds * SHARD_RECORDS_PER_SECOND * rate());
                bytes = Math.min(byteBurst(), bytes + seconds * SHARD_BYTES_PER_SECOND * rate());
                lastNanos = nowNanos;
            }
        }

        /** What passes here, as a fraction of the shard limit. */
        double rate() {
            return share * fraction;
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
            s = new Shard(nowNanos, fractions.getOrDefault(shardId, 1.0));
            shards.put(shardId, s);
        }
        s.refill(nowNanos);
        return s;
    }

    /** The largest record a stream takes changed (MaxRecordSizeInKiB): bursts follow it. */
    public void maxRecordBytes(long bytes) {
        this.maxRecordBytes = bytes;
    }

    /** Takes one record of {@code bytes} from the shard's budgets if both allow it now. */
    public boolean tryAcquire(String shardId, long bytes, long nowNanos) {
        Shard s = shard(shardId, nowNanos);
        if (s.records < 1 || s.bytes < Math.min(bytes, s.byteBurst())) { // a full bucket lets any record pass
            s.limited = true;
            return false;
        }
        s.records -= 1;
        s.bytes -= bytes;
        if (s.limited) {
            // Sent at the limit: probe upward, in proportion to the time this record takes at the current rate.
            double seconds = Math.max(bytes / (SHARD_BYTES_PER_SECOND * s.rate()),
                    1 / (SHARD_RECORDS_PER_SECOND * s.rate()));
            double grown = s.throttles == 0 ? s.share * Math.exp(SLOW_START * seconds) : s.share + INCREASE * seconds;
            s.share = Math.min(ceiling, grown);
            s.limited = false;
        }
        return true;
    }

    /** Nanoseconds until a record of {@code bytes} could pass on this shard (0: now). */
    public long nanosUntilAvailable(String shardId, long bytes, long nowNanos) {
        Shard s = shard(shardId, nowNanos);
        double cost = Math.min(bytes, s.byteBurst());
        double recordWait = s.records >= 1 ? 0 : (1 - s.records) / (SHARD_RECORDS_PER_SECOND * s.rate());
        double byteWait = s.bytes >= cost ? 0 : (cost - s.bytes) / (SHARD_BYTES_PER_SECOND * s.rate());
        return (long) Math.ceil(Math.max(recordWait, byteWait) * NANOS);
    }

    /**
     * Kinesis throttled a record of this shard sent at {@code sentNanos}: the rate decreases (once per congestion: not
     * again for requests sent before the last decrease) to {@link #DECREASE} of itself, or of the shard limit if it
     * was above it, and the budgets are emptied.
     */
    public void throttled(String shardId, long sentNanos, long nowNanos) {
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

    /**
     * The rate at which the shard's records pass here now, as a fraction of the shard limit (1.0 = 1,000 records and
     * 1 MiB per second); of a shard this limiter paces only a part of, that part of the shard's rate.
     */
    public double share(String shardId) {
        Shard s = shards.get(shardId);
        return s == null ? Math.min(1.0, ceiling) * fractions.getOrDefault(shardId, 1.0) : s.rate();
    }

    /**
     * Only the keys of {@code fraction} (above 0, at most 1) of the shard's hash key range pass here: other pipeline
     * threads send the rest, each its own part, so this one's rates and bursts are that part of the shard's.
     */
    public void fraction(String shardId, double fraction) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], was " + fraction);
        }
        if (fraction == 1.0) {
            fractions.remove(shardId);
        } else {
            fractions.put(shardId, fraction);
        }
        Shard s = shards.get(shardId);
        if (s != null) {
            s.fraction = fraction;
            s.records = Math.min(s.records, s.recordBurst());
            s.bytes = Math.min(s.bytes, s.byteBurst());
        }
    }

    /** Forgets shards that are gone (after a reshard). */
    public void retainOnly(java.util.Collection<String> shardIds) {
        shards.keySet().retainAll(shardIds);
        fractions.keySet().retainAll(shardIds);
    }
}
