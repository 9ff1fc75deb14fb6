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
 * <p>Order: a shard with a request in flight gets no records into another request until that one is answered, so
 * requests never race each other on a shard and records of one partition key arrive in the order they were added;
 * a record the limiter holds back holds back the later records of its shard too. A record Kinesis refused comes back
 * ({@link #retryFirst}) ahead of everything else of its shard, which waits for it. A request carries at most one
 * aggregated record per shard (with {@code strict}, StrictOrdering, at most one record of any kind), so a record the
 * service refuses is never followed by a later record of its shard that it accepted in the same request.
 * Confined to the pipeline thread.
 */
final class Collector {
    private final int maxCount;
    private final long maxBytes;
    private final Limiter limiter;
    private final ArrayDeque<KinesisRecord> waiting = new ArrayDeque<>(); // not yet past the limiter
    private final List<KinesisRecord> admitted = new ArrayList<>(); // past the limiter, not yet sent
    private final boolean strict;
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
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.limiter = limiter;
        this.strict = strict;
    }

    /**
     * {@code r} (refused by Kinesis) goes out again, not before {@code dueNanos}, ahead of every other record of its
     * shard, after those of its shard refused before it; until then nothing else of the shard is sent.
     */
    void retryFirst(KinesisRecord r, long dueNanos) {
        Head h = heads.get(r.shardId());
        if (h == null) {
            heads.put(r.shardId(), h = new Head(dueNanos));
        } else {
            h.dueNanos = Math.max(h.dueNanos, dueNanos);
        }
        h.records.add(r);
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
        return Math.min(oldest, firstArrival(waiting.peekFirst()));
    }

    private static long firstArrival(KinesisRecord r) {
        return r == null || r.userRecords().isEmpty() ? Long.MAX_VALUE : r.userRecords().get(0).arrivalNanos;
    }

    void add(KinesisRecord r) {
        waiting.add(r);
    }

    boolean isEmpty() {
        return waiting.isEmpty() && admitted.isEmpty() && heads.isEmpty();
    }

    /**
     * Admits what the limiter allows, and sends batches that are ready, at most {@code slots} of them.
     *
     * @param flush      send partial batches now (deadlines ignored)
     * @param busyShards shards with a request in flight: skipped, and the shards of each batch sent are added
     * @return the next time something could be done here (Long.MAX_VALUE: nothing waits)
     */
    long poll(long nowNanos, boolean flush, int slots, java.util.Set<String> busyShards,
            Consumer<List<KinesisRecord>> send, Consumer<KinesisRecord> expired) {
        return poll(nowNanos, flush, slots, busyShards, java.util.Set.of(), send, expired);
    }

    /**
     * As {@link #poll(long, boolean, int, java.util.Set, Consumer, Consumer)}, and nothing of the shards in
     * {@code waitFor} is sent yet (their records keep their place; the caller polls again when that changes).
     */
    long poll(long nowNanos, boolean flush, int slots, java.util.Set<String> busyShards, java.util.Set<String> waitFor,
            Consumer<List<KinesisRecord>> send, Consumer<KinesisRecord> expired) {
        long wake = Long.MAX_VALUE;
        java.util.Set<String> held = null; // shards whose earlier record is still held back: later ones wait too
        List<KinesisRecord> fromHeads = null; // admitted from the heads now, in order: they go before the rest
        if (!heads.isEmpty()) {
            held = new java.util.HashSet<>();
            for (var it = heads.entrySet().iterator(); it.hasNext();) {
                var entry = it.next();
                String shard = entry.getKey();
                Head h = entry.getValue();
                for (var records = h.records.iterator(); records.hasNext();) {
                    KinesisRecord r = records.next();
                    if (nowNanos >= r.expiryNanos()) {
                        records.remove();
                        expired.accept(r);
                    }
                }
                if (nowNanos < h.dueNanos || busyShards.contains(shard) || waitFor.contains(shard)) {
                    if (!h.records.isEmpty()) {
                        wake = Math.min(wake, Math.min(h.dueNanos, h.records.peekFirst().expiryNanos()));
                    }
                } else {
                    while (!h.records.isEmpty()) {
                        KinesisRecord r = h.records.peekFirst();
                        if (!r.serviceDistributed() && !limiter.tryAcquire(shard, r.wireBytes(), nowNanos)) {
                            long at = nowNanos + Math.max(1, limiter.nanosUntilAvailable(shard, r.wireBytes(),
                                    nowNanos));
                            wake = Math.min(wake, Math.min(at, r.expiryNanos()));
                            break;
                        }
                        h.records.removeFirst();
                        if (fromHeads == null) {
                            fromHeads = new ArrayList<>();
                        }
                        fromHeads.add(r);
                    }
                }
                if (h.records.isEmpty()) {
                    it.remove();
                } else {
                    held.add(shard);
                }
            }
            if (fromHeads != null) {
                admitted.addAll(0, fromHeads); // ahead of everything of their shards
            }
        }
        // A request carries one aggregate per shard: an aggregate past the limiter and not yet sent keeps the next of
        // its shard from passing, so each one passes at the rate the limiter has when it goes, not at the rate of
        // some earlier moment (after a throttle, the rate has dropped since).
        java.util.Set<String> aggregateAdmitted = null;
        for (KinesisRecord r : admitted) {
            if (r.aggregated()) {
                if (aggregateAdmitted == null) {
                    aggregateAdmitted = new java.util.HashSet<>();
                }
                aggregateAdmitted.add(r.shardId());
            }
        }
        for (Iterator<KinesisRecord> it = waiting.iterator(); it.hasNext();) {
            KinesisRecord r = it.next();
            if (nowNanos >= r.expiryNanos()) {
                it.remove();
                expired.accept(r);
            } else if (held != null && held.contains(r.shardId())) {
                continue;
            } else if (r.aggregated() && aggregateAdmitted != null && aggregateAdmitted.contains(r.shardId())) {
                if (held == null) {
                    held = new java.util.HashSet<>();
                }
                held.add(r.shardId()); // order: nothing later of the shard passes either
            } else if (r.serviceDistributed() || limiter.tryAcquire(r.shardId(), r.wireBytes(), nowNanos)) {
                it.remove();
                admitted.add(r);
                if (r.aggregated()) {
                    if (aggregateAdmitted == null) {
                        aggregateAdmitted = new java.util.HashSet<>();
                    }
                    aggregateAdmitted.add(r.shardId());
                }
            } else {
                long at = nowNanos + Math.max(1, limiter.nanosUntilAvailable(r.shardId(), r.wireBytes(), nowNanos));
                wake = Math.min(wake, Math.min(at, r.expiryNanos()));
                if (held == null) {
                    held = new java.util.HashSet<>();
                }
                held.add(r.shardId());
            }
        }
        int sent = 0;
        while (sent < slots) {
            List<KinesisRecord> batch = new ArrayList<>();
            long bytes = 0;
            long oldestDeadline = Long.MAX_VALUE;
            boolean full = false;
            java.util.Set<String> skipped = new java.util.HashSet<>(); // shards busy, or passed over to keep order
            for (KinesisRecord r : admitted) {
                if (busyShards.contains(r.shardId()) || skipped.contains(r.shardId()) || waitFor.contains(r.shardId())
                        || (!heads.isEmpty() && heads.containsKey(r.shardId()))) {
                    continue;
                }
                if (batch.size() == maxCount || (!batch.isEmpty() && bytes + r.wireBytes() > maxBytes)) {
                    full = true;
                    skipped.add(r.shardId()); // a later record of this shard must not overtake this one
                    continue;
                }
                batch.add(r);
                bytes += r.wireBytes();
                oldestDeadline = Math.min(oldestDeadline, r.deadlineNanos());
                if (strict || r.aggregated()) {
                    skipped.add(r.shardId()); // one Kinesis record per shard per request
                    full |= hasAnotherOf(r.shardId(), r);
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            if (!full && !flush && nowNanos < oldestDeadline) {
                wake = Math.min(wake, oldestDeadline);
                break;
            }
            admitted.removeAll(batch);
            for (KinesisRecord r : batch) {
                busyShards.add(r.shardId());
            }
            send.accept(batch);
            sent++;
        }
        if (!admitted.isEmpty() && sent == slots) {
            wake = Math.min(wake, nowNanos); // more to send as soon as a slot frees
        }
        return wake;
    }

    /** Whether another admitted record of {@code shardId} follows {@code r}: then r's batch need not wait. */
    private boolean hasAnotherOf(String shardId, KinesisRecord r) {
        boolean after = false;
        for (KinesisRecord other : admitted) {
            if (other == r) {
                after = true;
            } else if (after && other.shardId().equals(shardId)) {
                return true;
            }
        }
        return false;
    }

    /** Calls {@code action} for every record not yet sent. */
    void forEach(Consumer<KinesisRecord> action) {
        heads.values().forEach(h -> h.records.forEach(action));
        waiting.forEach(action);
        admitted.forEach(action);
    }

    /** Takes out every record not yet sent that {@code which} selects (a stream's strategy changed). */
    List<KinesisRecord> takeIf(java.util.function.Predicate<KinesisRecord> which) {
        List<KinesisRecord> out = new ArrayList<>();
        for (var it = heads.values().iterator(); it.hasNext();) {
            Head h = it.next();
            h.records.removeIf(r -> which.test(r) && out.add(r));
            if (h.records.isEmpty()) {
                it.remove();
            }
        }
        for (Iterator<KinesisRecord> it = admitted.iterator(); it.hasNext();) {
            KinesisRecord r = it.next();
            if (which.test(r)) {
                out.add(r);
                it.remove();
            }
        }
        for (Iterator<KinesisRecord> it = waiting.iterator(); it.hasNext();) {
            KinesisRecord r = it.next();
            if (which.test(r)) {
                out.add(r);
                it.remove();
            }
        }
        return out;
    }

    /** Everything not yet sent (for shutdown). */
    List<KinesisRecord> drainAll() {
        List<KinesisRecord> out = new ArrayList<>();
        heads.values().forEach(h -> out.addAll(h.records));
        out.addAll(admitted);
        out.addAll(waiting);
        heads.clear();
        admitted.clear();
        waiting.clear();
        return out;
    }
}
