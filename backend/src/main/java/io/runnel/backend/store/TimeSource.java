package io.runnel.backend.store;

/** Where the store reads the time: wall-clock millis for timestamps, monotonic nanos for rates. Tests drive one. */
public interface TimeSource {
    /**
     * {@return the time in epoch milliseconds (ApproximateArrivalTimestamp, creation times, retention, iterator
     * expiry)}
     */
    long millis();

    /** {@return the time in monotonic nanoseconds (throughput limits)} */
    long nanos();

    /** The system clocks. */
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanos() {
            return System.nanoTime();
        }
    };
}
