package io.runnel.cli.loadgen;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spaces records at a target rate: record {@code n} is due at {@code start + n / rate}, and {@link #await()} waits
 * until the next record is due. A wait shorter than {@link #MIN_PARK_NANOS} is not taken: that record goes up to 1 ms
 * early, so at high rates records leave in groups about a millisecond apart rather than with a park each (a park
 * sleeps at least the kernel's timer slack, ~50 µs, and costs two context switches: at 50,000 records/s, one per
 * record cost more CPU than the producer did). The average rate is exact either way. A sender that falls behind
 * catches up by at most {@link #MAX_CATCH_UP_NANOS} worth of records, then the schedule restarts from now, so a stall
 * never turns into a burst. Rate 0 means no pacing. Not thread-safe: one sending thread.
 */
public final class Pacer {
    /** How far behind schedule the sender may be before the schedule is moved (10 ms). */
    static final long MAX_CATCH_UP_NANOS = 10_000_000L;
    /** The shortest wait worth a park (1 ms); a record due sooner goes now. */
    static final long MIN_PARK_NANOS = 1_000_000L;

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
        this.nanoTime = nanoTime;
        this.parker = parker;
    }

    /**
     * Returns when the next record is due, or less than {@link #MIN_PARK_NANOS} before (at once without a rate).
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
        while (due - now >= MIN_PARK_NANOS && !Thread.currentThread().isInterrupted()) {
            parker.parkNanos(due - now);
            now = nanoTime.getAsLong();
        }
        dueSinceStart++;
    }
}
