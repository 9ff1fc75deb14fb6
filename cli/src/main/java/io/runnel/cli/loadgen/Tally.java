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
     *
     * @param nanos the steady state's start, on {@link System#nanoTime}'s clock
     */
    public void steadyFrom(long nanos) {
        steadyFromNanos = nanos;
        steadyFromSet = true;
    }

    /**
     * A record is in the stream; its latency is recorded (at least 1 µs).
     *
     * @param handedNanos when it was handed to the client ({@link System#nanoTime})
     * @param doneNanos   when the client learnt it was in the stream ({@link System#nanoTime})
     */
    public void succeeded(long handedNanos, long doneNanos) {
        long micros = Math.max(1, (doneNanos - handedNanos) / 1000);
        latencyMicros.recordValue(micros);
        if (steadyFromSet && handedNanos - steadyFromNanos >= 0) {
            steadyLatencyMicros.recordValue(micros);
        }
        ok.increment();
    }

    /**
     * A record failed for good.
     *
     * @param reason why, for the summary (the first reason is kept)
     */
    public void failed(String reason) {
        firstError.compareAndSet(null, reason);
        failed.increment();
    }

    /**
     * PutRecords requests were answered (successfully or not).
     *
     * @param n how many
     */
    public void putRecordsCalls(long n) {
        putRecordsCalls.add(n);
    }

    /**
     * Record attempts failed and will be tried again.
     *
     * @param n how many
     */
    public void retried(long n) {
        retries.add(n);
    }

    /**
     * Attempts were refused with a throughput error (ProvisionedThroughputExceeded and alike).
     *
     * @param n how many
     */
    public void throttled(long n) {
        throttles.add(n);
    }

    /** {@return the records in the stream so far} */
    public long ok() {
        return ok.sum();
    }

    /** {@return the records that failed for good so far} */
    public long failed() {
        return failed.sum();
    }

    /** {@return the records whose outcome is known} */
    public long completed() {
        return ok.sum() + failed.sum();
    }

    /** {@return the PutRecords requests answered so far} */
    public long putRecordsCalls() {
        return putRecordsCalls.sum();
    }

    /** {@return the record attempts retried so far} */
    public long retries() {
        return retries.sum();
    }

    /** {@return the attempts refused with a throughput error so far} */
    public long throttles() {
        return throttles.sum();
    }

    /** {@return the first failure's description, or null when none failed} */
    public String firstError() {
        return firstError.get();
    }

    /**
     * {@return the latencies (microseconds) recorded since the previous call} Call it once at the end for all of
     * them.
     */
    public Histogram takeLatencyMicros() {
        return latencyMicros.getIntervalHistogram();
    }

    /**
     * {@return the latencies (microseconds) since the previous call of the records handed over from
     * {@link #steadyFrom} on}
     */
    public Histogram takeSteadyLatencyMicros() {
        return steadyLatencyMicros.getIntervalHistogram();
    }
}
