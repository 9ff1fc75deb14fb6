package io.runnel.backend.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what is written to one shard (records and bytes of data plus partition key), for on-demand scaling, and the
 * records its write limits refused. Written by request workers, read by the scaler and tools: thread-safe,
 * contention-free on the write path.
 */
public final class WriteMeter {
    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder throttled = new LongAdder();

    /** One record of {@code size} bytes stored. */
    void record(long size) {
        records.increment();
        bytes.add(size);
    }

    /** One record refused by the shard's write limits (ProvisionedThroughputExceeded). */
    void throttled() {
        throttled.increment();
    }

    /** {@return the records stored so far} */
    public long records() {
        return records.sum();
    }

    /** {@return the bytes (data plus partition key) stored so far} */
    public long bytes() {
        return bytes.sum();
    }

    /** {@return the records the shard's write limits refused so far} */
    public long throttledRecords() {
        return throttled.sum();
    }
}
