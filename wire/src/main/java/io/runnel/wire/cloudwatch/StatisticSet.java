package io.runnel.wire.cloudwatch;

/**
 * Pre-aggregated samples of one metric over an interval: how many, their sum, least and greatest. Immutable.
 *
 * @param sampleCount number of samples, positive
 * @param sum         sum of the samples
 * @param minimum     least sample, at most {@code maximum}
 * @param maximum     greatest sample
 */
public record StatisticSet(double sampleCount, double sum, double minimum, double maximum) {
    /**
     * Checks the values.
     *
     * @param sampleCount number of samples, positive
     * @param sum         sum of the samples
     * @param minimum     least sample
     * @param maximum     greatest sample
     * @throws IllegalArgumentException when a value is not finite, the count is not positive or min &gt; max
     */
    public StatisticSet {
        finite(sampleCount, "SampleCount");
        finite(sum, "Sum");
        finite(minimum, "Minimum");
        finite(maximum, "Maximum");
        if (sampleCount <= 0) {
            throw new IllegalArgumentException("SampleCount must be positive, was " + sampleCount);
        }
        if (minimum > maximum) {
            throw new IllegalArgumentException("Minimum " + minimum + " is greater than Maximum " + maximum);
        }
    }

    private static void finite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be a finite number, was " + v);
        }
    }
}
