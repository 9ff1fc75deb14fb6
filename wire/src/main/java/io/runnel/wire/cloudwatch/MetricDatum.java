package io.runnel.wire.cloudwatch;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One metric's statistics for one interval. Immutable.
 *
 * @param metricName      1-255 characters
 * @param dimensions      at most {@link #MAX_DIMENSIONS}, names distinct
 * @param timestamp       when the interval ended
 * @param unit            a CloudWatch standard unit ({@code Count}, {@code Bytes}, {@code Milliseconds}, ...)
 * @param statisticValues the samples of the interval
 */
public record MetricDatum(String metricName, List<Dimension> dimensions, Instant timestamp, String unit,
        StatisticSet statisticValues) {
    /** The most dimensions one metric may have (PutMetricData). */
    public static final int MAX_DIMENSIONS = 30;

    /**
     * Checks the API's limits and copies the dimensions.
     *
     * @param metricName      1-255 characters
     * @param dimensions      at most {@link #MAX_DIMENSIONS}, names distinct
     * @param timestamp       when the interval ended
     * @param unit            a CloudWatch standard unit
     * @param statisticValues the samples of the interval
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when the name's length or the dimensions break the API's limits
     */
    public MetricDatum {
        Objects.requireNonNull(metricName, "metricName");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(statisticValues, "statisticValues");
        dimensions = List.copyOf(dimensions);
        if (metricName.isEmpty() || metricName.length() > 255) {
            throw new IllegalArgumentException("MetricName must be 1-255 characters, was " + metricName.length());
        }
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new IllegalArgumentException(metricName + ": at most " + MAX_DIMENSIONS + " dimensions, got "
                    + dimensions.size());
        }
        for (int i = 0; i < dimensions.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (dimensions.get(i).name().equals(dimensions.get(j).name())) {
                    throw new IllegalArgumentException(metricName + ": dimension " + dimensions.get(i).name()
                            + " appears twice");
                }
            }
        }
    }
}
