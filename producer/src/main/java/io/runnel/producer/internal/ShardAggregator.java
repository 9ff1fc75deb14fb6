package io.runnel.producer.internal;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Packs the user records predicted for one shard into aggregated records, and hands each finished one on: when the
 * next record does not fit, when its deadline comes ({@link #poll}), or on flush. One user record alone is sent as
 * itself, not wrapped. Confined to the pipeline thread.
 */
final class ShardAggregator {
    private final String shardId;
    private final Aggregator aggregator;
    private final long maxBufferedNanos;
    private final Consumer<KinesisRecord> downstream;
    private final List<PendingUserRecord> records = new ArrayList<>();
    private long deadlineNanos = Long.MAX_VALUE;

    ShardAggregator(String shardId, AggregationLimits limits, long maxBufferedNanos,
            Consumer<KinesisRecord> downstream) {
        this.shardId = shardId;
        this.aggregator = new Aggregator(limits);
        this.maxBufferedNanos = maxBufferedNanos;
        this.downstream = downstream;
    }

    /** Adds a user record (its hash key and predicted shard already set). */
    void add(PendingUserRecord r, long nowNanos) {
        String ehk = r.explicitHashKey;
        Aggregator.AddResult result = aggregator.tryAdd(r.partitionKey, ehk, r.data);
        if (result == Aggregator.AddResult.FULL) {
            flush();
            result = aggregator.tryAdd(r.partitionKey, ehk, r.data);
        }
        if (result == Aggregator.AddResult.TOO_LARGE) {
            downstream.accept(single(r, nowNanos + maxBufferedNanos));
            return;
        }
        records.add(r);
        deadlineNanos = Math.min(deadlineNanos, Math.max(nowNanos, r.arrivalNanos) + maxBufferedNanos);
    }

    private KinesisRecord single(PendingUserRecord r, long deadline) {
        return new KinesisRecord(shardId, r.partitionKey, r.explicitHashKey != null ? r.explicitHashKey
                : r.hashKey.toDecimalString(), r.data, List.of(r), false, deadline);
    }

    /**
     * One Kinesis record for {@code users} (all predicted for {@code shardId}, in order, known to fit one aggregate):
     * the record itself when there is one, an aggregate otherwise.
     */
    static KinesisRecord pack(String shardId, List<PendingUserRecord> users, AggregationLimits limits,
            long deadlineNanos) {
        PendingUserRecord first = users.get(0);
        if (users.size() == 1) {
            return new KinesisRecord(shardId, first.partitionKey, first.explicitHashKey != null
                    ? first.explicitHashKey : first.hashKey.toDecimalString(), first.data, List.of(first), false,
                    deadlineNanos);
        }
        Aggregator aggregator = new Aggregator(limits);
        for (PendingUserRecord r : users) {
            if (aggregator.tryAdd(r.partitionKey, r.explicitHashKey, r.data) != Aggregator.AddResult.ADDED) {
                throw new IllegalStateException("user records that shared an aggregate no longer fit one");
            }
        }
        return new KinesisRecord(shardId, first.partitionKey, first.hashKey.toDecimalString(), aggregator.toBytes(),
                List.copyOf(users), true, deadlineNanos);
    }

    /** Sends what is buffered if its deadline has come; returns the next deadline (Long.MAX_VALUE: none). */
    long poll(long nowNanos) {
        if (!records.isEmpty() && nowNanos >= deadlineNanos) {
            flush();
        }
        return records.isEmpty() ? Long.MAX_VALUE : deadlineNanos;
    }

    /** Sends what is buffered now. */
    void flush() {
        if (records.isEmpty()) {
            return;
        }
        if (records.size() == 1) {
            downstream.accept(single(records.get(0), deadlineNanos));
        } else {
            PendingUserRecord first = records.get(0);
            downstream.accept(new KinesisRecord(shardId, first.partitionKey, first.hashKey.toDecimalString(),
                    aggregator.toBytes(), List.copyOf(records), true, deadlineNanos));
        }
        aggregator.reset();
        records.clear();
        deadlineNanos = Long.MAX_VALUE;
    }

    /** Takes back every buffered user record (the shard map changed); the aggregator is emptied. */
    List<PendingUserRecord> drain() {
        List<PendingUserRecord> out = new ArrayList<>(records);
        aggregator.reset();
        records.clear();
        deadlineNanos = Long.MAX_VALUE;
        return out;
    }

    /** Calls {@code action} for each buffered user record. */
    void forEach(Consumer<PendingUserRecord> action) {
        records.forEach(action);
    }

    boolean isEmpty() {
        return records.isEmpty();
    }
}
