package io.runnel.cli.loadgen;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spaces records at a target rate: record {@code n} is due at {@code start + n / rate}, and {@link #await()} waits
 * until the next record is due. A wait shorter than the pacer's shortest park is not taken: that record goes early,
 * so records leave in groups rather than with a park each (a park sleeps at least the kernel's timer slack, ~50 µs,
 * and costs two context switches, tens of microseconds of CPU on a virtual machine: at 50,000 records/s one per record
 * cost more CPU than the producer did, and at 3,000 records/s one per four records a third of the process's CPU). The
 * shortest park is the time {@link #GROUP} records take, at least {@link #MIN_PARK_NANOS} and at most
 * {@link #MAX_PARK_NANOS}: groups of 64 a millisecond or more apart at high rates, at most 5 ms apart at low ones
 * (below 200 records/s each record has its own park). The average rate is exact either way. A sender that falls behind
 * catches up by at most {@link #MAX_CATCH_UP_NANOS} worth of records, then the schedule restarts from now, so a stall
 * never turns into a burst. Rate 0 means no pacing. Not thread-safe: one sending thread.
 */
public final class Pacer {
    /** How far behind schedule the sender may be before the schedule is moved (10 ms). */
    static final long MAX_CATCH_UP_NANOS = 10_000_000L;
    /** The shortest park at any rate (1 ms). */
    static final long MIN_PARK_NANOS = 1_000_000L;
    /** The longest that a park's group may span (5 ms). */
    static final long MAX_PARK_NANOS = 5_000_000L;
    /** Records per park, where the two bounds above allow. */
    static final int GROUP = 64;

    /** Waits about the given nanoseconds (may return early or late). */
    @FunctionalInterface
    public interface Parker {
        /**
         * Waits.
         *
         * @param nanos about how long, positive
         */
        void parkNanos(long nanos);
    }

    private final double intervalNanos;
    private final long minParkNanos; // the shortest wait worth a park; a record due sooner goes now
    private final LongSupplier nanoTime;
    private final Parker parker;
    private long scheduleStartNanos;
    private long dueSinceStart;
    private boolean started;

    /**
     * A pacer on the system's monotonic clock, waiting with {@link LockSupport#parkNanos(long)}.
     *
     * @param recordsPerSecond target rate, 0 for no pacing
     * @throws IllegalArgumentException when the rate is negative, NaN or infinite
     */
    public Pacer(double recordsPerSecond) {
        this(recordsPerSecond, System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * A pacer on a given clock (tests drive it by hand).
     *
     * @param recordsPerSecond target rate, 0 for no pacing
     * @param nanoTime         monotonic clock
     * @param parker           how to wait
     * @throws IllegalArgumentException when the rate is negative, NaN or infinite
     */
    public Pacer(double recordsPerSecond, LongSupplier nanoTime, Parker parker) {
        if (recordsPerSecond < 0 || Double.isNaN(recordsPerSecond) || Double.isInfinite(recordsPerSecond)) {
            throw new IllegalArgumentException("--rate must be 0 or a positive number, was " + recordsPerSecond);
        }
        this.intervalNanos = recordsPerSecond == 0 ? 0 : 1e9 / recordsPerSecond;
        this.minParkNanos = (long) Math.min(MAX_PARK_NANOS, Math.max(MIN_PARK_NANOS, GROUP * intervalNanos));
        this.nanoTime = nanoTime;
        this.parker = parker;
    }

    /**
     * Returns when the next record is due, or less than the shortest park before (at once without a rate).
     * Interrupts end the wait early.
     */
    public void await() {
        if (intervalNanos == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!started) {
            started = true;
            scheduleStartNanos = now;
            dueSinceStart = 0;
        }
        long due = scheduleStartNanos + (long) (dueSinceStart * intervalNanos);
        if (now - due > MAX_CATCH_UP_NANOS) {
            scheduleStartNanos = now;
            dueSinceStart = 0;
            due = now;
        }
        while (due - now >= minParkNanos && !Thread.currentThread().isInterrupted()) {
            parker.parkNanos(due - now);
            now = nanoTime.getAsLong();
        }
        dueSinceStart++;
    }
}
