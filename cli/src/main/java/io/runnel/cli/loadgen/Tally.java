package io.runnel.cli.loadgen;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Outcomes of the records of a run as clients report them: successes with their latency, failures with the first
 * error, and the request-level counters. Thread-safe (clients report from their own threads).
 */
public final class Tally {
    /** The longest latency a histogram tells apart (an hour); a longer one counts as that. */
    static final long MAX_LATENCY_MICROS = java.util.concurrent.TimeUnit.HOURS.toMicros(1);

    private final LongAdder failed = new LongAdder();
    private final LongAdder putRecordsCalls = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder throttles = new LongAdder();
    // Successes go to the reporting thread's own histograms and count (a record's callback runs on the producer's
    // callback thread, hundreds of thousands of times a second), written by that thread alone: no lock and no atomic
    // update per record (each a full fence), where a lock and a thread-local lookup per record plus a shared counter
    // were about a seventh of that thread's time in a profile.
    private final Queue<Latencies> latencies = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<Latencies> mine = ThreadLocal.withInitial(() -> {
        Latencies l = new Latencies(Thread.currentThread());
        latencies.add(l);
        return l;
    });
    // The first reporting thread's, which skips the thread-local lookup (the producer's callback thread reports
    // every record). Written once, not by each thread in turn: clients that report from several threads would
    // otherwise write it from every core per record. A plain field: a stale null only sends a thread to the lookup,
    // and the object's final fields are safe to read however it was published.
    private Latencies first;
    private volatile long steadyFromNanos;
    private volatile int steadyFromSet; // 1 once set
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
        steadyFromSet = 1;
    }

    /**
     * A record is in the stream; its latency is recorded (at least 1 µs).
     *
     * @param handedNanos when it was handed to the client ({@link System#nanoTime})
     * @param doneNanos   when the client learnt it was in the stream ({@link System#nanoTime})
     */
    public void succeeded(long handedNanos, long doneNanos) {
        long micros = Math.min(MAX_LATENCY_MICROS, Math.max(1, (doneNanos - handedNanos) / 1000));
        Latencies l = first;
        if (l == null || l.owner != Thread.currentThread()) {
            l = mine.get();
            if (first == null) {
                first = l;
            }
        }
        // 1 in the steady state, else 0, worked out without a branch: a branch first taken 5 s into the run (when
        // the steady state begins) sent the compiled callback path back to the interpreter to be compiled again
        l.record(micros, steadyFromSet & (int) (~(handedNanos - steadyFromNanos) >>> 63));
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
        long n = 0;
        for (Latencies l : latencies) {
            n += l.count();
        }
        return n;
    }

    /** {@return the records that failed for good so far} */
    public long failed() {
        return failed.sum();
    }

    /** {@return the records whose outcome is known} */
    public long completed() {
        return ok() + failed.sum();
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

    /**
     * Once {@link #ok} counts every success, their latencies are all here: each thread's count is written after its
     * histograms. (Read while a thread still reports, as after a run that timed out, the copy may lack its last ones.)
     */
    private Histogram merged(boolean steady) {
        Histogram out = newHistogram();
        for (Latencies l : latencies) {
            l.count(); // its histograms as of its count
            out.add(l.steady);
            if (!steady) {
                out.add(l.startUp);
            }
        }
        return out;
    }

    private static Histogram newHistogram() {
        // a fixed range, never resized: a copy taken while its thread records reads arrays that stay in place
        return new Histogram(MAX_LATENCY_MICROS, 3);
    }

    /** One reporting thread's successes: written by that thread alone, read by others after its count. */
    private static final class Latencies {
        final Thread owner;
        // by phase: the records handed over before the steady state, and those from it on (all: the two together)
        final Histogram startUp = newHistogram();
        final Histogram steady = newHistogram();
        private final Histogram[] byPhase = {startUp, steady};
        private final AtomicLong count = new AtomicLong();

        Latencies(Thread owner) {
            this.owner = owner;
        }

        /** The owner's thread only. */
        void record(long micros, int phase) {
            byPhase[phase].recordValue(micros);
            count.setRelease(count.getPlain() + 1); // after the histograms: whoever reads the count sees them
        }

        long count() {
            return count.getAcquire();
        }
    }
}
