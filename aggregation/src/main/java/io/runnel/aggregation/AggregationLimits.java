package io.runnel.aggregation;

/**
 * Limits of one aggregated record.
 *
 * @param maxCount most user records in one aggregate, at least 1 (the KPL's {@code AggregationMaxCount})
 * @param maxSizeBytes most bytes of one encoded aggregate including magic and MD5 trailer, from {@link #MIN_SIZE_BYTES}
 *                     to {@link #MAX_SIZE_BYTES} (the KPL's {@code AggregationMaxSize})
 */
public record AggregationLimits(long maxCount, int maxSizeBytes) {
    /** The KPL's lower bound for {@code AggregationMaxSize}. */
    public static final int MIN_SIZE_BYTES = 64;
    /** The largest Kinesis record (10 MiB, the raised per-stream maximum). */
    public static final int MAX_SIZE_BYTES = 10 * 1024 * 1024;
    /** The KPL's defaults: 4294967295 records, 51200 bytes. */
    public static final AggregationLimits KPL_DEFAULTS = new AggregationLimits(4_294_967_295L, 51_200);

    /**
     * Checks the limits.
     *
     * @param maxCount     most user records in one aggregate
     * @param maxSizeBytes most bytes of one encoded aggregate
     * @throws IllegalArgumentException when {@code maxCount} is under 1 or {@code maxSizeBytes} is outside
     *                                  {@link #MIN_SIZE_BYTES}..{@link #MAX_SIZE_BYTES}
     */
    public AggregationLimits {
        if (maxCount < 1) {
            throw new IllegalArgumentException("AggregationMaxCount must be at least 1, was " + maxCount);
        }
        if (maxSizeBytes < MIN_SIZE_BYTES || maxSizeBytes > MAX_SIZE_BYTES) {
            throw new IllegalArgumentException("AggregationMaxSize must be in " + MIN_SIZE_BYTES + ".." + MAX_SIZE_BYTES
                    + " bytes, was " + maxSizeBytes);
        }
    }
}
