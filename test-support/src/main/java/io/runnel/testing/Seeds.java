package io.runnel.testing;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Seeds for randomized tests. A test takes one seed per case and builds all its inputs from
 * {@code new SplittableRandom(seed)}, so a seed alone reproduces a case:
 *
 * <pre>{@code
 * @ParameterizedTest(name = "seed={0}")
 * @MethodSource("seeds")
 * void someProperty(long seed) {
 *     SplittableRandom random = new SplittableRandom(seed);
 *     ...
 * }
 *
 * static LongStream seeds() {
 *     return Seeds.of(1000);
 * }
 * }</pre>
 *
 * <p>Each run draws fresh seeds. To replay a failing case, take the seed from its name ({@code seed=N}) or from the
 * assertion's description and run, for example:
 *
 * <pre>{@code ./mvnw -pl wire test -Dtest='HashKeyTest#parseAndFormatAgreeWithBigInteger' -Drunnel.seed=N}</pre>
 *
 * <p>With {@value #PROPERTY} set, every randomized test runs exactly once, with that seed.
 */
public final class Seeds {
    /** The system property that fixes the seed: {@value}. It takes what {@link Long#decode} reads. */
    public static final String PROPERTY = "runnel.seed";

    private Seeds() {
    }

    /**
     * The seeds for one randomized test.
     *
     * @param count how many seeds (cases) to return when {@value #PROPERTY} is not set; at least 1
     * @return exactly the seed in {@value #PROPERTY} if it is set, else {@code count} seeds drawn from a base seed
     *     that is new on every call
     * @throws IllegalArgumentException if {@code count} is below 1 or {@value #PROPERTY} is set but not a long
     */
    public static LongStream of(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1: " + count);
        }
        String fixed = System.getProperty(PROPERTY);
        if (fixed != null && !fixed.isBlank()) {
            Long seed = Long.getLong(PROPERTY);
            if (seed == null) {
                throw new IllegalArgumentException("-D" + PROPERTY + " is not a long: " + fixed);
            }
            return LongStream.of(seed);
        }
        long base = new SplittableRandom().nextLong(); // SplittableRandom() seeds itself from the clock and a counter
        return new SplittableRandom(base).longs(count);
    }
}
