package io.runnel.cli.loadgen;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Shows a run's progress while it goes — a bar redrawn in place on a terminal, a line every few seconds otherwise —
 * and samples the completion rate for the throughput plot. Runs on its own daemon thread between {@link #start} and
 * {@link #stop}.
 */
public final class Progress {
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long LINE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int BAR_WIDTH = 30;

    /** One throughput sample: records completed per second over the interval ending {@code seconds} into the run. */
    public record Sample(double seconds, double recordsPerSecond) {
    }

    private final PrintWriter out;
    private final boolean terminal;
    private final LongSupplier completed;
    private final LongSupplier handedOver;
    private final long totalRecords;
    private final long durationNanos;
    private final Object lock = new Object();
    private final List<Sample> samples = new ArrayList<>(); // guarded by lock
    private Thread thread;
    private long startNanos;

    /**
     * @param out           where to draw
     * @param terminal      whether {@code out} is a terminal (redraw in place) or a log (periodic lines)
     * @param completed     records with a known outcome so far
     * @param handedOver    records handed to the client so far
     * @param totalRecords  records the run will send, or 0 when it runs for a duration
     * @param durationNanos how long the run sends, or 0 when it sends a number of records
     */
    public Progress(PrintWriter out, boolean terminal, LongSupplier completed, LongSupplier handedOver,
            long totalRecords, long durationNanos) {
        this.out = out;
        this.terminal = terminal;
        this.completed = completed;
        this.handedOver = handedOver;
        this.totalRecords = totalRecords;
        this.durationNanos = durationNanos;
    }

    /**
     * Starts drawing on a daemon thread ({@code runnel-loadgen-progress}).
     *
     * @param startNanos the run's start, on {@link System#nanoTime()}'s clock
     */
    public void start(long startNanos) {
        this.startNanos = startNanos;
        thread = new Thread(this::loop, "runnel-loadgen-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops drawing (waits for the thread, at most 5 s) and ends with a line of the final state.
     *
     * @throws InterruptedException when the calling thread is interrupted while it waits
     */
    public void stop() throws InterruptedException {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
        long now = System.nanoTime();
        long done = completed.getAsLong();
        double average = done / Math.max(1e-9, (now - startNanos) / 1e9);
        if (terminal) {
            out.println("\r" + line(now, done, average));
        } else {
            out.println(line(now, done, average));
        }
        out.flush();
    }

    /** {@return the throughput samples taken so far, oldest first (a copy)} */
    public List<Sample> samples() {
        synchronized (lock) {
            return List.copyOf(samples);
        }
    }

    private void loop() {
        long lastCount = 0;
        long lastNanos = startNanos;
        long lastLine = startNanos;
        while (!Thread.currentThread().isInterrupted()) {
            try {
                TimeUnit.NANOSECONDS.sleep(TICK_NANOS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long done = completed.getAsLong();
            double rate = (done - lastCount) / ((now - lastNanos) / 1e9);
            synchronized (lock) {
                samples.add(new Sample((now - startNanos) / 1e9, rate));
            }
            lastCount = done;
            lastNanos = now;
            if (terminal) {
                out.print("\r" + line(now, done, rate));
                out.flush();
            } else if (now - lastLine >= LINE_EVERY_NANOS) {
                out.println(line(now, done, rate));
                out.flush();
                lastLine = now;
            }
        }
    }

    private String line(long now, long done, double rate) {
        double elapsed = (now - startNanos) / 1e9;
        double fraction;
        String what;
        if (durationNanos > 0) {
            fraction = Math.min(1, (now - startNanos) / (double) durationNanos);
            what = String.format("%,.0f / %,.0f s, %,d records sent, %,d done", elapsed, durationNanos / 1e9,
                    handedOver.getAsLong(), done);
        } else {
            fraction = totalRecords == 0 ? 1 : Math.min(1, done / (double) totalRecords);
            what = String.format("%,d / %,d records, %.0f s", done, totalRecords, elapsed);
        }
        int filled = (int) (BAR_WIDTH * fraction);
        return "[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + what
                + String.format(", %,.0f records/s   ", rate);
    }
}
