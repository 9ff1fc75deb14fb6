package io.runnel.producer.internal;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Packs the user records predicted for one shard into aggregated records, and hands each finished one on: when the
 * next record does not fit, when its deadline comes ({@link #poll}), or on flush. One user record alone is sent as
 * itself, not wrapped.
 *
 * <p>Lanes: a shard's records are aggregated in 2^bits lanes by their partition key ({@link ShardLanes}), so one
 * key's records are always in one lane and in order. Only one aggregate per lane is in flight at a time, so a shard
 * moves at most (lanes × aggregate size) per round trip: one lane while that is plenty, more when the shard's rate
 * times the round trip would not fit ({@link #adapt}) — a far or busy endpoint, or a shard with a high limit. Fewer
 * lanes make fuller aggregates (Kinesis bills each record by 25 KB units), so lanes are merged again when no longer
 * needed. Confined to the pipeline thread.
 */
final class ShardAggregator {
    /** How often the number of lanes is chosen again. */
    static final long ADAPT_INTERVAL_NANOS = 1_000_000_000L;
    /** The lanes' aggregates per round trip are kept at this multiple of what the shard sends in one. */
    static final double HEADROOM = 2.0;
    /** Intervals in a row in which fewer lanes would have done before lanes are merged (one step at a time). */
    static final int NARROW_AFTER = 3;

    private final String shardId;
    private final AggregationLimits limits;
    private final long maxBufferedNanos;
    private final int maxBits;
    private final Consumer<KinesisRecord> downstream;
    private final AggregateBuffers buffers; // null: each aggregate in an array of its own
    private Lane[] lanes;
    private int bits;
    private long bytesIn; // user bytes (data + key) added since windowStartNanos
    private long windowStartNanos = Long.MIN_VALUE;
    private int narrowVotes;

    /** One lane's aggregate being filled. */
    private final class Lane {
        final int lane;
        final Aggregator aggregator = new Aggregator(limits);
        List<PendingUserRecord> records = new ArrayList<>();
        long deadlineNanos = Long.MAX_VALUE;
        long expiryNanos = Long.MAX_VALUE; // the earliest of its records', kept as they come (then in the cache)

        Lane(int lane) {
            this.lane = lane;
        }

        /** @return the lane's deadline now (Long.MAX_VALUE: empty) */
        long add(PendingUserRecord r, long nowNanos) {
            String ehk = r.explicitHashKey;
            Aggregator.AddResult result = aggregator.tryAdd(r.partitionKey, ehk, r.data);
            if (result == Aggregator.AddResult.FULL) {
                flush();
                result = aggregator.tryAdd(r.partitionKey, ehk, r.data);
            }
            if (result == Aggregator.AddResult.TOO_LARGE) {
                flush(); // what is buffered goes first: it may hold earlier records of this key
                downstream.accept(single(r, lane, nowNanos + maxBufferedNanos));
                return deadlineNanos;
            }
            records.add(r);
            deadlineNanos = Math.min(deadlineNanos, Math.max(nowNanos, r.arrivalNanos) + maxBufferedNanos);
            expiryNanos = Math.min(expiryNanos, r.expiryNanos);
            return deadlineNanos;
        }

        long poll(long nowNanos, LaneBusy busy) {
            if (due(nowNanos, busy)) {
                flush();
            }
            return records.isEmpty() ? Long.MAX_VALUE : deadlineNanos;
        }

        boolean due(long nowNanos, LaneBusy busy) {
            return !records.isEmpty() && nowNanos >= deadlineNanos && !busy.busy(shardId, lane);
        }

        void flush() {
            if (records.isEmpty()) {
                return;
            }
            if (records.size() == 1) {
                downstream.accept(single(records.get(0), lane, deadlineNanos));
            } else {
                // The list goes with the aggregate (no one changes it after); the next starts at this one's size.
                List<PendingUserRecord> users = records;
                records = new ArrayList<>(users.size());
                PendingUserRecord first = users.get(0);
                byte[] bytes;
                int length;
                if (buffers == null) {
                    bytes = aggregator.toBytes();
                    length = bytes.length;
                } else {
                    bytes = buffers.take(aggregator.size());
                    length = aggregator.writeTo(bytes, 0);
                }
                downstream.accept(new KinesisRecord(shardId, first.partitionKey, first.hashKey.toDecimalString(),
                        bytes, length, buffers, users, true, deadlineNanos, false, lane, expiryNanos));
            }
            reset();
        }

        void reset() {
            aggregator.reset();
            records.clear();
            deadlineNanos = Long.MAX_VALUE;
            expiryNanos = Long.MAX_VALUE;
        }
    }

    /** One lane (for StrictOrdering, and in tests). */
    ShardAggregator(String shardId, AggregationLimits limits, long maxBufferedNanos,
            Consumer<KinesisRecord> downstream) {
        this(shardId, limits, maxBufferedNanos, 0, downstream);
    }

    /** @param maxBits lanes at most 2^maxBits (0: always one) */
    ShardAggregator(String shardId, AggregationLimits limits, long maxBufferedNanos, int maxBits,
            Consumer<KinesisRecord> downstream) {
        this(shardId, limits, maxBufferedNanos, maxBits, null, downstream);
    }

    /** As above, each aggregate's bytes in an array of {@code buffers} (null: an array of its own). */
    ShardAggregator(String shardId, AggregationLimits limits, long maxBufferedNanos, int maxBits,
            AggregateBuffers buffers, Consumer<KinesisRecord> downstream) {
        if (maxBits < 0 || maxBits > ShardLanes.MAX_BITS) {
            throw new IllegalArgumentException("maxBits must be 0.." + ShardLanes.MAX_BITS + ", was " + maxBits);
        }
        this.shardId = shardId;
        this.limits = limits;
        this.maxBufferedNanos = maxBufferedNanos;
        this.maxBits = maxBits;
        this.downstream = downstream;
        this.buffers = buffers;
        resize(0);
    }

    private KinesisRecord single(PendingUserRecord r, int lane, long deadline) {
        return single(shardId, r, lane, deadline);
    }

    /** The Kinesis record of {@code r} sent alone, not aggregated. */
    private static KinesisRecord single(String shardId, PendingUserRecord r, int lane, long deadline) {
        return new KinesisRecord(shardId, r.partitionKey, r.explicitHashKey != null ? r.explicitHashKey
                : r.hashKey.toDecimalString(), r.data, KinesisRecord.one(r), false, deadline, false, lane);
    }

    /**
     * Adds a user record (its hash key and predicted shard already set).
     *
     * @return the deadline of the lane it went to (Long.MAX_VALUE: it went on at once, and the lane is empty)
     */
    long add(PendingUserRecord r, long nowNanos) {
        bytesIn += r.wireBytes();
        return lanes[ShardLanes.indexOf(r.partitionKey, bits)].add(r, nowNanos);
    }

    /**
     * One Kinesis record for {@code users} (all predicted for {@code shardId}, of {@code lane}, in order, known to fit
     * one aggregate): the record itself when there is one, an aggregate otherwise.
     */
    static KinesisRecord pack(String shardId, int lane, List<PendingUserRecord> users, AggregationLimits limits,
            long deadlineNanos) {
        PendingUserRecord first = users.get(0);
        if (users.size() == 1) {
            return single(shardId, first, lane, deadlineNanos);
        }
        Aggregator aggregator = new Aggregator(limits);
        for (PendingUserRecord r : users) {
            if (aggregator.tryAdd(r.partitionKey, r.explicitHashKey, r.data) != Aggregator.AddResult.ADDED) {
                throw new IllegalStateException("user records that shared an aggregate no longer fit one");
            }
        }
        return new KinesisRecord(shardId, first.partitionKey, first.hashKey.toDecimalString(), aggregator.toBytes(),
                new ArrayList<>(users), true, deadlineNanos, false, lane);
    }

    /** Whether a lane of a shard has an aggregate on its way (in flight, or waiting to be sent). */
    @FunctionalInterface
    interface LaneBusy {
        boolean busy(String shardId, int lane);
    }

    /**
     * Sends what is buffered if its deadline has come, except in lanes that {@code busy} says have an aggregate on
     * its way: a new one could not be sent before that one anyway, so it keeps filling rather than close at its
     * deadline and wait, a fraction full, behind it. Its records go no later; with a round trip longer than
     * RecordMaxBufferedTime (a far endpoint) a shard's aggregates are then as full as its keys' rate allows in a round
     * trip rather than in one deadline, and small aggregates do not pile up in front of each lane.
     *
     * @return the next deadline (Long.MAX_VALUE: none)
     */
    long poll(long nowNanos, LaneBusy busy) {
        long next = Long.MAX_VALUE;
        for (Lane l : lanes) {
            next = Math.min(next, l.poll(nowNanos, busy));
        }
        return next;
    }

    /** Whether {@link #poll} would send an aggregate now: a lane not {@code busy} has reached its deadline. */
    boolean due(long nowNanos, LaneBusy busy) {
        for (Lane l : lanes) {
            if (l.due(nowNanos, busy)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends what every lane that {@code busy} does not name holds, whatever its deadline: a request is leaving, and
     * these can go in it (see {@code Pipeline.pollAggregators}).
     */
    void flushIdle(LaneBusy busy) {
        for (Lane l : lanes) {
            if (!l.records.isEmpty() && !busy.busy(shardId, l.lane)) {
                l.flush();
            }
        }
    }

    /**
     * Chooses the number of lanes, at most once per {@link #ADAPT_INTERVAL_NANOS}: the fewest whose aggregates, one
     * per lane per round trip, carry {@link #HEADROOM} times what the shard sent in the last interval (at most its
     * limiter's rate) in one round trip. More lanes at once; fewer only after {@link #NARROW_AFTER} intervals that
     * wanted fewer, one step at a time. Changing the number sends what the lanes hold.
     *
     * @param roundTripNanos      recent PutRecords round trip of the shard's stream
     * @param shardBytesPerSecond the most the shard takes now (its limiter's rate)
     */
    void adapt(long nowNanos, long roundTripNanos, double shardBytesPerSecond) {
        if (!adaptsAt(nowNanos)) {
            return;
        }
        if (windowStartNanos == Long.MIN_VALUE) {
            windowStartNanos = nowNanos;
            bytesIn = 0;
            return;
        }
        long elapsed = nowNanos - windowStartNanos;
        double rate = Math.min(bytesIn * 1e9 / elapsed, shardBytesPerSecond);
        int want = lanesFor(rate, roundTripNanos);
        windowStartNanos = nowNanos;
        bytesIn = 0;
        if (want > bits) {
            narrowVotes = 0;
            resize(want);
        } else if (want < bits) {
            if (++narrowVotes >= NARROW_AFTER) {
                narrowVotes = 0;
                resize(bits - 1);
            }
        } else {
            narrowVotes = 0;
        }
    }

    /** Whether {@link #adapt} would do anything now (the caller can spare working out its arguments otherwise). */
    boolean adaptsAt(long nowNanos) {
        return maxBits != 0
                && (windowStartNanos == Long.MIN_VALUE || nowNanos - windowStartNanos >= ADAPT_INTERVAL_NANOS);
    }

    /** The fewest lane bits whose aggregates, one per lane per round trip, carry HEADROOM times {@code rate}. */
    private int lanesFor(double bytesPerSecond, long roundTripNanos) {
        double perRoundTrip = bytesPerSecond * roundTripNanos / 1e9 * HEADROOM;
        int want = 0;
        while (want < maxBits && (double) (1 << want) * limits.maxSizeBytes() < perRoundTrip) {
            want++;
        }
        return want;
    }

    /**
     * Starts with the lanes the shard's rate needs at {@code roundTripNanos} (before any record, so before
     * {@link #adapt} has a rate of its own to go by). A producer's buffer fills before its first answer, and
     * aggregates built in one lane leave one per round trip, ahead of any lane added later: behind a 100 ms round
     * trip that backlog took 6 s.
     */
    void startFor(long roundTripNanos, double shardBytesPerSecond) {
        int want = lanesFor(shardBytesPerSecond, roundTripNanos);
        if (want != bits && isEmpty()) {
            resize(want);
        }
    }

    private void resize(int newBits) {
        if (lanes != null) {
            flush();
        }
        bits = newBits;
        lanes = new Lane[1 << newBits];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new Lane(ShardLanes.lane(newBits, i));
        }
    }

    /** The lanes' width: 2^bits lanes. */
    int bits() {
        return bits;
    }

    /** Sends what is buffered now. */
    void flush() {
        for (Lane l : lanes) {
            l.flush();
        }
    }

    /**
     * Takes back every buffered user record (the shard map changed); the aggregator is emptied. Each key's records
     * stay in order (lane after lane).
     */
    List<PendingUserRecord> drain() {
        List<PendingUserRecord> out = new ArrayList<>();
        for (Lane l : lanes) {
            out.addAll(l.records);
            l.reset();
        }
        return out;
    }

    /** Calls {@code action} for each buffered user record. */
    void forEach(Consumer<PendingUserRecord> action) {
        for (Lane l : lanes) {
            l.records.forEach(action);
        }
    }

    boolean isEmpty() {
        for (Lane l : lanes) {
            if (!l.records.isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
