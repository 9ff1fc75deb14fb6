package io.runnel.producer.internal;

/**
 * What one shard stored and refused (Kinesis records): one writer, the pipeline thread; read by any thread
 * ({@code KinesisProducer.shardStats()}). Also the shard's recent stored rate, for the backpressure's estimate of how
 * long its queue takes to send (pipeline thread only).
 */
final class ShardCounters {
    volatile long records;
    volatile long bytes;
    volatile long throttled;
    volatile long firstNanos = Long.MAX_VALUE;
    volatile long lastNanos;
    volatile double share = 1.0;
    // pipeline thread only: what the shard stored over the last second or so
    private long windowRecords;
    private long windowBytes;
    private long windowStartNanos = Long.MIN_VALUE;
    double storedPerSecond = -1; // Kinesis records; -1 until measured
    double bytesPerSecond = -1;

    /** Pipeline thread: closes the measuring window once a second has passed since it opened. */
    void measure(long nowNanos) {
        if (windowStartNanos == Long.MIN_VALUE) {
            windowStartNanos = nowNanos;
            windowRecords = records;
            windowBytes = bytes;
        } else if (nowNanos - windowStartNanos >= 1_000_000_000L) {
            double seconds = (nowNanos - windowStartNanos) / 1e9;
            storedPerSecond = (records - windowRecords) / seconds;
            bytesPerSecond = (bytes - windowBytes) / seconds;
            windowStartNanos = nowNanos;
            windowRecords = records;
            windowBytes = bytes;
        }
    }

    /** Pipeline thread: Kinesis stored a record of {@code wireBytes} at {@code nowNanos}; the limiter's share then. */
    void stored(long wireBytes, long nowNanos, double limiterShare) {
        records++;
        bytes += wireBytes;
        if (firstNanos == Long.MAX_VALUE) {
            firstNanos = nowNanos;
        }
        lastNanos = nowNanos;
        share = limiterShare;
    }
}
