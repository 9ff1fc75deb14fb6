package io.runnel.testing;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The faults a {@link FaultyProxy} injects. Immutable; build one from {@link #none()} or
 * {@link #resetAfterMeanBytes(long)} and adjust it with the {@code with…} methods.
 *
 * <p><b>Resets.</b> With {@code resetMeanBytes > 0}, the proxy draws for every accepted connection, in accept order, a
 * reset point from {@code new SplittableRandom(seed)} with {@link #resetPoint(RandomGenerator, long)}: exponentially
 * distributed with mean {@code resetMeanBytes}, at least 1. Once the connection has forwarded that many bytes
 * (client to target plus target to client) the proxy resets both sides. The same seed and the same sequence of
 * connections therefore give the same reset points. {@code resetMeanBytes == 0} turns resets off.
 *
 * <p><b>Latency.</b> With {@code chunkDelayMillis > 0}, every chunk read from either side is forwarded that long
 * after it was read, while the proxy reads on (a chunk is what one socket read returns, at most 64 KiB): one way of a
 * long link, which adds latency without narrowing it.
 *
 * @param resetMeanBytes mean number of bytes a connection forwards before it is reset; 0 = never reset
 * @param seed the seed of the reset points (see {@link #seed()} on a running proxy to replay a run)
 * @param chunkDelayMillis how long after it was read each chunk is forwarded, in milliseconds; 0 = at once
 */
public record Faults(long resetMeanBytes, long seed, long chunkDelayMillis) {

    /**
     * @throws IllegalArgumentException if {@code resetMeanBytes} or {@code chunkDelayMillis} is negative
     */
    public Faults {
        if (resetMeanBytes < 0) {
            throw new IllegalArgumentException("resetMeanBytes must be 0 (off) or positive: " + resetMeanBytes);
        }
        if (chunkDelayMillis < 0) {
            throw new IllegalArgumentException("chunkDelayMillis must be 0 (off) or positive: " + chunkDelayMillis);
        }
    }

    /** No faults: bytes pass through unchanged. The seed is fresh (it matters only once resets are turned on). */
    public static Faults none() {
        return new Faults(0, new SplittableRandom().nextLong(), 0);
    }

    /**
     * Resets after an exponentially distributed number of bytes with the given mean, from a fresh random seed.
     *
     * @throws IllegalArgumentException if {@code meanBytes} is negative
     */
    public static Faults resetAfterMeanBytes(long meanBytes) {
        return none().withResetMeanBytes(meanBytes);
    }

    /** These faults with another mean reset point; 0 turns resets off. */
    public Faults withResetMeanBytes(long meanBytes) {
        return new Faults(meanBytes, seed, chunkDelayMillis);
    }

    /** These faults with another seed for the reset points. */
    public Faults withSeed(long newSeed) {
        return new Faults(resetMeanBytes, newSeed, chunkDelayMillis);
    }

    /** These faults with another delay per forwarded chunk; 0 turns it off. */
    public Faults withChunkDelayMillis(long delayMillis) {
        return new Faults(resetMeanBytes, seed, delayMillis);
    }

    /** Whether connections are reset ({@code resetMeanBytes > 0}). */
    public boolean resetsEnabled() {
        return resetMeanBytes > 0;
    }

    /**
     * One reset point: {@code max(1, ceil(meanBytes * random.nextExponential()))}, saturating at
     * {@link Long#MAX_VALUE}. This is the exact draw the proxy makes for each accepted connection, so a test can
     * replay it from the seed.
     *
     * @param meanBytes the mean, positive
     * @throws IllegalArgumentException if {@code meanBytes} is not positive
     */
    public static long resetPoint(RandomGenerator random, long meanBytes) {
        if (meanBytes <= 0) {
            throw new IllegalArgumentException("meanBytes must be positive: " + meanBytes);
        }
        return Math.max(1L, (long) Math.ceil(meanBytes * random.nextExponential()));
    }
}
