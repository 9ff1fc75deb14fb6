package io.runnel.producer;

import java.util.concurrent.CompletableFuture;

/**
 * What application code needs from a Kinesis producer: {@link KinesisProducer} in production,
 * {@link MockKinesisProducer} in tests. Implementations are thread-safe.
 */
public interface Producer extends AutoCloseable {
    /** Puts a record routed by its partition key. */
    CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, byte[] data);

    /** Puts a record routed by an explicit hash key (decimal, 0..2^128-1). */
    CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, String explicitHashKey,
            byte[] data);

    /** Puts a record. */
    CompletableFuture<UserRecordResult> addUserRecord(UserRecord record);

    /**
     * Puts a record without a partition key, for streams whose RecordDistributionStrategy is AUTO (the service
     * places records). On a USER_PARTITION_KEY stream its future fails with an
     * {@link io.runnel.producer.errors.InvalidUserRecordException}.
     */
    default CompletableFuture<UserRecordResult> addUserRecord(String stream, byte[] data) {
        return addUserRecord(new UserRecord(stream, null, null, data));
    }

    /** Sends everything buffered now; does not wait. */
    void flush();

    /** Sends everything buffered for one stream now; does not wait. */
    void flush(String stream);

    /** Sends everything buffered and waits until every outstanding future has completed. */
    void flushSync();

    /** Records accepted whose futures have not completed. */
    long getOutstandingRecordsCount();

    /** Arrival time (epoch ms) of the oldest outstanding record, or 0. */
    long getOldestRecordTimeInMillis();

    /** Sends what is buffered, completes every future, releases resources. */
    @Override
    void close();
}
