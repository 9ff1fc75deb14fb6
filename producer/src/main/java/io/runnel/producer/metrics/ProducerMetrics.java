package io.runnel.producer.metrics;

/**
 * What the producer reports as it works. Pipeline stages call this, never a metrics library directly. Calls come
 * from the pipeline thread, except {@link #userRecordReceived} (caller threads) and {@link #userRecordsPut} (the
 * callback thread, which completes those records); implementations are thread-safe and cheap.
 */
public interface ProducerMetrics {
    /**
     * addUserRecord accepted a record; called on the adding thread.
     *
     * @param stream the record's stream
     * @param bytes  the length of its data
     */
    void userRecordReceived(String stream, long bytes);

    /**
     * A user record is in the stream.
     *
     * @param stream         the record's stream
     * @param shardId        the shard that stored it
     * @param bytes          the length of its data
     * @param bufferingNanos from addUserRecord to the request that put it
     * @param retries        how many attempts failed before
     */
    void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos, int retries);

    /**
     * The user records of one Kinesis record are in the stream: {@link #userRecordPut} for each, in one call, so that
     * an implementation can take them together (an aggregate holds hundreds). The arrays are the caller's scratch
     * space, valid during the call only; their first {@code count} entries are the records'. The default calls
     * {@link #userRecordPut} for each.
     *
     * @param stream         the records' stream
     * @param shardId        the shard that stored them
     * @param count          how many records
     * @param bytes          the length of each one's data
     * @param bufferingNanos each one's time from addUserRecord to the request that put it
     * @param retries        how many attempts failed before, for each
     */
    default void userRecordsPut(String stream, String shardId, int count, long[] bytes, long[] bufferingNanos,
            int[] retries) {
        for (int i = 0; i < count; i++) {
            userRecordPut(stream, shardId, bytes[i], bufferingNanos[i], retries[i]);
        }
    }

    /**
     * A user record's future failed.
     *
     * @param stream  the record's stream
     * @param code    why: {@code Expired}, a Kinesis error code, ...
     * @param retries how many times it was retried
     */
    void userRecordFailed(String stream, String code, int retries);

    /**
     * A Kinesis record (aggregate or single) is in the stream.
     *
     * @param stream      its stream
     * @param shardId     the shard that stored it
     * @param bytes       its data plus partition key, as the shard's limit counts them
     * @param userRecords the user records it carries
     */
    void kinesisRecordPut(String stream, String shardId, long bytes, int userRecords);

    /**
     * A PutRecords request got its answer (or an error).
     *
     * @param stream         the request's stream
     * @param nanos          how long the answer took
     * @param failed         whether the request as a whole failed (no answer, or an error answer)
     * @param kinesisRecords the Kinesis records it carried
     * @param userRecords    the user records those held
     */
    void putRecordsRequest(String stream, long nanos, boolean failed, int kinesisRecords, int userRecords);

    /**
     * An attempt at a user record failed.
     *
     * @param stream  the record's stream
     * @param code    the error code (a Kinesis one, or Runnel's)
     * @param retried whether the user record will be tried again
     */
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
