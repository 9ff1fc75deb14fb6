package io.runnel.producer;

import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.producer.errors.ProducerClosedException;
import io.runnel.producer.errors.RecordRejectedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A {@link Producer} for your tests: it keeps every record added, in order, and completes each future at once —
 * successfully by default (shard {@code shardId-000000000000}, increasing sequence numbers), or as
 * {@link #failWith} decides. It checks records like the real producer, so a test also catches a bad partition key.
 * Thread-safe. Futures are returned already complete, so callbacks attached to them run on the adding thread at once
 * (not on a {@code runnel-callback} thread as with {@link KinesisProducer}); failed ones fail with a
 * {@link RecordRejectedException} carrying the chosen code.
 */
public final class MockKinesisProducer implements Producer {
    private final List<UserRecord> records = new ArrayList<>(); // guarded by this
    private Function<UserRecord, String> failure = r -> null; // guarded by this
    private long sequence; // guarded by this
    private boolean closed; // guarded by this

    @Override
    public CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, byte[] data) {
        return addUserRecord(new UserRecord(stream, partitionKey, null, data));
    }

    @Override
    public CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey,
            String explicitHashKey, byte[] data) {
        return addUserRecord(new UserRecord(stream, partitionKey, explicitHashKey, data));
    }

    @Override
    public synchronized CompletableFuture<UserRecordResult> addUserRecord(UserRecord record) {
        long added = System.nanoTime();
        Objects.requireNonNull(record, "record");
        if (closed) {
            throw new ProducerClosedException("the mock producer is closed");
        }
        UserRecordChecks.checkDataAndKeys(record);
        records.add(record);
        String code = failure.apply(record);
        if (code != null) {
            Attempt a = Attempt.failure(Duration.ZERO, Duration.ZERO, code, "failed by MockKinesisProducer");
            return CompletableFuture.failedFuture(new RecordRejectedException(code,
                    UserRecordResult.failure(List.of(a), added)));
        }
        String seq = Long.toString(49_000_000_000L + ++sequence);
        // one attempt, at once: the same as success(..., List.of(Attempt.success(ZERO, ZERO)))
        return CompletableFuture.completedFuture(UserRecordResult.success("shardId-000000000000", seq, 0, List.of(),
                0, 0, added));
    }

    /**
     * Decides which records fail. Applies to records added from now on; failing records are still kept.
     *
     * @param errorCode returns the error code a record fails with (e.g. {@code AccessDeniedException}), or null for a
     *                  record that succeeds; called on the adding thread
     * @return this producer
     * @throws NullPointerException when {@code errorCode} is null
     */
    public synchronized MockKinesisProducer failWith(Function<UserRecord, String> errorCode) {
        this.failure = Objects.requireNonNull(errorCode, "errorCode");
        return this;
    }

    /** {@return every record added so far (since the last {@link #clear()}), in order; an immutable copy} */
    public synchronized List<UserRecord> records() {
        return List.copyOf(records);
    }

    /** Forgets the records added so far. */
    public synchronized void clear() {
        records.clear();
    }

    @Override
    public void flush() {
    }

    @Override
    public void flush(String stream) {
    }

    @Override
    public void flushSync() {
    }

    @Override
    public long getOutstandingRecordsCount() {
        return 0;
    }

    @Override
    public long getOldestRecordTimeInMillis() {
        return 0;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
