package io.runnel.producer.internal;

import io.runnel.producer.Attempt;
import io.runnel.producer.UserRecordResult;
import io.runnel.wire.HashKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A user record inside the pipeline and, at the same time, the future {@code addUserRecord} returned for it: one
 * object per record, so that the pipeline and the callback thread each touch one cache line's worth of memory per
 * record rather than several scattered objects. Created on the caller's thread, then confined to the pipeline thread
 * until the pipeline claims it ({@link #claim}) and hands it to the callback thread.
 *
 * <p>Futures derived from it ({@code thenApply} and the like) are plain {@link CompletableFuture}s.
 */
public final class PendingUserRecord extends CompletableFuture<UserRecordResult> {
    private static final VarHandle CLAIMED;

    static {
        try {
            CLAIMED = MethodHandles.lookup().findVarHandle(PendingUserRecord.class, "claimed", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final String stream;
    final String partitionKey;
    final String explicitHashKey; // null: MD5 of the partition key
    final byte[] data;
    final long arrivalNanos;
    final long expiryNanos;
    private final int budgetBytes; // a record's data is at most 10 MiB: counted twice plus bookkeeping, it fits
    @SuppressWarnings("unused") // through CLAIMED
    private volatile int claimed; // 1 once someone has taken the right to complete it
    // confined to the pipeline thread
    HashKey hashKey;
    String predictedShard;
    private Attempts attempts; // null until the first failed attempt
    int retries;
    boolean timeoutTracked; // UserRecordTimeoutInMillis: already in the pipeline's queue of timeouts
    // the outcome, set by whoever claimed it, before the future is completed: a UserRecordResult, a Throwable or a
    // Delivery (one field, not three: there are hundreds of thousands of these objects a second)
    private Object outcome;
    private int subSequenceNumber;
    // how long addUserRecord waited for buffer space before the record arrived, in microseconds (at most
    // Integer.MAX_VALUE, ~36 minutes): arrivalNanos counts from the end of that wait (RecordTtl, linger), the caller's
    // latency from its start (an int: the object keeps its size, the padding had room for it)
    private int waitedMicros;
    // null: the outcome completes this future; else it goes to the callback instead (no one holds the future)
    private BiConsumer<? super UserRecordResult, ? super Throwable> callback;

    /** Where a Kinesis record was stored, shared by the user records inside it; the results are built from it later. */
    public record Delivery(String shardId, String sequenceNumber, long startNanos, long endNanos) {
    }

    /**
     * The attempts that failed, and when the last one ended: kept apart from the record, which most records never
     * need (16 bytes less on each of hundreds of thousands of records a second).
     */
    private static final class Attempts extends ArrayList<Attempt> {
        long lastEndNanos;

        Attempts(long lastEndNanos) {
            super(4);
            this.lastEndNanos = lastEndNanos;
        }
    }

    private PendingUserRecord(String stream, String partitionKey, String explicitHashKey, byte[] data,
            long arrivalNanos, long ttlNanos, long budgetBytes) {
        this.stream = stream;
        this.partitionKey = partitionKey;
        this.explicitHashKey = explicitHashKey;
        this.data = data;
        this.arrivalNanos = arrivalNanos;
        this.expiryNanos = ttlNanos >= Long.MAX_VALUE - arrivalNanos ? Long.MAX_VALUE : arrivalNanos + ttlNanos;
        this.budgetBytes = Math.toIntExact(budgetBytes);
    }

    /**
     * Gives the record its hash key, worked out by the caller (the explicit hash key, or the MD5 of the partition
     * key), so that the pipeline thread does not. Caller's thread, before the record is published to the pipeline.
     */
    public PendingUserRecord withHashKey(HashKey key) {
        this.hashKey = key;
        return this;
    }

    /**
     * Sends the outcome to {@code callback} (null: none) rather than completing this future, which the caller then
     * does not get. Caller's thread, before the record is published to the pipeline.
     */
    public PendingUserRecord withCallback(BiConsumer<? super UserRecordResult, ? super Throwable> callback) {
        this.callback = callback;
        return this;
    }

    /**
     * The caller waited {@code waitedNanos} for buffer space before the record arrived. Caller's thread, before the
     * record is published to the pipeline.
     */
    public PendingUserRecord withWait(long waitedNanos) {
        this.waitedMicros = (int) Math.min(Integer.MAX_VALUE, Math.max(0, waitedNanos / 1000));
        return this;
    }

    /** When addUserRecord was called for it: its arrival less any wait for buffer space (the results' addedAtNanos). */
    public long addedAtNanos() {
        return arrivalNanos - waitedMicros * 1000L;
    }

    /** Creates a pending record (called by the producer on the caller's thread); it is its own future. */
    public static PendingUserRecord create(String stream, String partitionKey, String explicitHashKey, byte[] data,
            long arrivalNanos, long ttlNanos, long budgetBytes) {
        return new PendingUserRecord(stream, partitionKey, explicitHashKey, data, arrivalNanos, ttlNanos,
                budgetBytes);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    /** Bytes this record counts for in a PutRecords request: data plus partition key. */
    long wireBytes() {
        return data.length + (partitionKey == null ? 0 : partitionKey.length());
    }

    /**
     * Takes the one right to complete this record, with {@code result} or else {@code failure}; false when someone
     * already has (then nothing changes). Whoever claims it must then see that {@link #completeFuture} runs.
     */
    public boolean claim(UserRecordResult result, Throwable failure) {
        if (!CLAIMED.compareAndSet(this, 0, 1)) {
            return false;
        }
        this.outcome = result != null ? result : java.util.Objects.requireNonNull(failure, "result or failure");
        return true;
    }

    /**
     * {@link #claim} for a record stored in Kinesis: the result (with its attempts) is built by
     * {@link #completeFuture}, on the callback thread, not by the pipeline.
     */
    boolean claimDelivered(Delivery where, int subSequence) {
        if (!CLAIMED.compareAndSet(this, 0, 1)) {
            return false;
        }
        this.outcome = java.util.Objects.requireNonNull(where, "where");
        this.subSequenceNumber = subSequence;
        return true;
    }

    /** Whether the record has been claimed for completion. */
    public boolean isClaimed() {
        return (int) CLAIMED.getOpaque(this) != 0;
    }

    /**
     * Completes the future with the claimed outcome, or hands it to the record's callback when it has one (see
     * {@link #withCallback}). If the user completed or cancelled the future themselves, that stands; the record still
     * counts as finished. Never throws: a callback's exception is logged.
     */
    public void completeFuture() {
        UserRecordResult result;
        Throwable failure = null;
        if (outcome instanceof Delivery d) {
            result = UserRecordResult.success(d.shardId(), d.sequenceNumber(), subSequenceNumber,
                    attempts == null ? List.of() : attempts, Math.max(0, d.startNanos() - lastAttemptEndNanos()),
                    Math.max(0, d.endNanos() - d.startNanos()), addedAtNanos());
        } else if (outcome instanceof UserRecordResult r) {
            result = r;
        } else {
            result = null;
            failure = (Throwable) outcome;
        }
        if (callback == null) {
            if (failure == null) {
                complete(result);
            } else {
                completeExceptionally(failure);
            }
            return;
        }
        try {
            callback.accept(result, failure);
        } catch (Throwable e) { // even an Error: the records completed after this one in the batch must complete
            callbackFailed(e);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PendingUserRecord.class);
    private static final java.util.concurrent.atomic.AtomicBoolean CALLBACK_FAILURE_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** A user's callback threw: logged at WARN the first time, at DEBUG after (a callback can run a million times). */
    private static void callbackFailed(Throwable e) {
        if (CALLBACK_FAILURE_LOGGED.compareAndSet(false, true)) {
            LOG.warn("a record's callback threw (ignored; further ones are logged at DEBUG)", e);
        } else {
            LOG.debug("a record's callback threw (ignored)", e);
        }
    }

    /**
     * Reads the header of the record's callback, so that the core has it cached by the time {@link #completeFuture}
     * calls it (the callback is an object of its own, created with the record). Returns 1 when there is one.
     */
    int warmCallback() {
        Object c = callback;
        return c != null && c.getClass() != Object.class ? 1 : 0;
    }

    /** Whether it was claimed with a success. */
    public boolean succeeded() {
        return !(outcome instanceof Throwable);
    }

    /** Records a failed attempt. */
    void addAttempt(Attempt attempt) {
        if (attempts == null) {
            attempts = new Attempts(arrivalNanos);
        }
        attempts.add(attempt);
    }

    /** The attempts so far, as an immutable list. */
    List<Attempt> attempts() {
        return attempts == null ? List.of() : List.copyOf(attempts);
    }

    int attemptCount() {
        return attempts == null ? 0 : attempts.size();
    }

    /** When the last failed attempt ended (the arrival before any): the next attempt's delay counts from there. */
    long lastAttemptEndNanos() {
        return attempts == null ? arrivalNanos : attempts.lastEndNanos;
    }

    /** Pipeline thread: a failed attempt ended at {@code endNanos}; {@link #addAttempt} recorded it already. */
    void attemptEnded(long endNanos) {
        if (attempts == null) {
            attempts = new Attempts(arrivalNanos);
        }
        attempts.lastEndNanos = endNanos;
    }

    public long budgetBytes() {
        return budgetBytes;
    }
}
