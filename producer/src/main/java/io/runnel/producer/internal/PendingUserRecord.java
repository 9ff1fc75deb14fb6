package io.runnel.producer.internal;

import io.runnel.producer.Attempt;
import io.runnel.producer.UserRecordResult;
import io.runnel.wire.HashKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A user record inside the pipeline: what the user gave, its future, and what has happened to it. Created on the
 * caller's thread, then confined to the pipeline thread until its future is completed.
 */
public final class PendingUserRecord {
    final String stream;
    final String partitionKey;
    final String explicitHashKey; // null: MD5 of the partition key
    final byte[] data;
    final CompletableFuture<UserRecordResult> future;
    final long arrivalNanos;
    final long arrivalWallMillis;
    final long expiryNanos;
    final long budgetBytes;
    // confined to the pipeline thread
    HashKey hashKey;
    String predictedShard;
    final List<Attempt> attempts = new ArrayList<>(1);
    long lastAttemptEndNanos;
    int retries;

    PendingUserRecord(String stream, String partitionKey, String explicitHashKey, byte[] data,
            CompletableFuture<UserRecordResult> future, long arrivalNanos, long arrivalWallMillis, long ttlNanos,
            long budgetBytes) {
        this.stream = stream;
        this.partitionKey = partitionKey;
        this.explicitHashKey = explicitHashKey;
        this.data = data;
        this.future = future;
        this.arrivalNanos = arrivalNanos;
        this.arrivalWallMillis = arrivalWallMillis;
        this.expiryNanos = ttlNanos >= Long.MAX_VALUE - arrivalNanos ? Long.MAX_VALUE : arrivalNanos + ttlNanos;
        this.budgetBytes = budgetBytes;
        this.lastAttemptEndNanos = arrivalNanos;
    }

    /** Bytes this record counts for in a PutRecords request: data plus partition key. */
    long wireBytes() {
        return data.length + partitionKey.length();
    }

    /** Creates the pipeline twin of a user record (called by the producer on the caller's thread). */
    public static PendingUserRecord create(String stream, String partitionKey, String explicitHashKey, byte[] data,
            CompletableFuture<UserRecordResult> future, long arrivalNanos, long arrivalWallMillis, long ttlNanos,
            long budgetBytes) {
        return new PendingUserRecord(stream, partitionKey, explicitHashKey, data, future, arrivalNanos,
                arrivalWallMillis, ttlNanos, budgetBytes);
    }

    /** Completes the future; false when it was already complete. */
    public boolean futureComplete(UserRecordResult result) {
        return future.complete(result);
    }

    /** Fails the future; false when it was already complete. */
    public boolean futureFail(Throwable failure) {
        return future.completeExceptionally(failure);
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    public long arrivalWallMillis() {
        return arrivalWallMillis;
    }

    public boolean isDone() {
        return future.isDone();
    }
}
