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

    /**
     * Takes every series with data since the last drain and starts the next interval.
     *
     * @param timestamp the time the data are stamped with (the interval's end)
     * @return the interval's data, one datum per series and dimension set
     */
    List<MetricDatum> drain(Instant timestamp);
}
