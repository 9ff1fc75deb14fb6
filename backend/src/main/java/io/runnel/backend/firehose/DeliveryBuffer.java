package io.runnel.backend.firehose;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The records of one delivery stream not yet written to a file, in arrival order, with their byte count and the
 * arrival time of the oldest. Not thread-safe: the {@link FirehoseStore} guards it.
 */
final class DeliveryBuffer {
    private List<byte[]> records = new ArrayList<>();
    private long bytes;
    private long oldestArrivalMillis;

    boolean isEmpty() {
        return records.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    /** Epoch millis at which the oldest buffered record arrived; meaningless when empty. */
    long oldestArrivalMillis() {
        return oldestArrivalMillis;
    }

    /** The buffered records, oldest first (a view: do not keep it past the next change). */
    List<byte[]> records() {
        return Collections.unmodifiableList(records);
    }

    void add(byte[] data, long nowMillis) {
        if (records.isEmpty()) {
            oldestArrivalMillis = nowMillis;
        }
        records.add(data);
        bytes += data.length;
    }

    /** The buffered records, oldest first; the buffer is empty afterwards. */
    List<byte[]> drain() {
        List<byte[]> out = records;
        records = new ArrayList<>();
        bytes = 0;
        return out;
    }
}
