package io.runnel.producer.metrics;

import java.util.List;

/** Reports every event to each of several {@link ProducerMetrics}, in order. Thread-safe when they are. */
public final class CompositeProducerMetrics implements ProducerMetrics {
    private final ProducerMetrics[] targets;

    private CompositeProducerMetrics(ProducerMetrics[] targets) {
        this.targets = targets;
    }

    /**
     * Combines metrics.
     *
     * @param targets the metrics to report to, in order; null and NOOP entries are left out
     * @return metrics that report to all of {@code targets}: the one itself when only one remains, NOOP when none does
     */
    public static ProducerMetrics of(List<ProducerMetrics> targets) {
        List<ProducerMetrics> live = targets.stream().filter(t -> t != null && t != ProducerMetrics.NOOP).toList();
        if (live.isEmpty()) {
            return ProducerMetrics.NOOP;
        }
        return live.size() == 1 ? live.get(0) : new CompositeProducerMetrics(live.toArray(new ProducerMetrics[0]));
    }

    @Override
    public void userRecordReceived(String stream, long bytes) {
        for (ProducerMetrics t : targets) {
            t.userRecordReceived(stream, bytes);
        }
    }

    @Override
    public void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos, int retries) {
        for (ProducerMetrics t : targets) {
            t.userRecordPut(stream, shardId, bytes, bufferingNanos, retries);
        }
    }

    @Override
    public void userRecordsPut(String stream, String shardId, int count, long[] bytes, long[] bufferingNanos,
            int[] retries) {
        for (ProducerMetrics t : targets) {
            t.userRecordsPut(stream, shardId, count, bytes, bufferingNanos, retries);
        }
    }

    @Override
    public void userRecordFailed(String stream, String code, int retries) {
        for (ProducerMetrics t : targets) {
            t.userRecordFailed(stream, code, retries);
        }
    }

    @Override
    public void kinesisRecordPut(String stream, String shardId, long bytes, int userRecords) {
        for (ProducerMetrics t : targets) {
            t.kinesisRecordPut(stream, shardId, bytes, userRecords);
        }
    }

    @Override
    public void putRecordsRequest(String stream, long nanos, boolean failed, int kinesisRecords, int userRecords) {
        for (ProducerMetrics t : targets) {
            t.putRecordsRequest(stream, nanos, failed, kinesisRecords, userRecords);
        }
    }

    @Override
    public void attemptFailed(String stream, String code, boolean retried) {
        for (ProducerMetrics t : targets) {
            t.attemptFailed(stream, code, retried);
        }
    }
}
