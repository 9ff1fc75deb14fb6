package io.runnel.producer.internal;

import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of user records the producer may hold at once (MaxBufferedBytes). addUserRecord reserves a record's
 * bytes and the pipeline gives them back when the record's future completes. The pipeline can also {@link #hold}
 * admissions while what it holds is more than the streams take in time (records would come near RecordTtl): then
 * reservations wait as if the budget were full — only those of the keys of the shards that fall behind
 * ({@link #holdKeys}), so that one hot shard does not slow the callers of the others. Thread-safe.
 */
public final class BufferBudget {
    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long used; // guarded by lock
    /** Per stream, the hash key ranges whose records wait: written under lock, read without it on the fast path. */
    private volatile Map<String, List<HashKeyRange>> heldKeys = Map.of();

    public BufferBudget(long capacity) {
        this.capacity = capacity;
    }

    /**
     * Reserves {@code bytes}, waiting up to {@code timeoutNanos} for room (0: do not wait). A record larger than the
     * whole budget is admitted when nothing else is held, so it cannot wait forever.
     *
     * @return whether the bytes were reserved
     */
    public boolean reserve(long bytes, long timeoutNanos) throws InterruptedException {
        return reserve(bytes, timeoutNanos, null, null);
    }

    /**
     * As {@link #reserve(long, long)} for a record of {@code stream} whose hash key is {@code key} (null: unknown,
     * waits while any key of the stream is held): it waits too while its key is in a range {@link #holdKeys} holds.
     */
    public boolean reserve(long bytes, long timeoutNanos, String stream, HashKey key) throws InterruptedException {
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while ((used + bytes > capacity || keyHeld(stream, key)) && used > 0) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = released.awaitNanos(remaining);
            }
            used += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Holds new reservations for records of these keys (per stream, ranges of hash keys), and lets all others go
     * again. The pipeline's backpressure for the shards that take less than is added.
     */
    public void holdKeys(Map<String, List<HashKeyRange>> ranges) {
        lock.lock();
        try {
            heldKeys = Map.copyOf(ranges);
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether some keys of {@code stream} are held now (then a caller should say which key it has). */
    public boolean holdsKeysOf(String stream) {
        return stream != null && heldKeys.containsKey(stream);
    }

    /** Whether a record of {@code stream} with hash key {@code key} (null: unknown) is held now. */
    public boolean keyHeld(String stream, HashKey key) {
        if (stream == null) {
            return false;
        }
        List<HashKeyRange> ranges = heldKeys.get(stream);
        if (ranges == null) {
            return false;
        }
        if (key == null) {
            return true;
        }
        for (HashKeyRange r : ranges) {
            if (r.contains(key)) {
                return true;
            }
        }
        return false;
    }

    public void release(long bytes) {
        lock.lock();
        try {
            used -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public long used() {
        lock.lock();
        try {
            return used;
        } finally {
            lock.unlock();
        }
    }
}
