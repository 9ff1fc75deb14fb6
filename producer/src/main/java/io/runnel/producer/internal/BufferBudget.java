package io.runnel.producer.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes of user records the producer may hold at once (MaxBufferedBytes). addUserRecord reserves a record's
 * bytes and the pipeline gives them back when the record's future completes. The pipeline can also {@link #hold}
 * admissions while what it holds is more than the streams take in time (records would come near RecordTtl): then
 * reservations wait as if the budget were full. Thread-safe.
 */
public final class BufferBudget {
    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long used; // guarded by lock
    private boolean held; // guarded by lock

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
        lock.lock();
        try {
            long remaining = timeoutNanos;
            while ((used + bytes > capacity || held) && used > 0) {
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
     * Holds new reservations (true) while some are in use, or lets them go again (false). The pipeline's backpressure
     * for a stream that takes less than is added: the caller waits (BLOCK) or fails (FAIL) instead of a record
     * expiring.
     */
    public void hold(boolean hold) {
        lock.lock();
        try {
            if (held != hold) {
                held = hold;
                if (!hold) {
                    released.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
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

    /** Whether the pipeline holds new reservations now (records wait too long to be sent). */
    public boolean held() {
        lock.lock();
        try {
            return held;
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
