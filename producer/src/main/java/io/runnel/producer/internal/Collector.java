package io.runnel.producer.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Gathers one stream's Kinesis records into PutRecords batches of at most {@code maxCount} records and
 * {@code maxBytes} bytes. A record first passes its shard's {@link Limiter}; a batch is sent when it is full, when its
 * oldest record's deadline has come, or on flush. Records whose user records expired while waiting go to
 * {@code expired}.
 *
 * <p>Order, by lane ({@link ShardLanes}: a part of a shard's partition keys; a record's lane holds all its keys): a
 * lane with a request in flight gets no records into another request until that one is answered, so requests never
 * race each other on a key and records of one partition key arrive in the order they were added; a record the limiter
 * holds back holds back the later records of its shard too. A record Kinesis refused comes back ({@link #retryFirst})
 * ahead of everything else of its lane, which waits for it, and new records of its shard wait until it is out. A
 * request carries at most one aggregated record per lane (with {@code strict}, StrictOrdering, at most one record of
 * any kind), so a record the service refuses is never followed by a later record of its keys that it accepted in the
 * same request. Records of lanes that do not overlap share no key: they may go in one request, or in two at once.
 *
 * <p>Gathering: while the limiter holds shards back, a batch that is due but not full waits up to {@code gatherNanos}
 * after its first record passed the limiter, as long as a record that can join it (another shard's, or, without
 * {@code strict}, another single record of a shard it has) will pass within that time. At the shard limit the limiter
 * lets each shard's aggregates, or single records, through one at a time, each at its own moment; sent at once, they
 * went one or two to a request, and a request costs the producer ~1.5 ms of CPU whatever it carries. A flush (or
 * callers waiting for room) gathers too: what the limiter holds back cannot go sooner anyway, so waiting for it delays
 * no flush's end, and a flush at the limit no longer sends a request per record that passes (with
 * AggregationEnabled=false, ~1,300 requests a second of one record per shard). Confined to the pipeline thread.
 */
final class Collector {
    private final int maxCount;
    private final long maxBytes;
    /**
     * The most bytes a request carries now: {@code maxBytes}, halved (down to one record) after each request the
     * network lost, doubled back with each answer (see {@link #requestLost}).
     */
    private long requestBytes;
    private final Limiter limiter;
    /**
     * Per shard, in order, the records not yet past the limiter: what the limiter or a refused record holds back holds
     * back the rest of its shard, so a poll looks at a shard's records only up to there, not at everything buffered
     * (with AggregationEnabled=false at the shard limit, tens of thousands of records at every tick).
     */
    private final java.util.LinkedHashMap<String, ShardQueue> waiting = new java.util.LinkedHashMap<>();

    private static final class ShardQueue {
        final ArrayDeque<KinesisRecord> records = new ArrayDeque<>();
        /** At most the earliest expiry of the records here (exact after a poll looked at them all). */
        long expiryFloor = Long.MAX_VALUE;
        /** Whether each record's first user record arrived no earlier than the one before's: the first is oldest. */
        boolean inArrivalOrder = true;

        /** When the oldest user record here arrived (Long.MAX_VALUE: none). */
        long oldestArrival() {
            if (inArrivalOrder) {
                return firstArrival(records.peekFirst());
            }
            long oldest = Long.MAX_VALUE;
            for (KinesisRecord r : records) {
                oldest = Math.min(oldest, firstArrival(r));
            }
            return oldest;
        }
    }
    private final List<KinesisRecord> admitted = new ArrayList<>(); // past the limiter, not yet sent
    private final boolean strict;
    // poll's scratch sets of lanes, emptied at each use: kept, so that a poll every tick allocates no maps
    private final ShardLanes scratchHeld = new ShardLanes();
    private final ShardLanes scratchAggregates = new ShardLanes();
    private final ShardLanes scratchSkipped = new ShardLanes();
    private final ShardLanes scratchTaken = new ShardLanes();
    private long wake; // during a poll: the next time something could be done here
    /**
     * The longest a due batch waits for other shards to pass the limiter (see the class comment), unless
     * RecordMaxBufferedTime is shorter. At the shard limit (4 shards, 3M records of 100 bytes) 20 ms made 0.41-0.45x
     * the requests and 0.71-0.72x the producer's CPU per record; 50 ms 0.36x the requests, the CPU no lower
     * (benchmarks/README.md).
     */
    static final long GATHER_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20);
    private final long gatherNanos;
    // during a poll: the shards the limiter held back, when each could pass, and whether what it held back can go in
    // a request that has something of its shard already (see #gatherFor)
    private String[] limitedShards = new String[8];
    private long[] limitedUntil = new long[8];
    private boolean[] limitedJoins = new boolean[8];
    private int limitedCount;
    /**
     * Per shard, the Kinesis records here (not yet sent) and their bytes — what the shard still has to take — then how
     * many of them each lane has (at {@link #LANE_COUNTS} + {@link #slot}).
     */
    private final java.util.Map<String, long[]> queued = new java.util.HashMap<>();
    private static final int LANE_COUNTS = 2;
    /** Per shard, refused records to send again, in order, before anything else of the shard, and when. */
    private final java.util.Map<String, Head> heads = new java.util.LinkedHashMap<>();

    private static final class Head {
        final ArrayDeque<KinesisRecord> records = new ArrayDeque<>();
        long dueNanos;

        Head(long dueNanos) {
            this.dueNanos = dueNanos;
        }
    }

    Collector(int maxCount, long maxBytes, Limiter limiter) {
        this(maxCount, maxBytes, limiter, false);
    }

    Collector(int maxCount, long maxBytes, Limiter limiter, boolean strict) {
        this(maxCount, maxBytes, limiter, strict, 0);
    }

    /** @param gatherNanos how long a due batch may wait for more records to pass the limiter (see above) */
    Collector(int maxCount, long maxBytes, Limiter limiter, boolean strict, long gatherNanos) {
        this.maxCount = maxCount;
        this.gatherNanos = gatherNanos;
        this.maxBytes = maxBytes;
        this.requestBytes = maxBytes;
        this.limiter = limiter;
        this.strict = strict;
    }

    /**
     * {@code r} (refused by Kinesis) goes out again, not before {@code dueNanos}, ahead of every other record of its
     * lane, after those of its shard refused before it; until then nothing else of its lane is sent.
     */
    void retryFirst(KinesisRecord r, long dueNanos) {
        Head h = heads.get(r.shardId());
        if (h == null) {
            heads.put(r.shardId(), h = new Head(dueNanos));
        } else {
            h.dueNanos = Math.max(h.dueNanos, dueNanos);
        }
        h.records.add(r);
        count(r, 1);
    }

    /**
     * A request of {@code bytes} was lost on its way (its connection closed, or no answer came in time): later ones
     * carry at most half as much, down to a single record. A network that drops a connection every few hundred
     * kilobytes would otherwise fail every large request again and again, each retry as large as the one before,
     * until the records expire; smaller requests get through, and the limit doubles back with each answer.
     */
    void requestLost(long bytes) {
        requestBytes = Math.max(1, Math.min(requestBytes, bytes) / 2);
    }

    /** A request was answered (whatever the answer): requests may carry twice as much again, up to the maximum. */
    void requestAnswered() {
        requestBytes = Math.min(maxBytes, requestBytes * 2);
    }

    /** The most bytes a request carries now (see {@link #requestLost}). */
    long requestBytes() {
        return requestBytes;
    }

    /** When the oldest user record of those waiting here (not yet sent) arrived; Long.MAX_VALUE when none waits. */
    long oldestArrivalNanos() {
        long oldest = Long.MAX_VALUE;
        for (Head h : heads.values()) {
            oldest = Math.min(oldest, firstArrival(h.records.peekFirst()));
        }
        if (!admitted.isEmpty()) {
            oldest = Math.min(oldest, firstArrival(admitted.get(0)));
        }
        for (ShardQueue q : waiting.values()) {
            oldest = Math.min(oldest, q.oldestArrival());
        }
        return oldest;
    }

    /**
     * Per shard, when the oldest user record waiting here (not yet sent) arrived, into {@code into} (only shards
     * with something waiting). Walks the refused and admitted records, and those waiting for the limiter of a shard
     * whose records were not added in the order they arrived: call it when {@link #oldestArrivalNanos} says it
     * matters.
     */
    void oldestArrivalByShard(java.util.Map<String, Long> into) {
        for (Head h : heads.values()) {
            for (KinesisRecord r : h.records) {
                into.merge(r.shardId(), firstArrival(r), Math::min);
            }
        }
        for (KinesisRecord r : admitted) {
            into.merge(r.shardId(), firstArrival(r), Math::min);
        }
        waiting.forEach((shard, q) -> into.merge(shard, q.oldestArrival(), Math::min));
    }

    private static long firstArrival(KinesisRecord r) {
        return r == null || r.userRecords().isEmpty() ? Long.MAX_VALUE : r.userRecords().get(0).arrivalNanos;
    }

    void add(KinesisRecord r) {
        ShardQueue q = waiting.get(r.shardId());
        if (q == null) {
            waiting.put(r.shardId(), q = new ShardQueue());
        }
        KinesisRecord last = q.records.peekLast();
        if (last != null && firstArrival(r) < firstArrival(last)) {
            q.inArrivalOrder = false; // a record added again (a reshard re-packed it), or a lane's aggregate
        }
        q.records.add(r);
        q.expiryFloor = Math.min(q.expiryFloor, r.expiryNanos());
        count(r, 1);
    }

    private void count(KinesisRecord r, int sign) {
        long[] q = queued.get(r.shardId());
        if (q == null) {
            if (sign < 0) {
                return;
            }
            queued.put(r.shardId(), q = new long[LANE_COUNTS + (2 << ShardLanes.MAX_BITS) - 1]);
        }
        q[0] += sign;
        q[1] += sign * r.wireBytes();
        q[LANE_COUNTS + slot(r.lane())] += sign;
        if (q[0] <= 0) {
            queued.remove(r.shardId());
        }
    }

    /** Whether {@code shardId} has Kinesis records here, not yet sent. */
    boolean hasQueued(String shardId) {
        return queued.containsKey(shardId);
    }

    /** Whether {@code shardId} has Kinesis records here, not yet sent, of a lane that overlaps {@code lane}. */
    boolean hasQueued(String shardId, int lane) {
        long[] q = queued.get(shardId);
        if (q == null) {
            return false;
        }
        for (int bits = 0; bits <= ShardLanes.MAX_BITS; bits++) {
            for (int index = 0; index < 1 << bits; index++) {
                int queuedLane = ShardLanes.lane(bits, index);
                if (q[LANE_COUNTS + slot(queuedLane)] > 0 && ShardLanes.overlap(queuedLane, lane)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A lane's place among a shard's lane counts: the lanes of 0, 1, 2 … bits one after the other. */
    private static int slot(int lane) {
        return (1 << ShardLanes.bits(lane)) - 1 + ShardLanes.index(lane);
    }

    /** Calls {@code action} with each shard that has records here, how many Kinesis records, and their bytes. */
    void forEachQueued(QueuedConsumer action) {
        queued.forEach((shard, q) -> action.accept(shard, q[0], q[1]));
    }

    /** See {@link #forEachQueued}. */
    interface QueuedConsumer {
        void accept(String shardId, long kinesisRecords, long bytes);
    }

    boolean isEmpty() {
        return waiting.isEmpty() && admitted.isEmpty() && heads.isEmpty();
    }

    /**
     * Admits what the limiter allows, and sends batches that are ready, at most {@code slots} of them.
     *
     * @param flush    send partial batches now (deadlines ignored)
     * @param inFlight lanes with a request in flight: records overlapping them wait, and the lanes of each batch sent
     *                 are added
     * @return the next time something could be done here (Long.MAX_VALUE: nothing waits)
     */
    long poll(long nowNanos, boolean flush, int slots, ShardLanes inFlight, Consumer<List<KinesisRecord>> send,
            Consumer<KinesisRecord> expired) {
        return poll(nowNanos, flush, slots, inFlight, java.util.Set.of(), send, expired);
    }

    /**
     * As {@link #poll(long, boolean, int, ShardLanes, Consumer, Consumer)}, and nothing of the shards in
     * {@code waitFor} is sent yet (their records keep their place; the caller polls again when that changes).
     */
    long poll(long nowNanos, boolean flush, int slots, ShardLanes inFlight, java.util.Set<String> waitFor,
            Consumer<List<KinesisRecord>> send, Consumer<KinesisRecord> expired) {
        // Steps, each its own method: the JIT compiles mid-sized methods far faster than one that
        // inlines them all (it spent seconds of a short run's CPU on the single method this was).
        wake = Long.MAX_VALUE;
        limitedCount = 0;
        ShardLanes headLanes = heads.isEmpty() ? null : admitHeads(nowNanos, inFlight, waitFor, expired);
        expireAdmitted(nowNanos, expired); // before admitWaiting: an expired aggregate no longer holds its lane
        admitWaiting(nowNanos, inFlight, headLanes, expired);
        int sent = sendReady(nowNanos, flush, slots, inFlight, waitFor, headLanes, send);
        if (!admitted.isEmpty() && sent == slots) {
            wake = Math.min(wake, nowNanos); // more to send as soon as a slot frees
        }
        return wake;
    }

    /**
     * Refused records waiting to go again (the heads): expires those past their TTL, and admits, in order, those whose
     * backoff is over, whose lane is free and that the limiter lets pass, ahead of everything else admitted.
     *
     * @return the lanes of refused records still waiting: nothing later of theirs passes them
     */
    private ShardLanes admitHeads(long nowNanos, ShardLanes inFlight, java.util.Set<String> waitFor,
            Consumer<KinesisRecord> expired) {
        ShardLanes headLanes = new ShardLanes();
        List<KinesisRecord> fromHeads = null; // admitted from the heads now, in order: they go before the rest
        for (var it = heads.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            String shard = entry.getKey();
            Head h = entry.getValue();
            for (var records = h.records.iterator(); records.hasNext();) {
                expireIfDue(records, records.next(), nowNanos, expired);
            }
            if (nowNanos < h.dueNanos || waitFor.contains(shard)) {
                if (!h.records.isEmpty()) {
                    wake = Math.min(wake, Math.min(h.dueNanos, h.records.peekFirst().expiryNanos()));
                }
            } else {
                boolean limited = false;
                for (var records = h.records.iterator(); records.hasNext();) {
                    KinesisRecord r = records.next();
                    if (limited || inFlight.overlaps(shard, r.lane()) || headLanes.overlaps(shard, r.lane())) {
                        headLanes.add(shard, r.lane()); // its lane's request answers first (that wakes us)
                        continue;
                    }
                    if (!r.serviceDistributed() && !limiter.tryAcquire(shard, r.wireBytes(), nowNanos)) {
                        long at = nowNanos + Math.max(1, limiter.nanosUntilAvailable(shard, r.wireBytes(),
                                nowNanos));
                        wake = Math.min(wake, Math.min(at, r.expiryNanos()));
                        limitedUntil(shard, at, r);
                        limited = true;
                        headLanes.add(shard, r.lane());
                        continue;
                    }
                    records.remove();
                    r.admittedAt(nowNanos);
                    if (fromHeads == null) {
                        fromHeads = new ArrayList<>();
                    }
                    fromHeads.add(r);
                }
            }
            for (KinesisRecord r : h.records) {
                if (!headLanes.overlaps(shard, r.lane())) {
                    headLanes.add(shard, r.lane());
                }
            }
            if (h.records.isEmpty()) {
                it.remove();
            }
        }
        if (fromHeads != null) {
            admitted.addAll(0, fromHeads); // ahead of everything of their lanes
        }
        return headLanes;
    }

    /**
     * Records waiting for the limiter: expires those past their TTL and admits, in order, those whose lane nothing
     * holds back (nor a request in flight) and that the limiter lets pass. A shard's records past the first one held
     * back as a whole (by the limiter, or behind refused records) are not looked at until one of them could expire.
     */
    private void admitWaiting(long nowNanos, ShardLanes inFlight, ShardLanes headLanes,
            Consumer<KinesisRecord> expired) {
        // Lanes whose earlier record is held back: later ones of theirs wait too. (A shard held back as a whole — by
        // the limiter, or behind its refused records — stops its pass instead.)
        ShardLanes held = scratchHeld;
        held.clear();
        // One aggregate per lane past the limiter and not yet sent: it keeps the next of its lane from passing, so
        // each passes at the rate the limiter has when it goes, not at the rate of some earlier moment (after a
        // throttle, the rate has dropped since).
        ShardLanes aggregateAdmitted = scratchAggregates; // as expireAdmitted left it
        for (var queues = waiting.entrySet().iterator(); queues.hasNext();) {
            var entry = queues.next();
            String shard = entry.getKey();
            ShardQueue q = entry.getValue();
            // new records wait until the refused ones of their shard are out
            boolean whole = headLanes != null && headLanes.contains(shard);
            long floor = Long.MAX_VALUE; // of the records that stay
            for (Iterator<KinesisRecord> it = q.records.iterator(); it.hasNext();) {
                if (whole && nowNanos < q.expiryFloor) {
                    floor = Math.min(floor, q.expiryFloor); // the rest neither passes nor expires now
                    break;
                }
                KinesisRecord r = it.next();
                if (expireIfDue(it, r, nowNanos, expired)) {
                    continue;
                }
                int outcome = whole ? STOPPED : admitOne(it, r, shard, nowNanos, inFlight, held, aggregateAdmitted);
                if (outcome != ADMITTED) {
                    floor = Math.min(floor, r.expiryNanos());
                }
                whole = outcome == STOPPED;
            }
            q.expiryFloor = floor;
            if (q.records.isEmpty()) {
                queues.remove();
            }
        }
    }

    /** What {@link #admitOne} did with a record. */
    private static final int ADMITTED = 0;
    private static final int HELD = 1; // its lane is held back: later records of other lanes may pass
    private static final int STOPPED = 2; // nothing later of its shard can pass now

    /**
     * Admits {@code r} (the record {@code it} last gave) if nothing holds its lane back and the limiter lets it pass.
     *
     * @return {@link #ADMITTED}, {@link #HELD}, or {@link #STOPPED} when the limiter refused it or it is held and its
     *         lane is its whole shard
     */
    private int admitOne(Iterator<KinesisRecord> it, KinesisRecord r, String shard, long nowNanos,
            ShardLanes inFlight, ShardLanes held, ShardLanes aggregateAdmitted) {
        int lane = r.lane();
        if (held.overlaps(shard, lane)
                // Its lane's request is out: it could not leave before that is answered (a round trip), so it takes
                // no bytes from the limiter yet. Admitted now, it would reach the service that much later than the
                // limiter counted it, bunched with records admitted after it, and draw throttles from a service
                // whose buckets the limiter's match.
                || inFlight.overlaps(shard, lane)
                || (r.aggregated() && aggregateAdmitted.overlaps(shard, lane))) {
            held.addOnce(shard, lane); // nothing later of its lane passes it
            return lane == ShardLanes.WHOLE ? STOPPED : HELD;
        }
        if (r.serviceDistributed() || limiter.tryAcquire(shard, r.wireBytes(), nowNanos)) {
            it.remove();
            r.admittedAt(nowNanos);
            admitted.add(r);
            if (r.aggregated()) {
                aggregateAdmitted.add(shard, lane);
            }
            return ADMITTED;
        }
        long at = nowNanos + Math.max(1, limiter.nanosUntilAvailable(shard, r.wireBytes(), nowNanos));
        wake = Math.min(wake, Math.min(at, r.expiryNanos()));
        limitedUntil(shard, at, r);
        return STOPPED; // the limiter's budget is the whole shard's
    }

    /**
     * Admitted records past their TTL (they waited for a free request slot, or behind refused records of their lane)
     * expire here rather than go out late: a record is never sent after its RecordTtl. In the same pass, the lanes of
     * the aggregates that stay admitted go into {@link #scratchAggregates} for {@link #admitWaiting}.
     */
    private void expireAdmitted(long nowNanos, Consumer<KinesisRecord> expired) {
        scratchAggregates.clear();
        for (Iterator<KinesisRecord> it = admitted.iterator(); it.hasNext();) {
            KinesisRecord r = it.next();
            if (!expireIfDue(it, r, nowNanos, expired)) {
                wake = Math.min(wake, r.expiryNanos());
                if (r.aggregated()) {
                    scratchAggregates.add(r.shardId(), r.lane());
                }
            }
        }
    }

    /**
     * Expires {@code r}, the last record {@code it} gave, when it is past its TTL: out of the collection and the
     * counts, to {@code expired}. Returns whether it did.
     */
    private boolean expireIfDue(Iterator<KinesisRecord> it, KinesisRecord r, long nowNanos,
            Consumer<KinesisRecord> expired) {
        if (nowNanos < r.expiryNanos()) {
            return false;
        }
        it.remove();
        count(r, -1);
        expired.accept(r);
        return true;
    }

    /**
     * Sends batches of admitted records that are ready (full, due, or {@code flush}), at most {@code slots}.
     *
     * @return how many were sent
     */
    private int sendReady(long nowNanos, boolean flush, int slots, ShardLanes inFlight,
            java.util.Set<String> waitFor, ShardLanes headLanes, Consumer<List<KinesisRecord>> send) {
        int sent = 0;
        while (sent < slots) {
            List<KinesisRecord> batch = new ArrayList<>();
            long bytes = 0;
            long oldestDeadline = Long.MAX_VALUE;
            long firstAdmitted = Long.MAX_VALUE;
            boolean full = false;
            ShardLanes skipped = scratchSkipped; // lanes busy, or passed over to keep order
            skipped.clear();
            // lanes of which the batch has its one record (an aggregate, or any with strict): a later admitted record
            // of one of them waits for the next request, and this batch need not wait for more (it is as full as
            // those lanes let it be)
            ShardLanes taken = scratchTaken;
            taken.clear();
            for (KinesisRecord r : admitted) {
                String shard = r.shardId();
                if (taken.overlaps(shard, r.lane())) {
                    full = true;
                    skipped.add(shard, r.lane());
                    continue;
                }
                if (inFlight.overlaps(shard, r.lane()) || skipped.overlaps(shard, r.lane()) || waitFor.contains(shard)
                        || (headLanes != null && headLanes.overlaps(shard, r.lane()))) {
                    skipped.add(shard, r.lane()); // nothing later of its lane overtakes it
                    continue;
                }
                if (batch.size() == maxCount || (!batch.isEmpty() && bytes + r.wireBytes() > requestBytes)) {
                    full = true;
                    skipped.add(shard, r.lane());
                    continue;
                }
                batch.add(r);
                bytes += r.wireBytes();
                oldestDeadline = Math.min(oldestDeadline, r.deadlineNanos());
                firstAdmitted = Math.min(firstAdmitted, r.admittedNanos());
                if (strict || r.aggregated()) {
                    skipped.add(shard, r.lane()); // one Kinesis record per lane per request
                    taken.add(shard, r.lane());
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            if (!full && !flush && nowNanos < oldestDeadline) {
                wake = Math.min(wake, oldestDeadline);
                break;
            }
            if (!full) {
                long until = gatherFor(batch, firstAdmitted, nowNanos);
                if (until > nowNanos) {
                    wake = Math.min(wake, until);
                    break;
                }
            }
            admitted.removeAll(batch);
            for (KinesisRecord r : batch) {
                count(r, -1);
                inFlight.add(r.shardId(), r.lane());
            }
            send.accept(batch);
            sent++;
        }
        return sent;
    }

    /**
     * The limiter held {@code r} of {@code shard} back in this poll: it passes at {@code at} at the earliest. (A shard
     * is held back once per poll: what follows the record waits behind it.)
     */
    private void limitedUntil(String shard, long at, KinesisRecord r) {
        if (gatherNanos <= 0) {
            return;
        }
        if (limitedCount == limitedShards.length) {
            limitedShards = java.util.Arrays.copyOf(limitedShards, limitedCount * 2);
            limitedUntil = java.util.Arrays.copyOf(limitedUntil, limitedCount * 2);
            limitedJoins = java.util.Arrays.copyOf(limitedJoins, limitedCount * 2);
        }
        limitedShards[limitedCount] = shard;
        limitedUntil[limitedCount] = at;
        limitedJoins[limitedCount++] = !strict && !r.aggregated(); // several of a lane may share a request
    }

    /**
     * Until when {@code batch} (ready, not full) waits for more (see the class comment): {@code gatherNanos} after its
     * first record passed the limiter ({@code firstAdmitted}), when a record that can join it passes the limiter before
     * then (one of a shard it has nothing of, or a single record, several of which may go in a request); else
     * {@code nowNanos}: it goes now.
     */
    private long gatherFor(List<KinesisRecord> batch, long firstAdmitted, long nowNanos) {
        if (limitedCount == 0) {
            return nowNanos;
        }
        long until = firstAdmitted + gatherNanos;
        if (until <= nowNanos) {
            return nowNanos;
        }
        for (int i = 0; i < limitedCount; i++) {
            if (limitedUntil[i] < until && (limitedJoins[i] || !hasShard(batch, limitedShards[i]))) {
                return until;
            }
        }
        return nowNanos;
    }

    private static boolean hasShard(List<KinesisRecord> batch, String shard) {
        for (KinesisRecord r : batch) {
            if (r.shardId().equals(shard)) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} for every record not yet sent. */
    void forEach(Consumer<KinesisRecord> action) {
        heads.values().forEach(h -> h.records.forEach(action));
        waiting.values().forEach(q -> q.records.forEach(action));
        admitted.forEach(action);
    }

    /** Takes out every record not yet sent that {@code which} selects (a stream's strategy changed). */
    List<KinesisRecord> takeIf(java.util.function.Predicate<KinesisRecord> which) {
        List<KinesisRecord> out = new ArrayList<>();
        for (var it = heads.values().iterator(); it.hasNext();) {
            Head h = it.next();
            h.records.removeIf(r -> which.test(r) && out.add(r) && uncount(r));
            if (h.records.isEmpty()) {
                it.remove();
            }
        }
        for (Iterator<KinesisRecord> it = admitted.iterator(); it.hasNext();) {
            KinesisRecord r = it.next();
            if (which.test(r)) {
                out.add(r);
                it.remove();
                count(r, -1);
            }
        }
        for (var queues = waiting.values().iterator(); queues.hasNext();) {
            ShardQueue q = queues.next();
            for (Iterator<KinesisRecord> it = q.records.iterator(); it.hasNext();) {
                KinesisRecord r = it.next();
                if (which.test(r)) {
                    out.add(r);
                    it.remove();
                    count(r, -1);
                }
            }
            if (q.records.isEmpty()) {
                queues.remove();
            }
        }
        return out;
    }

    private boolean uncount(KinesisRecord r) {
        count(r, -1);
        return true;
    }

    /** Everything not yet sent (for shutdown). */
    List<KinesisRecord> drainAll() {
        List<KinesisRecord> out = new ArrayList<>();
        heads.values().forEach(h -> out.addAll(h.records));
        out.addAll(admitted);
        waiting.values().forEach(q -> out.addAll(q.records));
        heads.clear();
        admitted.clear();
        waiting.clear();
        queued.clear();
        return out;
    }
}
