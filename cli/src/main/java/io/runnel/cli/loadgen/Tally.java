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
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /** A record is in the stream, {@code latencyNanos} after it was handed to the client. */
    public void succeeded(long latencyNanos) {
        latencyMicros.recordValue(Math.max(1, latencyNanos / 1000));
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
}
