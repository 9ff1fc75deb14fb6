package io.runnel.producer;

/**
 * What one shard took from this producer so far, counted as Kinesis counts against the shard's write limits.
 *
 * @param stream          the stream
 * @param shardId         the shard
 * @param kinesisRecords  Kinesis records (PutRecords entries: aggregates or single user records) the shard stored
 * @param bytes           their data plus partition keys
 * @param throttled       Kinesis records the shard refused with ProvisionedThroughputExceededException
 * @param rateShare       the producer's current rate for the shard, as a fraction of the shard limit (1.0 = 1,000
 *                        records and 1 MiB per second); it adapts to throttling, up to RateLimit
 * @param activeNanos     time from the first record stored to the last
 */
public record ShardStats(String stream, String shardId, long kinesisRecords, long bytes, long throttled,
        double rateShare, long activeNanos) {
    /** Kinesis' write limit per shard in bytes (data plus partition keys) per second: 1 MiB. */
    public static final long SHARD_BYTES_PER_SECOND = 1024 * 1024;
    /** Kinesis' write limit per shard in records per second. */
    public static final long SHARD_RECORDS_PER_SECOND = 1_000;

    /**
     * How much of the shard's write limit was used over {@code nanos}: the larger of the byte share and the record
     * share (1.0 = the shard limit).
     *
     * @param nanos the time the shard's records were counted over, e.g. {@link #activeNanos()}
     * @return the utilization, 0 when {@code nanos} is not positive
     */
    public double utilization(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        double seconds = nanos / 1e9;
        return Math.max(bytes / (SHARD_BYTES_PER_SECOND * seconds),
                kinesisRecords / (SHARD_RECORDS_PER_SECOND * seconds));
    }
}
