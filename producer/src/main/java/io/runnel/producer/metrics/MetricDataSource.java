package io.runnel.producer.metrics;

import io.runnel.wire.cloudwatch.MetricDatum;
import java.time.Instant;
import java.util.List;

/**
 * What a {@link CloudWatchUploader} uploads: metrics accumulated per interval, drained once per upload. The producer's
 * {@link CloudWatchMetrics} is one; the log-tailing agent has its own (the Kinesis Agent's metrics). Implementations
 * are thread-safe: the uploader calls them from its own thread while others record.
 */
public interface MetricDataSource {
    /** Takes the samples of gauges; the uploader calls this about every second. */
    void sample();

    /** Every series with data since the last drain, stamped {@code timestamp}; starts the next interval. */
    List<MetricDatum> drain(Instant timestamp);
}
