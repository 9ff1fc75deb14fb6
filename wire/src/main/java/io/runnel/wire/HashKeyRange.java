package io.runnel.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A contiguous range of hash keys, both ends inclusive: what a shard owns ({@code StartingHashKey},
 * {@code EndingHashKey} on the wire).
 *
 * @param startInclusive the lowest key in the range
 * @param endInclusive   the highest key in the range, not below {@code startInclusive}
 */
public record HashKeyRange(HashKey startInclusive, HashKey endInclusive) {
    /** Every hash key, 0 to 2^128-1. */
    public static final HashKeyRange ALL = new HashKeyRange(HashKey.ZERO, HashKey.MAX);

    /**
     * Checks the ends.
     *
     * @param startInclusive the lowest key in the range
     * @param endInclusive   the highest key in the range
     * @throws NullPointerException     when an end is null
     * @throws IllegalArgumentException when {@code startInclusive} is after {@code endInclusive}
     */
    public HashKeyRange {
        Objects.requireNonNull(startInclusive, "startInclusive");
        Objects.requireNonNull(endInclusive, "endInclusive");
        if (startInclusive.compareTo(endInclusive) > 0) {
            throw new IllegalArgumentException("hash key range start " + startInclusive + " is after its end "
                    + endInclusive);
        }
    }

    /**
     * The range between two decimal keys as Kinesis writes them.
     *
     * @param startingHashKey a shard's {@code StartingHashKey}
     * @param endingHashKey   its {@code EndingHashKey}
     * @return the range
     * @throws IllegalArgumentException when a key is not a decimal hash key ({@link HashKey#parseDecimal}) or the
     *                                  start is after the end
     */
    public static HashKeyRange parse(String startingHashKey, String endingHashKey) {
        return new HashKeyRange(HashKey.parseDecimal(startingHashKey), HashKey.parseDecimal(endingHashKey));
    }

    /**
     * Whether a key falls in the range.
     *
     * @param key a hash key
     * @return true when {@code key} is between the ends, ends included
     */
    public boolean contains(HashKey key) {
        return key.compareTo(startInclusive) >= 0 && key.compareTo(endInclusive) <= 0;
    }

    /**
     * Splits a range into {@code parts} contiguous ranges the way Kinesis spreads a new stream's shards: every part
     * but the last is {@code floor(size / parts)} keys wide, starting at {@code start + i * width}; the last one ends
     * at the range's end. For the whole key space and 3 shards the second starts at
     * 113427455640312821154458202477256070485.
     *
     * @param range the range to split
     * @param parts how many ranges to make
     * @return {@code parts} ranges in key order, covering {@code range} exactly
     * @throws IllegalArgumentException when {@code parts} is below 1 or above the number of keys in the range
     */
    public static List<HashKeyRange> split(HashKeyRange range, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, was " + parts);
        }
        if (parts == 1) {
            return List.of(range);
        }
        // size = span + 1 may be 2^128, so floor(size / parts) is computed from span = end - start.
        HashKey span = range.endInclusive.subtract(range.startInclusive);
        HashKey width = span.divide(parts);
        if (span.remainder(parts) == parts - 1) {
            width = width.add(HashKey.ONE);
        }
        if (width.equals(HashKey.ZERO)) {
            throw new IllegalArgumentException("cannot split " + range + " into " + parts + " parts");
        }
        List<HashKeyRange> out = new ArrayList<>(parts);
        HashKey start = range.startInclusive;
        for (int i = 1; i <= parts; i++) {
            HashKey end = i == parts ? range.endInclusive
                    : range.startInclusive.add(width.multiply(i)).subtract(HashKey.ONE);
            out.add(new HashKeyRange(start, end));
            start = end.add(HashKey.ONE);
        }
        return out;
    }

    @Override
    public String toString() {
        return "[" + startInclusive + ", " + endInclusive + "]";
    }
}
