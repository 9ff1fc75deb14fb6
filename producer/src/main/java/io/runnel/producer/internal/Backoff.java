package io.runnel.producer.internal;

import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: the delay before retry {@code n} (from 1) is uniform in
 * {@code [0, min(max, base * 2^(n-1))]}, so clients that failed together do not retry together. Thread-safe when the
 * random source is.
 */
public final class Backoff {
    private final long baseNanos;
    private final long maxNanos;
    private final LongUnaryOperator random; // bound -> uniform in [0, bound]

    /**
     * @param random given a bound, a uniform value in {@code [0, bound]}
     */
    public Backoff(long baseNanos, long maxNanos, LongUnaryOperator random) {
        if (baseNanos <= 0 || maxNanos < baseNanos) {
            throw new IllegalArgumentException("need 0 < base <= max, got " + baseNanos + ", " + maxNanos);
        }
        this.baseNanos = baseNanos;
        this.maxNanos = maxNanos;
        this.random = random;
    }

    /** With {@link java.util.concurrent.ThreadLocalRandom}. */
    public static Backoff withJitter(long baseNanos, long maxNanos) {
        return new Backoff(baseNanos, maxNanos,
                bound -> java.util.concurrent.ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** The ceiling of retry {@code attempt} (1 for the first retry). */
    public long ceilingNanos(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
        int shift = Math.min(attempt - 1, 62);
        long ceiling = baseNanos << shift;
        return ceiling <= 0 || ceiling > maxNanos || (ceiling >> shift) != baseNanos ? maxNanos : ceiling;
    }

    /** The delay before retry {@code attempt}. */
    public long delayNanos(int attempt) {
        return random.applyAsLong(ceilingNanos(attempt));
    }
}
