package io.runnel.backend.firehose;

/**
 * When an S3 destination delivers what it buffered: once the buffer holds {@code sizeBytes}, or {@code intervalMillis}
 * after its oldest record arrived, whichever comes first.
 *
 * @param sizeBytes      SizeInMBs in bytes (1-128 MiB; Firehose's default 5 MiB)
 * @param intervalMillis IntervalInSeconds in millis (0-900 s; Firehose's default 300 s)
 */
record BufferingHints(long sizeBytes, long intervalMillis) {
    static final int DEFAULT_SIZE_MIB = 5;
    static final int DEFAULT_INTERVAL_SECONDS = 300;
    static final BufferingHints DEFAULTS = of(DEFAULT_SIZE_MIB, DEFAULT_INTERVAL_SECONDS);

    static BufferingHints of(int sizeInMBs, int intervalInSeconds) {
        return new BufferingHints(sizeInMBs * 1024L * 1024L, intervalInSeconds * 1000L);
    }
}
