package io.runnel.backend.compat;

import io.runnel.backend.store.TimeSource;
import java.time.Duration;

/** The system clocks, which a test can move forward at once (to end a subscription without waiting for it). */
final class SkippingTime implements TimeSource {
    private volatile long skippedNanos;

    /** Moves both clocks forward by {@code d}. */
    void skip(Duration d) {
        skippedNanos += d.toNanos();
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + skippedNanos / 1_000_000;
    }

    @Override
    public long nanos() {
        return System.nanoTime() + skippedNanos;
    }
}
