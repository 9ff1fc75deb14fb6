package io.runnel.producer.internal;

import io.runnel.wire.HashKeyRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Backpressure by time, not only bytes: when a shard's records wait to be sent for a quarter of RecordTtl (or what
 * it has would take that long at its rate), it takes less than is added; new records of its keys wait (or fail,
 * BackpressurePolicy) until its wait is down to an eighth, so what is buffered is sent long before RecordTtl
 * instead of expiring — while the callers of the other shards' keys go on. Pipeline thread; it tells the callers'
 * side (the producer's buffer budget) the key ranges to hold whenever they change.
 */
final class Backpressure {
    /** In {@link StreamState#heldShards}: every key of the stream (its shards are not known yet). */
    private static final String ALL_SHARDS = "*";

    private final long holdAfterNanos;
    private final Consumer<Map<String, List<HashKeyRange>>> callers;
    /** What {@link #callers} was last told: per stream, the key ranges whose callers wait. */
    private Map<String, List<HashKeyRange>> heldKeys = Map.of();
    /** {@link #update}'s scratch: per shard, how long its records wait (emptied at each call; most calls add none). */
    private final Map<String, Long> wait = new HashMap<>();

    /**
     * @param holdAfterNanos how long a shard's records may wait before its keys are held (held until it is half that)
     * @param callers        told, whenever it changes, per stream the hash key ranges whose callers are to wait
     */
    Backpressure(long holdAfterNanos, Consumer<Map<String, List<HashKeyRange>>> callers) {
        this.holdAfterNanos = holdAfterNanos;
        this.callers = callers;
    }

    /** Updates which of {@code s}'s shards are held, from how long their records wait at {@code now}. */
    void update(StreamState s, long now) {
        // How long each shard's records wait: the oldest's wait so far, and — for what is still to come — how long
        // the shard takes to send what it has at its rate now (tiny records are bound by the record count, which a
        // byte budget does not see).
        Map<String, Long> wait = this.wait;
        wait.clear();
        if (!Boolean.TRUE.equals(s.auto)) {
            s.collector.forEachQueued((shard, records, bytes) -> {
                // at the limiter's rate, or at what the shard stored in the last second if that is less (throttles
                // and retries take their share), though not below a quarter of it: it may have been idle
                double share = s.limiter.share(shard);
                double recordRate = Limiter.SHARD_RECORDS_PER_SECOND * share;
                double byteRate = Limiter.SHARD_BYTES_PER_SECOND * share;
                ShardCounters c = s.shardCounters(shard);
                c.measure(now);
                if (c.storedPerSecond >= 0) {
                    recordRate = Math.min(recordRate, Math.max(c.storedPerSecond, recordRate / 4));
                    byteRate = Math.min(byteRate, Math.max(c.bytesPerSecond, byteRate / 4));
                }
                double seconds = Math.max(records / recordRate, bytes / byteRate);
                if (seconds * 1e9 >= holdAfterNanos / 2.0) {
                    wait.put(shard, (long) (seconds * 1e9));
                }
            });
        }
        if (!s.waitingForMap.isEmpty()) {
            // Before the shard map is known nothing says which shard a record is for nor how many there are: count
            // what waits as if it were all for one shard, and hold the stream's keys (ALL_SHARDS) if that is too much.
            long records = s.waitingForMap.size();
            long bytes = 0;
            for (PendingUserRecord r : s.waitingForMap) {
                bytes += r.wireBytes();
            }
            double seconds = Math.max(records / (double) Limiter.SHARD_RECORDS_PER_SECOND,
                    bytes / (double) Limiter.SHARD_BYTES_PER_SECOND);
            wait.put(ALL_SHARDS, (long) (seconds * 1e9));
        }
        long oldest = s.collector.oldestArrivalNanos();
        if (oldest != Long.MAX_VALUE && now - oldest >= holdAfterNanos / 2) {
            Map<String, Long> byShard = new HashMap<>();
            s.collector.oldestArrivalByShard(byShard);
            byShard.forEach((shard, arrived) -> wait.merge(shard, now - arrived, Math::max));
        }
        if (s.heldShards.isEmpty() && wait.isEmpty()) {
            return; // the common case: nothing waits long, nothing is held
        }
        s.heldShards.removeIf(shard -> wait.getOrDefault(shard, 0L) < holdAfterNanos / 2);
        wait.forEach((shard, waits) -> {
            if (waits >= holdAfterNanos) {
                s.heldShards.add(shard);
            }
        });
    }

    /** Tells the callers' side which keys are held, if that changed. */
    void publish(Collection<StreamState> streams) {
        if (heldKeys.isEmpty()) {
            boolean anyHeld = false;
            for (StreamState s : streams) {
                anyHeld |= !s.heldShards.isEmpty();
            }
            if (!anyHeld) {
                return; // every tick: nothing held, nothing was
            }
        }
        Map<String, List<HashKeyRange>> now = new HashMap<>();
        for (StreamState s : streams) {
            if (s.heldShards.isEmpty()) {
                continue;
            }
            List<HashKeyRange> ranges = new ArrayList<>();
            for (String shard : s.heldShards) {
                HashKeyRange range = s.snapshot == null || Boolean.TRUE.equals(s.auto) ? null
                        : s.snapshot.rangeOf(shard);
                // an AUTO stream's lanes, or a shard no longer listed: its records may have any key
                ranges.add(range != null ? range : HashKeyRange.ALL);
            }
            now.put(s.name, List.copyOf(ranges));
        }
        if (!now.equals(heldKeys)) {
            heldKeys = Map.copyOf(now);
            callers.accept(heldKeys);
        }
    }
}
