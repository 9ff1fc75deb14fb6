package io.runnel.producer;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What application code needs from a Kinesis producer: {@link KinesisProducer} in production,
 * {@link MockKinesisProducer} in tests. Implementations are thread-safe.
 *
 * <p>{@code addUserRecord} returns at once with a future that completes exactly once: with where the record went
 * ({@link UserRecordResult}), or exceptionally with a {@link io.runnel.producer.errors.UserRecordFailedException}
 * (expired, rejected, timed out) or a {@link io.runnel.producer.errors.ProducerClosedException}.
 * {@link KinesisProducer} completes futures on its {@code runnel-callback} thread, so callbacks attached before then
 * run there; {@link MockKinesisProducer} returns them already complete, so callbacks run on the caller's thread.
 */
public interface Producer extends AutoCloseable {
    /**
     * Puts a record routed by its partition key; see {@link #addUserRecord(UserRecord)}.
     *
     * @param stream       the stream's name
     * @param partitionKey 1 to 256 characters; its MD5 decides the shard
     * @param data         the payload; not copied, do not change it until the future completes
     * @return the record's future, completed as the {@linkplain Producer class} describes
     * @throws io.runnel.producer.errors.InvalidUserRecordException when the record breaks a Kinesis rule
     * @throws io.runnel.producer.errors.BufferFullException        when the buffer is full and the record could not
     *                                                              wait for space
     * @throws io.runnel.producer.errors.ProducerClosedException    after {@link #close()}
     */
    CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, byte[] data);

    /**
     * Puts a record routed by an explicit hash key; see {@link #addUserRecord(UserRecord)}.
     *
     * @param stream          the stream's name
     * @param partitionKey    1 to 256 characters; consumers see it, but the explicit hash key decides the shard
     * @param explicitHashKey a decimal hash key in 0..2^128-1, or null to route by the partition key
     * @param data            the payload; not copied, do not change it until the future completes
     * @return the record's future, completed as the {@linkplain Producer class} describes
     * @throws io.runnel.producer.errors.InvalidUserRecordException when the record breaks a Kinesis rule
     * @throws io.runnel.producer.errors.BufferFullException        when the buffer is full and the record could not
     *                                                              wait for space
     * @throws io.runnel.producer.errors.ProducerClosedException    after {@link #close()}
     */
    CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, String explicitHashKey,
            byte[] data);

    /**
     * Puts a record. Checks it on the caller's thread, takes its place in the buffer (which may block the caller,
     * as the implementation's backpressure says) and returns its future.
     *
     * @param record the record
     * @return the record's future, completed as the {@linkplain Producer class} describes
     * @throws io.runnel.producer.errors.InvalidUserRecordException when the record breaks a Kinesis rule (the
     *                                                              message names the field)
     * @throws io.runnel.producer.errors.BufferFullException        when the buffer is full and the record could not
     *                                                              wait for space
     * @throws io.runnel.producer.errors.ProducerClosedException    after {@link #close()}
     * @throws NullPointerException                                 when {@code record} is null
     */
    CompletableFuture<UserRecordResult> addUserRecord(UserRecord record);

    /**
     * Puts a record without a partition key, for streams whose RecordDistributionStrategy is AUTO (the service
     * places records). On a USER_PARTITION_KEY stream its future fails with an
     * {@link io.runnel.producer.errors.InvalidUserRecordException}.
     *
     * @param stream the stream's name
     * @param data   the payload; not copied, do not change it until the future completes
     * @return the record's future, completed as the {@linkplain Producer class} describes
     * @throws io.runnel.producer.errors.InvalidUserRecordException when the record breaks a Kinesis rule
     * @throws io.runnel.producer.errors.BufferFullException        when the buffer is full and the record could not
     *                                                              wait for space
     * @throws io.runnel.producer.errors.ProducerClosedException    after {@link #close()}
     */
    default CompletableFuture<UserRecordResult> addUserRecord(String stream, byte[] data) {
        return addUserRecord(new UserRecord(stream, null, null, data));
    }

    /**
     * Puts a record and hands its outcome to {@code callback} instead of returning a future (as Kafka's
     * {@code send(record, callback)}): the same checks, backpressure and exceptions as
     * {@link #addUserRecord(UserRecord)}, then {@code callback} runs exactly once, with the result and null, or null
     * and the failure the future would have failed with. For producers that add hundreds of thousands of records a
     * second: {@code addUserRecord(record).whenComplete(...)} makes a dependent future and a completion node per
     * record, which this does not ({@link KinesisProducer}; this default does just that). An exception the callback
     * throws is logged, not propagated; keep callbacks short, they run on the thread that completes records.
     *
     * @param record   the record
     * @param callback takes the outcome
     * @throws io.runnel.producer.errors.InvalidUserRecordException when the record breaks a Kinesis rule (then the
     *                                                              callback is not called)
     * @throws io.runnel.producer.errors.BufferFullException        when the buffer is full and the record could not
     *                                                              wait for space (nor then)
     * @throws io.runnel.producer.errors.ProducerClosedException    after {@link #close()} (nor then)
     * @throws NullPointerException                                 when {@code record} or {@code callback} is null
     */
    default void addUserRecord(UserRecord record, BiConsumer<? super UserRecordResult, ? super Throwable> callback) {
        Objects.requireNonNull(callback, "callback");
        addUserRecord(record).whenComplete(callback);
    }

    /**
     * {@link #addUserRecord(UserRecord, BiConsumer)} for a record routed by its partition key.
     *
     * @param stream       the stream's name
     * @param partitionKey 1 to 256 characters; its MD5 decides the shard
     * @param data         the payload; not copied, do not change it until the callback has run
     * @param callback     takes the outcome
     */
    default void addUserRecord(String stream, String partitionKey, byte[] data,
            BiConsumer<? super UserRecordResult, ? super Throwable> callback) {
        addUserRecord(new UserRecord(stream, partitionKey, null, data), callback);
    }

    /** Sends everything buffered now; does not wait. */
    void flush();

    /**
     * Sends everything buffered for one stream now; does not wait.
     *
     * @param stream the stream's name
     */
    void flush(String stream);

    /**
     * Sends everything buffered and waits until every outstanding future has completed, records added meanwhile
     * included. An interrupt ends the wait early, with the thread's interrupt status set.
     */
    void flushSync();

    /** {@return the number of records accepted whose futures have not completed} */
    long getOutstandingRecordsCount();

    /** {@return the arrival time (epoch ms) of the oldest outstanding record, or 0 when there is none} */
    long getOldestRecordTimeInMillis();

    /** Sends what is buffered, completes every future, releases resources. */
    @Override
    void close();
}
