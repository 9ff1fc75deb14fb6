package io.runnel.producer.internal;

import io.runnel.wire.internal.TokenBucket;
import java.util.HashMap;
import java.util.Map;

/**
 * The producer's client-side throughput limit per shard: records per second and bytes per second at
 * {@code RateLimit} percent of a shard's write limits (1,000 records and 1 MiB per second), so that the producer is
 * rarely throttled by Kinesis at all. A Kinesis record takes one record and its size from its shard's budgets, or
 * waits.
 *
 * <p>Confined to one thread (the sender); not thread-safe.
 */
public final class Limiter {
    /** Kinesis' write limits per shard. */
    public static final long SHARD_RECORDS_PER_SECOND = 1_000;
    public static final long SHARD_BYTES_PER_SECOND = 1024 * 1024;

    private final long recordsPerSecond;
    private final long bytesPerSecond;
    private final long byteBurst;
    private final Map<String, TokenBucket[]> shards = new HashMap<>();

    /**
     * @param rateLimitPercent the KPL's RateLimit (150 = 150% of the shard limits)
     * @param maxRecordBytes   the largest Kinesis record that must always be able to pass
     */
    public Limiter(long rateLimitPercent, long maxRecordBytes) {
        if (rateLimitPercent < 1) {
            throw new IllegalArgumentException("RateLimit must be at least 1, was " + rateLimitPercent);
        }
        this.recordsPerSecond = Math.max(1, SHARD_RECORDS_PER_SECOND * rateLimitPercent / 100);
        this.bytesPerSecond = Math.max(1, SHARD_BYTES_PER_SECOND * rateLimitPercent / 100);
        this.byteBurst = Math.max(bytesPerSecond, maxRecordBytes);
    }

    private TokenBucket[] buckets(String shardId) {
        return shards.computeIfAbsent(shardId, id -> new TokenBucket[] {
            new TokenBucket(recordsPerSecond, recordsPerSecond), new TokenBucket(bytesPerSecond, byteBurst)});
    }

    /** Takes one record of {@code bytes} from the shard's budgets if both allow it now. */
    public boolean tryAcquire(String shardId, long bytes, long nowNanos) {
        TokenBucket[] b = buckets(shardId);
        if (!b[0].canTake(1, nowNanos) || !b[1].canTake(bytes, nowNanos)) {
            return false;
        }
        b[0].take(1, nowNanos);
        b[1].take(bytes, nowNanos);
        return true;
    }

    /** Nanoseconds until a record of {@code bytes} could pass on this shard (0: now). */
    public long nanosUntilAvailable(String shardId, long bytes, long nowNanos) {
        TokenBucket[] b = buckets(shardId);
        return Math.max(b[0].nanosUntil(1, nowNanos), b[1].nanosUntil(Math.min(bytes, byteBurst), nowNanos));
    }

    /** Forgets shards that are gone (after a reshard). */
    public void retainOnly(java.util.Collection<String> shardIds) {
        shards.keySet().retainAll(shardIds);
    }
}
