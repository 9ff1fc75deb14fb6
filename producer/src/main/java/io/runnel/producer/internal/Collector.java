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
 * {@code expired}. Confined to the pipeline thread.
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
     * @param flush send partial batches now (deadlines ignored)
     * @return the next time something could be done here (Long.MAX_VALUE: nothing waits)
     */
    long poll(long nowNanos, boolean flush, int slots, Consumer<List<KinesisRecord>> send,
            Consumer<KinesisRecord> expired) {
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
        while (!admitted.isEmpty() && sent < slots) {
            int count = 0;
            long bytes = 0;
            long oldestDeadline = Long.MAX_VALUE;
            while (count < admitted.size() && count < maxCount
                    && (count == 0 || bytes + admitted.get(count).wireBytes() <= maxBytes)) {
                bytes += admitted.get(count).wireBytes();
                oldestDeadline = Math.min(oldestDeadline, admitted.get(count).deadlineNanos());
                count++;
            }
            boolean full = count == maxCount || count < admitted.size();
            if (!full && !flush && nowNanos < oldestDeadline) {
                wake = Math.min(wake, oldestDeadline);
                break;
            }
            List<KinesisRecord> batch = new ArrayList<>(admitted.subList(0, count));
            admitted.subList(0, count).clear();
            send.accept(batch);
            sent++;
        }
        if (!admitted.isEmpty() && sent == slots) {
            wake = Math.min(wake, nowNanos); // more to send as soon as a slot frees
        }
        return wake;
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
