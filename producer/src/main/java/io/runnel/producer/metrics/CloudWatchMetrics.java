package io.runnel.producer.metrics;

import io.runnel.wire.cloudwatch.Dimension;
import io.runnel.wire.cloudwatch.MetricDatum;
import io.runnel.wire.cloudwatch.StatisticSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * {@link ProducerMetrics} that accumulates the KPL's metrics for CloudWatch, one statistic set (count, sum, min,
 * max) per series and interval, as the KPL's metrics manager does.
 *
 * <p>Series follow the KPL's dimension tree: each value is also counted in every coarser series, so at
 * {@code MetricsGranularity} SHARD a metric has a series with no dimension, one per {@code StreamName}, and one per
 * {@code StreamName}+{@code ShardId} (where the shard is known); STREAM stops at the stream, GLOBAL at the first.
 * {@code ErrorsByCode} is further split by {@code ErrorCode} (outermost dimension, as in the KPL). Values follow the
 * KPL: UserRecordsPut is 1 per record put and 0 per record failed (so its sum counts puts and its sample count
 * finished records), AllErrors 1 per failed attempt and 0 per Kinesis record put, times in milliseconds.
 *
 * <p>Thread-safe. Recording costs a few map lookups (no allocation once a series exists) and one short uncontended
 * lock per series touched; {@link #drain} takes each series' statistics and starts the next interval.
 */
public final class CloudWatchMetrics implements ProducerMetrics, MetricDataSource {
    private static final KplMetric[] METRICS = KplMetric.values();

    private final boolean[] enabled = new boolean[METRICS.length];
    private final boolean byStream;
    private final boolean byShard;
    private final LongSupplier outstanding;
    private final Node root = new Node();
    /** ErrorsByCode by code: series [ErrorCode], children [ErrorCode, StreamName]. */
    private final Map<String, Node> codes = new ConcurrentHashMap<>();

    /**
     * @param level       SUMMARY or DETAILED
     * @param granularity GLOBAL, STREAM or SHARD
     * @param outstanding the producer's outstanding user records, sampled for the global UserRecordsPending
     */
    public CloudWatchMetrics(String level, String granularity, LongSupplier outstanding) {
        for (KplMetric m : METRICS) {
            enabled[m.ordinal()] = m.enabledAt(level);
        }
        this.byStream = !"GLOBAL".equals(granularity);
        this.byShard = "SHARD".equals(granularity);
        this.outstanding = outstanding;
    }

    /**
     * One series' samples of the current interval. Samples of 1 (a record received, a Kinesis record put) are only
     * counted, without the lock: adding threads record one per user record.
     */
    private static final class Stat {
        private long count; // all guarded by this
        private double sum;
        private double min;
        private double max;
        private final LongAdder ones = new LongAdder(); // samples of 1, ever
        private long onesDrained; // guarded by this: how many of them earlier intervals took

        void put(double v) {
            putAll(1, v, v, v);
        }

        /** {@code n} samples with this sum, minimum and maximum; one sample of 1 takes no lock. */
        void putAll(long n, double total, double low, double high) {
            if (n == 1 && total == 1) {
                ones.increment();
            } else {
                merge(n, total, low, high);
            }
        }

        private synchronized void merge(long n, double total, double low, double high) {
            if (n <= 0) {
                return;
            }
            if (count == 0 || low < min) {
                min = low;
            }
            if (count == 0 || high > max) {
                max = high;
            }
            count += n;
            sum += total;
        }

        /** The interval's statistics, or null when there was no sample; starts a new interval. */
        synchronized StatisticSet drain() {
            long newOnes = ones.sum() - onesDrained; // an increment racing this one counts in the next interval
            onesDrained += newOnes;
            merge(newOnes, newOnes, 1, 1);
            if (count == 0) {
                return null;
            }
            StatisticSet s = new StatisticSet(count, sum, min, max);
            count = 0;
            sum = 0;
            return s;
        }
    }

    /** A point of the dimension tree: its series per metric and its children (streams, then shards). */
    private static final class Node {
        final Stat[] stats = new Stat[METRICS.length];
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final LongAdder received = new LongAdder(); // stream nodes: UserRecordsPending = received - finished
        final LongAdder finished = new LongAdder();

        Node() {
            for (int i = 0; i < stats.length; i++) {
                stats[i] = new Stat();
            }
        }

        Node child(String key) {
            Node n = children.get(key);
            return n != null ? n : children.computeIfAbsent(key, k -> new Node());
        }
    }

    /** {@code n} samples (sum, minimum, maximum) of a metric, into each series they count in. */
    private void putAll(KplMetric m, String stream, String shard, long n, double total, double low, double high) {
        int i = m.ordinal();
        if (!enabled[i]) {
            return;
        }
        root.stats[i].putAll(n, total, low, high);
        if (byStream && stream != null) {
            Node s = root.child(stream);
            s.stats[i].putAll(n, total, low, high);
            if (byShard && shard != null) {
                s.child(shard).stats[i].putAll(n, total, low, high);
            }
        }
    }

    private void put(KplMetric m, String stream, String shard, double v) {
        putAll(m, stream, shard, 1, v, v, v);
    }

    @Override
    public void userRecordReceived(String stream, long bytes) {
        put(KplMetric.USER_RECORDS_RECEIVED, stream, null, 1);
        root.child(stream).received.increment();
    }

    @Override
    public void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos, int retries) {
        root.child(stream).finished.increment();
        put(KplMetric.USER_RECORDS_PUT, stream, shardId, 1);
        put(KplMetric.USER_RECORDS_DATA_PUT, stream, shardId, bytes);
        put(KplMetric.BUFFERING_TIME, stream, shardId, bufferingNanos / 1e6);
        put(KplMetric.RETRIES_PER_RECORD, stream, shardId, retries);
    }

    /** As {@link #userRecordPut} for each, with one lock per series and metric for all of them. */
    @Override
    public void userRecordsPut(String stream, String shardId, int count, long[] bytes, long[] bufferingNanos,
            int[] retries) {
        if (count <= 0) {
            return;
        }
        root.child(stream).finished.add(count);
        putAll(KplMetric.USER_RECORDS_PUT, stream, shardId, count, count, 1, 1);
        long bytesSum = 0;
        long bytesMin = Long.MAX_VALUE;
        long bytesMax = Long.MIN_VALUE;
        long nanosSum = 0;
        long nanosMin = Long.MAX_VALUE;
        long nanosMax = Long.MIN_VALUE;
        long retriesSum = 0;
        int retriesMin = Integer.MAX_VALUE;
        int retriesMax = Integer.MIN_VALUE;
        for (int i = 0; i < count; i++) {
            bytesSum += bytes[i];
            bytesMin = Math.min(bytesMin, bytes[i]);
            bytesMax = Math.max(bytesMax, bytes[i]);
            nanosSum += bufferingNanos[i];
            nanosMin = Math.min(nanosMin, bufferingNanos[i]);
            nanosMax = Math.max(nanosMax, bufferingNanos[i]);
            retriesSum += retries[i];
            retriesMin = Math.min(retriesMin, retries[i]);
            retriesMax = Math.max(retriesMax, retries[i]);
        }
        putAll(KplMetric.USER_RECORDS_DATA_PUT, stream, shardId, count, bytesSum, bytesMin, bytesMax);
        putAll(KplMetric.BUFFERING_TIME, stream, shardId, count, nanosSum / 1e6, nanosMin / 1e6, nanosMax / 1e6);
        putAll(KplMetric.RETRIES_PER_RECORD, stream, shardId, count, retriesSum, retriesMin, retriesMax);
    }

    @Override
    public void userRecordFailed(String stream, String code, int retries) {
        root.child(stream).finished.increment();
        put(KplMetric.USER_RECORDS_PUT, stream, null, 0);
        if ("Expired".equals(code)) {
            put(KplMetric.USER_RECORD_EXPIRED, stream, null, 1);
        }
        put(KplMetric.RETRIES_PER_RECORD, stream, null, retries);
    }

    @Override
    public void kinesisRecordPut(String stream, String shardId, long bytes, int userRecords) {
        put(KplMetric.KINESIS_RECORDS_PUT, stream, shardId, 1);
        put(KplMetric.KINESIS_RECORDS_DATA_PUT, stream, shardId, bytes);
        put(KplMetric.ALL_ERRORS, stream, shardId, 0);
        put(KplMetric.USER_RECORDS_PER_KINESIS_RECORD, stream, shardId, userRecords);
    }

    @Override
    public void putRecordsRequest(String stream, long nanos, boolean failed, int kinesisRecords, int userRecords) {
        put(KplMetric.REQUEST_TIME, stream, null, nanos / 1e6);
        put(KplMetric.KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST, stream, null, kinesisRecords);
        put(KplMetric.USER_RECORDS_PER_PUT_RECORDS_REQUEST, stream, null, userRecords);
    }

    @Override
    public void attemptFailed(String stream, String code, boolean retried) {
        put(KplMetric.ALL_ERRORS, stream, null, 1);
        int i = KplMetric.ERRORS_BY_CODE.ordinal();
        if (!enabled[i]) {
            return;
        }
        root.stats[i].put(1); // the KPL's tree has the bare name too
        Node c = codes.get(code);
        if (c == null) {
            c = codes.computeIfAbsent(code, k -> new Node());
        }
        c.stats[i].put(1);
        if (byStream && stream != null) {
            c.child(stream).stats[i].put(1);
        }
    }

    /**
     * Samples UserRecordsPending: the producer's outstanding records (no dimension) and each stream's (records
     * received and not yet put or failed). The uploader calls this every second, as the KPL samples it.
     */
    public void samplePending() {
        int i = KplMetric.USER_RECORDS_PENDING.ordinal();
        if (!enabled[i]) {
            return;
        }
        root.stats[i].put(outstanding.getAsLong());
        if (byStream) {
            for (Node s : root.children.values()) {
                s.stats[i].put(Math.max(0, s.received.sum() - s.finished.sum()));
            }
        }
    }

    /** Samples UserRecordsPending ({@link #samplePending()}). */
    @Override
    public void sample() {
        samplePending();
    }

    /** Every series with samples since the last drain, stamped {@code timestamp}; starts the next interval. */
    @Override
    public List<MetricDatum> drain(Instant timestamp) {
        List<MetricDatum> out = new ArrayList<>();
        drain(root, List.of(), 1 + (byStream ? 1 : 0) + (byShard ? 1 : 0), timestamp, out);
        for (Map.Entry<String, Node> c : codes.entrySet()) {
            drain(c.getValue(), List.of(dimension(KplMetric.ERROR_CODE, c.getKey())), byStream ? 2 : 1, timestamp,
                    out);
        }
        return out;
    }

    private void drain(Node node, List<Dimension> dims, int depth, Instant timestamp, List<MetricDatum> out) {
        for (KplMetric m : METRICS) {
            StatisticSet s = node.stats[m.ordinal()].drain();
            if (s != null) {
                out.add(new MetricDatum(m.metricName(), dims, timestamp, m.unit(), s));
            }
        }
        if (depth <= 1) {
            return;
        }
        String childDimension = dims.isEmpty() || dims.get(dims.size() - 1).name().equals(KplMetric.ERROR_CODE)
                ? KplMetric.STREAM_NAME : KplMetric.SHARD_ID;
        for (Map.Entry<String, Node> e : node.children.entrySet()) {
            List<Dimension> childDims = new ArrayList<>(dims);
            childDims.add(dimension(childDimension, e.getKey()));
            drain(e.getValue(), childDims, depth - 1, timestamp, out);
        }
    }

    /** A dimension, its value cut to the API's 1,024 characters (error codes come from outside). */
    private static Dimension dimension(String name, String value) {
        String v = value.isEmpty() ? "(empty)" : value;
        return new Dimension(name, v.length() > 1024 ? v.substring(0, 1024) : v);
    }
}
