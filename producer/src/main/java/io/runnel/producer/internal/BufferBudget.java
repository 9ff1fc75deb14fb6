package io.runnel.producer.internal;

import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    private final ReentrantLock lock = new ReentrantLock(); // for waiting only: taking and giving back are CAS
    private final Condition released = lock.newCondition();
    private final AtomicLong used = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger(); // callers in the slow path, which a release wakes
    private final AtomicInteger waitingForRoom = new AtomicInteger(); // of those, the ones the budget is too full for
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
        if (!keyHeld(stream, key) && tryTake(bytes)) {
            return true; // the common case: room, no hold, no lock
        }
        lock.lock();
        try {
            // Counted before looking again, so that a release after this look sees us and signals (under the lock,
            // which await gives up only once we wait).
            waiting.incrementAndGet();
            boolean forRoom = false;
            try {
                long remaining = timeoutNanos;
                while (true) {
                    // a held key waits only while something is buffered: with nothing held, nothing would wake it
                    boolean held = keyHeld(stream, key) && used.get() > 0;
                    if (!held && tryTake(bytes)) {
                        return true;
                    }
                    if (remaining <= 0) {
                        return false;
                    }
                    if (forRoom != !held) { // counted only while it waits (BackpressurePolicy FAIL never does)
                        forRoom = !held;
                        waitingForRoom.addAndGet(forRoom ? 1 : -1);
                    }
                    remaining = released.awaitNanos(remaining);
                }
            } finally {
                if (forRoom) {
                    waitingForRoom.decrementAndGet();
                }
                waiting.decrementAndGet();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code bytes} if they fit, or if nothing is held at all (a record larger than the whole budget must not
     * wait forever).
     */
    private boolean tryTake(long bytes) {
        while (true) {
            long u = used.get();
            if (u + bytes > capacity && u > 0) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
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
        Map<String, List<HashKeyRange>> held = heldKeys;
        if (stream == null || held.isEmpty()) { // nothing held, as nearly always: no lookup
            return false;
        }
        List<HashKeyRange> ranges = held.get(stream);
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

    /** Gives back what {@link #reserve} took; wakes the callers waiting for room, if any. */
    public void release(long bytes) {
        used.addAndGet(-bytes);
        if (waiting.get() > 0) {
            lock.lock();
            try {
                released.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Whether a caller waits because the budget is full (not because its key is held). Then nothing more can be
     * added until something completes: what is buffered should go now rather than wait for its deadline, or the
     * callers wait out RecordMaxBufferedTime (Kafka's producer sends every batch when its BufferPool has waiters).
     */
    public boolean callersWaitForRoom() {
        return waitingForRoom.get() > 0;
    }

    /** The bytes reserved now. */
    public long used() {
        return used.get();
    }
}
