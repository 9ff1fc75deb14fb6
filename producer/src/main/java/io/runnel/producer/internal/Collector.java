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
 * requests never race each other on a shard and records of one partition key arrive in the order they were added.
 * Confined to the pipeline thread.
 */
final class Collector {
    private final int maxCount;
    private final long maxBytes;
    private final Limiter limiter;
    private final ArrayDeque<KinesisRecord> waiting = new ArrayDeque<>(); // not yet past the limiter
    private final List<KinesisRecord> admitted = new ArrayList<>(); // past the limiter, not yet sent

    Collector(int maxCount, long maxBytes, Limiter limiter) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.limiter = limiter;
    }

    void add(KinesisRecord r) {
        waiting.add(r);
    }

    boolean isEmpty() {
        return waiting.isEmpty() && admitted.isEmpty();
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
        long wake = Long.MAX_VALUE;
        for (Iterator<KinesisRecord> it = waiting.iterator(); it.hasNext();) {
            KinesisRecord r = it.next();
            if (nowNanos >= r.expiryNanos()) {
                it.remove();
                expired.accept(r);
            } else if (limiter.tryAcquire(r.shardId(), r.wireBytes(), nowNanos)) {
                it.remove();
                admitted.add(r);
            } else {
                long at = nowNanos + Math.max(1, limiter.nanosUntilAvailable(r.shardId(), r.wireBytes(), nowNanos));
                wake = Math.min(wake, Math.min(at, r.expiryNanos()));
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
                if (busyShards.contains(r.shardId()) || skipped.contains(r.shardId())) {
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

    /** Calls {@code action} for every record not yet sent. */
    void forEach(Consumer<KinesisRecord> action) {
        waiting.forEach(action);
        admitted.forEach(action);
    }

    /** Everything not yet sent (for shutdown). */
    List<KinesisRecord> drainAll() {
        List<KinesisRecord> out = new ArrayList<>(admitted);
        out.addAll(waiting);
        admitted.clear();
        waiting.clear();
        return out;
    }
}
