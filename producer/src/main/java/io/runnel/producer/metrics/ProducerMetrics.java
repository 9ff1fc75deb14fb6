package io.runnel.producer.metrics;

/**
 * What the producer reports as it works. Pipeline stages call this, never a metrics library directly. Calls come
 * from the pipeline thread, except {@link #userRecordReceived} (caller threads); implementations are thread-safe and
 * cheap.
 */
public interface ProducerMetrics {
    /** addUserRecord accepted a record of {@code bytes}. */
    void userRecordReceived(String stream, long bytes);

    /**
     * A user record is in the stream.
     *
     * @param bufferingNanos from addUserRecord to the request that put it
     * @param retries        how many attempts failed before
     */
    void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos, int retries);

    /** A user record's future failed with {@code code} (Expired, a Kinesis error code, ...). */
    void userRecordFailed(String stream, String code, int retries);

    /** A Kinesis record (aggregate or single) of {@code userRecords} user records is in the stream. */
    void kinesisRecordPut(String stream, String shardId, long bytes, int userRecords);

    /** A PutRecords request of {@code kinesisRecords} (holding {@code userRecords}) got its answer after {@code nanos}. */
    void putRecordsRequest(String stream, long nanos, boolean failed, int kinesisRecords, int userRecords);

    /** An attempt failed with {@code code}; {@code retried} says whether the user record will be tried again. */
    void attemptFailed(String stream, String code, boolean retried);

    /** Metrics that do nothing. */
    ProducerMetrics NOOP = new ProducerMetrics() {
        @Override
        public void userRecordReceived(String stream, long bytes) {
        }

        @Override
        public void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos, int retries) {
        }

        @Override
        public void userRecordFailed(String stream, String code, int retries) {
        }

        @Override
        public void kinesisRecordPut(String stream, String shardId, long bytes, int userRecords) {
        }

        @Override
        public void putRecordsRequest(String stream, long nanos, boolean failed, int kinesisRecords,
                int userRecords) {
        }

        @Override
        public void attemptFailed(String stream, String code, boolean retried) {
        }
    };
}
