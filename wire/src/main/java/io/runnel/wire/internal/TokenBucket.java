package io.runnel.wire.internal;

/**
 * A token bucket kept as one number, the time at which it would be full again (the generic cell rate algorithm):
 * exact long arithmetic, no refill loop, no drift over long runs.
 *
 * <p>{@code ratePerSecond} tokens flow in per second up to {@code burst} tokens. Times are monotonic nanoseconds
 * passed in by the caller, so tests drive the clock. Shared by the producer's limiter and the backend's per-shard
 * limits so both count the same way. Not thread-safe: the owner locks or confines it to one thread.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long ratePerSecond;
    private final long burstNanos;
    /** When the bucket is full again; at or before now means full. */
    private long fullAtNanos;
    private boolean started;

    public TokenBucket(long ratePerSecond, long burst) {
        if (ratePerSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("rate and burst must be positive: " + ratePerSecond + ", " + burst);
        }
        this.ratePerSecond = ratePerSecond;
        this.burstNanos = costNanos(burst);
    }

    private long costNanos(long tokens) {
        if (tokens <= Long.MAX_VALUE / NANOS_PER_SECOND) {
            return tokens * NANOS_PER_SECOND / ratePerSecond;
        }
        // tokens * 1e9 would overflow a long: compute in double (exact enough at these magnitudes), capped.
        return (long) Math.min(Long.MAX_VALUE / 4, (double) tokens * NANOS_PER_SECOND / ratePerSecond);
    }

    private long debtNanos(long nowNanos) {
        if (!started) {
            fullAtNanos = nowNanos;
            started = true;
        }
        return Math.max(0, fullAtNanos - nowNanos);
    }

    /** Whether {@code tokens} can be taken now without going below empty. */
    public boolean canTake(long tokens, long nowNanos) {
        return debtNanos(nowNanos) + costNanos(tokens) <= burstNanos;
    }

    /** Takes {@code tokens} if they are there now; returns whether it did. */
    public boolean tryTake(long tokens, long nowNanos) {
        if (!canTake(tokens, nowNanos)) {
            return false;
        }
        take(tokens, nowNanos);
        return true;
    }

    /** Takes {@code tokens}; the caller checked {@link #canTake} or accepts going into debt. */
    public void take(long tokens, long nowNanos) {
        long debt = debtNanos(nowNanos);
        fullAtNanos = nowNanos + debt + costNanos(tokens);
    }

    /** Whether the bucket holds anything at all (it may be in debt after a large take). */
    public boolean hasAny(long nowNanos) {
        return debtNanos(nowNanos) < burstNanos;
    }

    /** Nanoseconds until {@code tokens} could be taken (0 when now). */
    public long nanosUntil(long tokens, long nowNanos) {
        return Math.max(0, debtNanos(nowNanos) + costNanos(tokens) - burstNanos);
    }
}
