package io.runnel.producer.metrics;

/**
 * What the producer reports as it works. Pipeline stages call this, never a metrics library directly. Calls come
 * from the pipeline thread, except {@link #userRecordReceived} (caller threads); implementations are thread-safe and
 * cheap.
 */
public interface ProducerMetrics {
    /** addUserRecord accepted a record of {@code bytes}. */
    void userRecordReceived(String stream, long bytes);

    /** A user record is in the stream; {@code bufferingNanos} from addUserRecord to the request that put it. */
    void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos);

    /** A user record's future failed with {@code code} (Expired, a Kinesis error code, ...). */
    void userRecordFailed(String stream, String code);

    /** A Kinesis record (aggregate or single) is in the stream. */
    void kinesisRecordPut(String stream, String shardId, long bytes);

    /** A PutRecords request got its answer (or an error) after {@code nanos}. */
    void putRecordsRequest(String stream, long nanos, boolean failed);

    /** An attempt failed with {@code code} and the user record will be retried. */
    void retry(String stream, String code);

    /** Metrics that do nothing. */
    ProducerMetrics NOOP = new ProducerMetrics() {
        @Override
        public void userRecordReceived(String stream, long bytes) {
        }

        @Override
        public void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos) {
        }

        @Override
        public void userRecordFailed(String stream, String code) {
        }

        @Override
        public void kinesisRecordPut(String stream, String shardId, long bytes) {
        }

        @Override
        public void putRecordsRequest(String stream, long nanos, boolean failed) {
        }

        @Override
        public void retry(String stream, String code) {
        }
    };
}
