package io.runnel.backend.store;

/** A {@link TimeSource} that moves only when a test says so. */
final class ManualTime implements TimeSource {
    private long millis;
    private long nanos;

    ManualTime(long startMillis) {
        this.millis = startMillis;
        this.nanos = 1_000_000_000L;
    }

    void advanceMillis(long delta) {
        millis += delta;
        nanos += delta * 1_000_000L;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public long nanos() {
        return nanos;
    }
}
