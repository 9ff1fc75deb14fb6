package io.runnel.agent;

import io.runnel.producer.metrics.MetricDataSource;
import io.runnel.wire.cloudwatch.Dimension;
import io.runnel.wire.cloudwatch.MetricDatum;
import io.runnel.wire.cloudwatch.StatisticSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's own metrics for CloudWatch, in the Kinesis Agent's shape: namespace {@code cloudwatch.namespace} (default
 * {@value AgentConfig#DEFAULT_NAMESPACE}), one series per
 * destination (dimension {@value #DESTINATION} = {@code KinesisStream:<name>} or {@code DeliveryStream:<name>}),
 * {@code RecordsSent} and {@code RecordSendErrors} as the Kinesis Agent names them, plus {@code RecordsParsed} (lines
 * or multi-line records read) and {@code BytesBehind} (bytes of the tracked files not yet acknowledged, its
 * {@code FileTailer.BytesBehind}), which the Kinesis Agent only logs. Counts are per upload interval; flows with the
 * same destination add up. Thread-safe: {@link #drain} is called from the upload thread only.
 */
final class AgentMetrics implements MetricDataSource {
    static final String DESTINATION = "Destination";

    /** One flow's totals so far (counters only grow). */
    record FlowTotals(String destination, long recordsParsed, long recordsSent, long sendErrors, long bytesBehind) {
    }

    private final Supplier<List<FlowTotals>> totals;
    private final Map<String, long[]> last = new HashMap<>(); // confined to the upload thread: by destination

    /** @param totals each flow's totals now; called from the upload thread */
    AgentMetrics(Supplier<List<FlowTotals>> totals) {
        this.totals = totals;
    }

    /** The Kinesis Agent's Destination dimension value of a flow. */
    static String destination(AgentConfig.Flow flow) {
        return (flow.toFirehose() ? "DeliveryStream:" : "KinesisStream:") + flow.stream();
    }

    @Override
    public void sample() {
        // bytes behind is read at drain time
    }

    @Override
    public synchronized List<MetricDatum> drain(Instant timestamp) {
        Map<String, long[]> now = new LinkedHashMap<>();
        for (FlowTotals t : totals.get()) {
            long[] sum = now.computeIfAbsent(t.destination(), d -> new long[4]);
            sum[0] += t.recordsParsed();
            sum[1] += t.recordsSent();
            sum[2] += t.sendErrors();
            sum[3] += t.bytesBehind();
        }
        List<MetricDatum> out = new ArrayList<>();
        for (Map.Entry<String, long[]> e : now.entrySet()) {
            long[] v = e.getValue();
            long[] before = last.getOrDefault(e.getKey(), new long[4]);
            List<Dimension> dims = List.of(new Dimension(DESTINATION, e.getKey()));
            out.add(datum("RecordsParsed", dims, timestamp, "Count", Math.max(0, v[0] - before[0])));
            out.add(datum("RecordsSent", dims, timestamp, "Count", Math.max(0, v[1] - before[1])));
            out.add(datum("RecordSendErrors", dims, timestamp, "Count", Math.max(0, v[2] - before[2])));
            out.add(datum("BytesBehind", dims, timestamp, "Bytes", v[3]));
            last.put(e.getKey(), v);
        }
        return out;
    }

    private static MetricDatum datum(String name, List<Dimension> dims, Instant timestamp, String unit, long value) {
        return new MetricDatum(name, dims, timestamp, unit, new StatisticSet(1, value, value, value));
    }
}
