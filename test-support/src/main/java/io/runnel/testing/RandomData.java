package io.runnel.testing;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Random test inputs drawn from a {@link RandomGenerator} (in tests, {@code new SplittableRandom(seed)}; see
 * {@link Seeds}). The same generator state always gives the same values.
 *
 * <p>Values are not uniform: a share of them are edge values (bounds, 0, 1, -1, powers of two and their neighbours,
 * surrogates, empty and maximal lengths) and lengths lean towards short, because that is where bugs are. Each method
 * says its mix; every value stays within the stated range.
 */
public final class RandomData {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

    /** Edge values of {@link #unsigned128}. */
    static final List<BigInteger> EDGE_128 = List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.shiftLeft(63),
            TWO_64.subtract(BigInteger.ONE), TWO_64, TWO_128.subtract(BigInteger.ONE));

    /** Edge values of {@link #anyLong}: 0, ±1, Long.MIN/MAX_VALUE and ±2^k, ±(2^k - 1), ±(2^k + 1). */
    static final long[] EDGE_LONGS = edgeLongs();

    /** Edge chars of {@link #string} that are not surrogates: the ends of the UTF-8 length classes and specials. */
    private static final char[] EDGE_CHARS = {0x0000, 0x007F, 0x0080, 0x07FF, 0x0800, 0xD7FF, 0xE000, 0xFEFF, 0xFFFD,
        0xFFFE, 0xFFFF};

    /** The ends of the high and low surrogate ranges. */
    private static final char[] EDGE_SURROGATES = {0xD800, 0xDBFF, 0xDC00, 0xDFFF};

    /** Edge code points of {@link #unicodeString}, each within one of its four ranges. */
    private static final int[] EDGE_CODE_POINTS = {0x20, 0x7E, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000,
        0x10FFFF};

    private RandomData() {
    }

    /**
     * A length (of a string, array or list) in {@code [min, max]}, leaning short: 1/8 {@code min}, 1/8 {@code max},
     * 1/2 uniform in {@code [min, min + 16]} (capped at {@code max}), 1/4 uniform in {@code [min, max]}.
     *
     * @throws IllegalArgumentException if {@code min < 0} or {@code max < min}
     */
    public static int length(RandomGenerator random, int min, int max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("bad length range [" + min + ", " + max + "]");
        }
        int choice = random.nextInt(8);
        if (choice == 0) {
            return min;
        }
        if (choice == 1) {
            return max;
        }
        if (choice < 6) {
            return (int) random.nextLong(min, Math.min(max, min + 16L) + 1);
        }
        return (int) random.nextLong(min, max + 1L);
    }

    /**
     * An int in {@code [min, max]}, as {@link #longBetween}.
     *
     * @throws IllegalArgumentException if {@code max < min}
     */
    public static int intBetween(RandomGenerator random, int min, int max) {
        return (int) longBetween(random, min, max);
    }

    /**
     * A long in {@code [min, max]}: 1/4 an edge ({@code min}, {@code min + 1}, {@code max - 1}, {@code max}), 1/4
     * {@code min} plus an offset of uniformly chosen bit length (so small offsets are common), 1/2 uniform.
     *
     * @throws IllegalArgumentException if {@code max < min}
     */
    public static long longBetween(RandomGenerator random, long min, long max) {
        if (max < min) {
            throw new IllegalArgumentException("bad range [" + min + ", " + max + "]");
        }
        long span = max - min; // unsigned: 0 .. 2^64 - 1
        int choice = random.nextInt(4);
        if (choice == 0) {
            return switch (random.nextInt(4)) {
                case 0 -> min;
                case 1 -> max;
                case 2 -> span == 0 ? min : min + 1;
                default -> span == 0 ? max : max - 1;
            };
        }
        if (choice == 1) {
            int bits = random.nextInt(65 - Long.numberOfLeadingZeros(span)); // 0 .. bit length of span
            long offset = bits == 0 ? 0 : random.nextLong() >>> (64 - bits);
            if (Long.compareUnsigned(offset, span) > 0) {
                offset >>>= 1; // now below 2^(bits - 1), which is at most span
            }
            return min + offset;
        }
        return min + unsignedAtMost(random, span);
    }

    /**
     * Any long: 1/4 an edge value (0, ±1, {@link Long#MIN_VALUE}, {@link Long#MAX_VALUE}, ±2^k, ±(2^k - 1),
     * ±(2^k + 1)), 1/4 a value of uniformly chosen bit length with a random sign, 1/2 uniform.
     */
    public static long anyLong(RandomGenerator random) {
        int choice = random.nextInt(4);
        if (choice == 0) {
            return EDGE_LONGS[random.nextInt(EDGE_LONGS.length)];
        }
        if (choice == 1) {
            long magnitude = random.nextLong() >>> random.nextInt(64);
            return random.nextBoolean() ? magnitude : -magnitude;
        }
        return random.nextLong();
    }

    /**
     * An unsigned 128-bit value in {@code [0, 2^128)}: 1/4 an edge value (0, 1, 2^63, 2^64 - 1, 2^64, 2^128 - 1),
     * 1/4 a value of uniformly chosen bit length (0 to 128), 1/2 uniform.
     */
    public static BigInteger unsigned128(RandomGenerator random) {
        int choice = random.nextInt(4);
        if (choice == 0) {
            return EDGE_128.get(random.nextInt(EDGE_128.size()));
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        BigInteger uniform = new BigInteger(1, bytes);
        return choice == 1 ? uniform.shiftRight(random.nextInt(129)) : uniform;
    }

    /**
     * Random bytes, the length from {@link #length(RandomGenerator, int, int) length(random, minLength, maxLength)}.
     */
    public static byte[] bytes(RandomGenerator random, int minLength, int maxLength) {
        byte[] bytes = new byte[length(random, minLength, maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Any Java string of 0 to {@code maxLength} chars (length from {@link #length(RandomGenerator, int, int)}). Half
     * of the strings are well-formed UTF-16; the other half may also hold lone (unpaired) surrogates. The chars mix
     * ASCII, edge chars (U+0000, U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FEFF, U+FFFD, U+FFFE, U+FFFF),
     * surrogate pairs (supplementary code points) and any other char.
     */
    public static String string(RandomGenerator random, int maxLength) {
        int length = length(random, 0, maxLength);
        boolean loneSurrogates = random.nextBoolean();
        StringBuilder sb = new StringBuilder(length);
        while (sb.length() < length) {
            int kind = random.nextInt(16);
            if (kind < 4) {
                sb.append((char) random.nextInt(0x80));
            } else if (kind < 6) {
                sb.append(EDGE_CHARS[random.nextInt(EDGE_CHARS.length)]);
            } else if (kind < 8 && sb.length() + 2 <= length) {
                sb.appendCodePoint(random.nextBoolean() ? random.nextInt(0x10000, 0x110000)
                        : EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length - 2, EDGE_CODE_POINTS.length)]);
            } else if (kind == 8 && loneSurrogates) {
                sb.append(random.nextBoolean() ? EDGE_SURROGATES[random.nextInt(EDGE_SURROGATES.length)]
                        : (char) random.nextInt(0xD800, 0xE000));
            } else {
                char c = (char) random.nextInt(0x10000);
                if (loneSurrogates || !Character.isSurrogate(c)) {
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }

    /**
     * A well-formed string of {@code minCodePoints} to {@code maxCodePoints} code points (count from
     * {@link #length(RandomGenerator, int, int)}), no controls or surrogates: 6/10 printable ASCII (U+0020–U+007E),
     * 2/10 U+0080–U+D7FF, 1/10 U+E000–U+FFFF, 1/10 supplementary (U+10000–U+10FFFF); one code point in 16 is instead
     * an edge of those ranges.
     */
    public static String unicodeString(RandomGenerator random, int minCodePoints, int maxCodePoints) {
        int count = length(random, minCodePoints, maxCodePoints);
        StringBuilder sb = new StringBuilder(count * 2);
        for (int i = 0; i < count; i++) {
            int codePoint;
            if (random.nextInt(16) == 0) {
                codePoint = EDGE_CODE_POINTS[random.nextInt(EDGE_CODE_POINTS.length)];
            } else {
                int band = random.nextInt(10);
                codePoint = band < 6 ? random.nextInt(0x20, 0x7F)
                        : band < 8 ? random.nextInt(0x80, 0xD800)
                        : band < 9 ? random.nextInt(0xE000, 0x10000)
                        : random.nextInt(0x10000, 0x110000);
            }
            sb.appendCodePoint(codePoint);
        }
        return sb.toString();
    }

    /** An unsigned value in {@code [0, bound]}, uniform ({@code bound} read as unsigned). */
    private static long unsignedAtMost(RandomGenerator random, long bound) {
        if (bound == -1L) {
            return random.nextLong();
        }
        if (bound >= 0 && bound < Long.MAX_VALUE) {
            return random.nextLong(bound + 1);
        }
        while (true) { // bound >= 2^63 - 1 unsigned: at least half of all longs qualify
            long v = random.nextLong();
            if (Long.compareUnsigned(v, bound) <= 0) {
                return v;
            }
        }
    }

    private static long[] edgeLongs() {
        List<Long> edges = new ArrayList<>(List.of(0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1));
        for (int k = 1; k < 63; k++) {
            long p = 1L << k;
            for (long v : new long[] {p, p - 1, p + 1}) {
                edges.add(v);
                edges.add(-v);
            }
        }
        return edges.stream().distinct().mapToLong(Long::longValue).toArray();
    }
}
