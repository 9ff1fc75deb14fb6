package io.runnel.producer.testing;

import io.runnel.producer.internal.Clock;
import java.time.Duration;

/** A clock tests move by hand. Not thread-safe beyond volatile reads. */
public final class ManualClock implements Clock {
    private volatile long nanos = 1_000_000_000L;
    private volatile long wallMillis = 1_764_000_000_000L;

    public void advance(Duration d) {
        nanos += d.toNanos();
        wallMillis += d.toMillis();
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long wallMillis() {
        return wallMillis;
    }
}
