package io.runnel.producer.internal;

/** Where the producer reads the time; tests pass a manual one so nothing sleeps. */
public interface Clock {
    /** Monotonic nanoseconds, for deadlines, rates and durations. */
    long nanoTime();

    /** Epoch milliseconds, for what users see (getOldestRecordTimeInMillis). */
    long wallMillis();

    /** The system clocks. */
    Clock SYSTEM = new Clock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long wallMillis() {
            return System.currentTimeMillis();
        }
    };
}
