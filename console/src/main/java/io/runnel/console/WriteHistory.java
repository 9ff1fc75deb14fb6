package io.runnel.console;

import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What each stream and shard took over the last {@value #POINTS} samples (one a second): records and bytes a second
 * per stream, records and throttled records a second per shard. Fed by {@link #sample}, read by the console's JSON;
 * thread-safe (one lock: a sample of every stream is a few microseconds).
 */
final class WriteHistory {
    /** Samples kept per series: five minutes at one a second. */
    static final int POINTS = 300;

    /** Rates of one stream or shard: seconds since the epoch, and two rates a second. */
    static final class Series {
        final long[] seconds = new long[POINTS];
        final double[] first = new double[POINTS];
        final double[] second = new double[POINTS];
        int size;
        int head; // index of the oldest point
        long lastMillis = -1;
        long lastFirst;
        long lastSecond;

        void add(long nowMillis, long firstTotal, long secondTotal) {
            if (lastMillis >= 0 && nowMillis > lastMillis) {
                double perSecond = 1000.0 / (nowMillis - lastMillis);
                int at = (head + size) % POINTS;
                if (size == POINTS) {
                    head = (head + 1) % POINTS;
                } else {
                    size++;
                }
                seconds[at] = nowMillis / 1000;
                first[at] = Math.max(0, firstTotal - lastFirst) * perSecond;
                second[at] = Math.max(0, secondTotal - lastSecond) * perSecond;
            }
            lastMillis = nowMillis;
            lastFirst = firstTotal;
            lastSecond = secondTotal;
        }

        /** Calls {@code each} for every point, oldest first. */
        void forEach(Point each) {
            for (int i = 0; i < size; i++) {
                int at = (head + i) % POINTS;
                each.accept(seconds[at], first[at], second[at]);
            }
        }
    }

    /** One point of a series. */
    interface Point {
        void accept(long epochSecond, double first, double second);
    }

    private final StreamStore store;
    private final Map<String, Series> streams = new HashMap<>(); // guarded by this
    private final Map<String, Map<String, Series>> shards = new HashMap<>(); // guarded by this

    WriteHistory(StreamStore store) {
        this.store = store;
    }

    /** Reads every stream's and shard's counters now; forgets the streams that are gone. */
    synchronized void sample(long nowMillis) {
        Set<String> seen = new HashSet<>();
        for (StreamState s : store.streams()) {
            seen.add(s.name());
            long records = 0;
            long bytes = 0;
            Map<String, Series> perShard = shards.computeIfAbsent(s.name(), k -> new HashMap<>());
            Set<String> shardIds = new HashSet<>();
            for (ShardState shard : s.shards()) {
                long written = shard.written().records();
                records += written;
                bytes += shard.written().bytes();
                shardIds.add(shard.shardId());
                perShard.computeIfAbsent(shard.shardId(), k -> new Series()).add(nowMillis, written,
                        shard.written().throttledRecords());
            }
            perShard.keySet().retainAll(shardIds);
            streams.computeIfAbsent(s.name(), k -> new Series()).add(nowMillis, records, bytes);
        }
        streams.keySet().retainAll(seen);
        shards.keySet().retainAll(seen);
    }

    /** Reads a stream's series (records and bytes a second) under the lock; nothing when it has none yet. */
    synchronized void stream(String name, Point each) {
        Series s = streams.get(name);
        if (s != null) {
            s.forEach(each);
        }
    }

    /** Reads a shard's series (records and throttled records a second) under the lock. */
    synchronized void shard(String stream, String shardId, Point each) {
        Map<String, Series> perShard = shards.get(stream);
        Series s = perShard == null ? null : perShard.get(shardId);
        if (s != null) {
            s.forEach(each);
        }
    }
}
