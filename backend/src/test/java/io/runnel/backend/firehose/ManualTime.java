package io.runnel.backend.firehose;

import io.runnel.backend.store.TimeSource;

/** A {@link TimeSource} that moves only when a test says so. */
final class ManualTime implements TimeSource {
    private long millis;

    ManualTime(long startMillis) {
        this.millis = startMillis;
    }

    void advanceMillis(long delta) {
        millis += delta;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public long nanos() {
        return millis * 1_000_000L;
    }
}
