package io.runnel.wire.cloudwatch;

import java.util.List;
import java.util.Objects;

/**
 * A PutMetricData call: metrics of one namespace. Immutable. The encoded size limit is checked when it is sent
 * ({@link QueryEncoder#MAX_PAYLOAD_BYTES}); {@link QueryEncoder#batches} splits data to fit.
 *
 * @param namespace  1-255 characters, not starting with {@code AWS/} (reserved for AWS services)
 * @param metricData 1 to {@link #MAX_METRIC_DATA} metrics
 */
public record PutMetricDataRequest(String namespace, List<MetricDatum> metricData) {
    /** The most metrics one PutMetricData call may carry. */
    public static final int MAX_METRIC_DATA = 1000;

    /**
     * Checks the API's limits and copies the metrics.
     *
     * @param namespace  1-255 characters, not starting with {@code AWS/}
     * @param metricData 1 to {@link #MAX_METRIC_DATA} metrics
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when the namespace or the number of metrics breaks the API's limits
     */
    public PutMetricDataRequest {
        checkNamespace(namespace);
        metricData = List.copyOf(metricData);
        if (metricData.isEmpty() || metricData.size() > MAX_METRIC_DATA) {
            throw new IllegalArgumentException("PutMetricData takes 1 to " + MAX_METRIC_DATA + " metrics, got "
                    + metricData.size());
        }
    }

    /**
     * Checks a namespace against the API's rules: 1-255 characters, not starting with {@code AWS/}.
     *
     * @param namespace the namespace
     * @throws NullPointerException     when {@code namespace} is null
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void checkNamespace(String namespace) {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isEmpty() || namespace.length() > 255) {
            throw new IllegalArgumentException("Namespace must be 1-255 characters, was " + namespace.length());
        }
        if (namespace.startsWith("AWS/")) {
            throw new IllegalArgumentException("Namespace must not start with AWS/ (reserved): " + namespace);
        }
    }
}
