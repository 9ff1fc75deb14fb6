package io.runnel.cli.loadgen;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Outcomes of the records of a run as clients report them: successes with their latency, failures with the first
 * error, and the request-level counters. Thread-safe (clients report from their own threads).
 */
public final class Tally {
    private final LongAdder ok = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder putRecordsCalls = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder throttles = new LongAdder();
    private final Recorder latencyMicros = new Recorder(3);
    private final Recorder steadyLatencyMicros = new Recorder(3);
    private volatile long steadyFromNanos;
    private volatile boolean steadyFromSet;
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /**
     * Records handed to the client from {@code nanos} on ({@link System#nanoTime}) count for the steady state too:
     * the latency past the start-up (JIT, connections, the first shard maps) that {@link #takeSteadyLatencyMicros}
     * gives.
     */
    public void steadyFrom(long nanos) {
        steadyFromNanos = nanos;
        steadyFromSet = true;
    }

    /** A record handed to the client at {@code handedNanos} is in the stream since {@code doneNanos}. */
    public void succeeded(long handedNanos, long doneNanos) {
        long micros = Math.max(1, (doneNanos - handedNanos) / 1000);
        latencyMicros.recordValue(micros);
        if (steadyFromSet && handedNanos - steadyFromNanos >= 0) {
            steadyLatencyMicros.recordValue(micros);
        }
        ok.increment();
    }

    /** A record finally failed; {@code reason} describes why (the first one is kept for the summary). */
    public void failed(String reason) {
        firstError.compareAndSet(null, reason);
        failed.increment();
    }

    /** {@code n} PutRecords requests were answered (successfully or not). */
    public void putRecordsCalls(long n) {
        putRecordsCalls.add(n);
    }

    /** {@code n} record attempts failed and will be tried again. */
    public void retried(long n) {
        retries.add(n);
    }

    /** {@code n} attempts were refused with a throughput error (ProvisionedThroughputExceeded and alike). */
    public void throttled(long n) {
        throttles.add(n);
    }

    /** Records in the stream so far. */
    public long ok() {
        return ok.sum();
    }

    /** Records that failed for good so far. */
    public long failed() {
        return failed.sum();
    }

    /** Records whose outcome is known. */
    public long completed() {
        return ok.sum() + failed.sum();
    }

    /** PutRecords requests answered so far. */
    public long putRecordsCalls() {
        return putRecordsCalls.sum();
    }

    /** Record attempts retried so far. */
    public long retries() {
        return retries.sum();
    }

    /** Attempts refused with a throughput error so far. */
    public long throttles() {
        return throttles.sum();
    }

    /** The first failure's description, or null. */
    public String firstError() {
        return firstError.get();
    }

    /** Latencies (microseconds) recorded since the previous call; call it once at the end for all of them. */
    public Histogram takeLatencyMicros() {
        return latencyMicros.getIntervalHistogram();
    }

    /** As {@link #takeLatencyMicros}, for the records handed over from {@link #steadyFrom} on. */
    public Histogram takeSteadyLatencyMicros() {
        return steadyLatencyMicros.getIntervalHistogram();
    }
}
