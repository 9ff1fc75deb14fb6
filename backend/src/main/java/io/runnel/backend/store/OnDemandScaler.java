package io.runnel.backend.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits the busy shards of on-demand streams and merges their idle ones, after {@link OnDemandScaling}. Time comes
 * from the store's {@link TimeSource}: {@link #poll(long)} is called on a schedule (or by a test, with a manual
 * clock) and judges the writes since its previous look. Not thread-safe: one scheduling thread calls it.
 */
public final class OnDemandScaler {
    private static final Logger LOG = LoggerFactory.getLogger(OnDemandScaler.class);
    private static final double RECORDS_PER_SECOND = 1000;
    private static final double BYTES_PER_SECOND = 1024 * 1024;

    private final StreamStore store;
    private final OnDemandScaling settings;
    private final Map<String, Sample> samples = new HashMap<>(); // by stream ARN + shard id
    private long lastPollNanos = Long.MIN_VALUE;

    /** What a shard's meter said at the previous look, and since when it has been idle (or -1). */
    private record Sample(long records, long bytes, long idleSinceNanos) {
    }

    /**
     * A scaler that has not looked at any stream yet; its first {@link #poll(long)} only takes a sample.
     *
     * @param store    the streams to scale
     * @param settings when to split and merge
     */
    public OnDemandScaler(StreamStore store, OnDemandScaling settings) {
        this.store = store;
        this.settings = settings;
    }

    /**
     * Judges every on-demand stream once an interval has passed since the previous judgement.
     *
     * @param nowNanos the time now, monotonic nanos
     * @return whether any stream was resharded
     */
    public boolean poll(long nowNanos) {
        if (lastPollNanos != Long.MIN_VALUE && nowNanos - lastPollNanos < settings.interval().toNanos()) {
            return false;
        }
        double seconds = lastPollNanos == Long.MIN_VALUE ? 0 : (nowNanos - lastPollNanos) / 1e9;
        lastPollNanos = nowNanos;
        Map<String, Sample> next = new HashMap<>();
        boolean any = false;
        for (StreamState stream : store.streams()) {
            if (stream.mode() != StreamState.Mode.ON_DEMAND) {
                continue;
            }
            any |= judge(stream, seconds, nowNanos, next);
        }
        samples.clear();
        samples.putAll(next);
        return any;
    }

    private boolean judge(StreamState stream, double seconds, long nowNanos, Map<String, Sample> next) {
        List<ShardState> open = stream.openShards(); // in hash key order
        double[] load = new double[open.size()];
        boolean[] idleLongEnough = new boolean[open.size()];
        for (int i = 0; i < open.size(); i++) {
            ShardState shard = open.get(i);
            String key = stream.arn() + "/" + shard.shardId();
            long records = shard.written().records();
            long bytes = shard.written().bytes();
            Sample before = samples.get(key);
            if (before == null || seconds <= 0) {
                load[i] = -1; // first look at this shard: nothing to judge yet
                next.put(key, new Sample(records, bytes, nowNanos));
                continue;
            }
            load[i] = Math.max((records - before.records()) / seconds / RECORDS_PER_SECOND,
                    (bytes - before.bytes()) / seconds / BYTES_PER_SECOND);
            long idleSince = load[i] < settings.mergeBelow()
                    ? (before.idleSinceNanos() >= 0 ? before.idleSinceNanos() : nowNanos - (long) (seconds * 1e9))
                    : -1;
            idleLongEnough[i] = idleSince >= 0 && nowNanos - idleSince >= settings.mergeAfter().toNanos();
            next.put(key, new Sample(records, bytes, idleSince));
        }
        List<ShardState> hot = new ArrayList<>();
        for (int i = 0; i < open.size() && open.size() + hot.size() < settings.maxShards(); i++) {
            if (load[i] >= settings.splitAbove()) {
                hot.add(open.get(i));
            }
        }
        List<List<ShardState>> cold = new ArrayList<>();
        if (hot.isEmpty()) {
            int floor = store.settings().onDemandShards();
            for (int i = 0; i + 1 < open.size() && open.size() - cold.size() > floor; i++) {
                if (idleLongEnough[i] && idleLongEnough[i + 1]) {
                    cold.add(List.of(open.get(i), open.get(i + 1)));
                    i++; // pairs do not overlap
                }
            }
        }
        if ((hot.isEmpty() && cold.isEmpty()) || !store.rescale(stream, hot, cold)) {
            return false;
        }
        LOG.info("on-demand stream {}: {} open shards -> {} (split {} at >= {}% of a shard's write capacity, merged"
                + " {} idle under {}% for {} s)", stream.name(), open.size(), stream.openShards().size(),
                hot.stream().map(ShardState::shardId).toList(), Math.round(settings.splitAbove() * 100),
                cold.stream().map(p -> p.get(0).shardId() + "+" + p.get(1).shardId()).toList(),
                Math.round(settings.mergeBelow() * 100), settings.mergeAfter().toSeconds());
        return true;
    }
}
