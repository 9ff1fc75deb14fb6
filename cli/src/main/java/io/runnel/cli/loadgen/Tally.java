package io.runnel.cli.loadgen;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

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
    // Latencies go to histograms of the reporting thread's own (a record's callback runs on the producer's callback
    // thread, hundreds of thousands of times a second): uncontended, one lock per record rather than the several
    // atomic updates of a shared concurrent histogram, which were a fifth of that thread's time in a profile.
    private final Queue<Latencies> latencies = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Latencies> mine = ThreadLocal.withInitial(() -> {
        Latencies l = new Latencies();
        latencies.add(l);
        return l;
    });
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
        mine.get().record(micros, steadyFromSet && handedNanos - steadyFromNanos >= 0);
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

    /** {@return the latencies (microseconds) recorded so far, a copy} */
    public Histogram takeLatencyMicros() {
        return merged(false);
    }

    /** {@return the latencies (microseconds) recorded so far of the records handed over from {@link #steadyFrom} on} */
    public Histogram takeSteadyLatencyMicros() {
        return merged(true);
    }

    private Histogram merged(boolean steady) {
        Histogram out = new Histogram(3);
        for (Latencies l : latencies) {
            l.addTo(out, steady);
        }
        return out;
    }

    /** One reporting thread's latencies; the lock is that thread's but for the moment they are read. */
    private static final class Latencies {
        private final Histogram all = new Histogram(3);
        private final Histogram steady = new Histogram(3);

        synchronized void record(long micros, boolean inSteadyState) {
            all.recordValue(micros);
            if (inSteadyState) {
                steady.recordValue(micros);
            }
        }

        synchronized void addTo(Histogram out, boolean steadyOnly) {
            out.add(steadyOnly ? steady : all);
        }
    }
}
