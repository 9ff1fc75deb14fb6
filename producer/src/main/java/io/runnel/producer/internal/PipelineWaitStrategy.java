package io.runnel.producer.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.util.Util;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How the pipeline thread waits for its ring: asleep for at most one tick (then the Disruptor calls its timeout, the
 * pipeline's tick), woken earlier by {@link #wake()} — which the pipeline calls after publishing a flush, a task or a
 * wake-up, and when a caller finds the ring full — and, only if asked to, by every publish that finds it asleep.
 *
 * <p>Why not wake on every user record: a producer adding at a moderate rate (not enough to keep the pipeline thread
 * busy) made each caller signal the sleeping pipeline thread and the thread sleep again after a record or two, a
 * futex wake and a context switch per record or so — at half the rate the machine takes, the adding thread spent 15 %
 * of its time signalling and the pipeline thread a quarter of its time going to sleep and waking. Records now wait in
 * the ring for up to one tick and are routed together. Their aggregates' deadlines
 * (RecordMaxBufferedTime) count from when they are routed, so a record's latency grows by at most a tick: with a
 * short RecordMaxBufferedTime the pipeline asks for a wake-up on every publish instead.
 *
 * <p>A pipeline that nothing reached for a whole tick sleeps longer, until its next deadline (see {@link #idle}),
 * and then the next publish wakes it. Ticking every 2 ms regardless, an idle producer's pipeline thread woke 500 times
 * a second and took ~4 % of a core doing nothing, and one at a few records a second ~50 times per record.
 */
final class PipelineWaitStrategy implements WaitStrategy {
    private final Object mutex = new Object();
    private final AtomicBoolean asleep = new AtomicBoolean();
    private final long tickNanos;
    private final boolean wakeOnPublish;
    // Set by the pipeline thread before a wait (idle()), cleared as that wait ends: while set, a publish wakes the
    // thread. Read by every publish; written twice per idle sleep, so the line stays shared while records flow.
    private volatile boolean idle;
    private long idleNanos; // the idle wait's length; the pipeline thread's alone

    /**
     * @param tickNanos     the longest sleep: the pipeline's tick
     * @param wakeOnPublish whether a publish wakes the sleeping thread (else it is routed within a tick)
     */
    PipelineWaitStrategy(long tickNanos, boolean wakeOnPublish) {
        if (tickNanos <= 0) {
            throw new IllegalArgumentException("tick must be positive, was " + tickNanos + " ns");
        }
        this.tickNanos = tickNanos;
        this.wakeOnPublish = wakeOnPublish;
    }

    /**
     * The pipeline thread has nothing to do for {@code nanos} (at least a tick is slept) unless something is
     * published: its next wait lasts that long rather than a tick, and the next publish (a record, a flush, a task)
     * ends it. Called by the pipeline thread only, before it returns to the ring.
     */
    void idle(long nanos) {
        idleNanos = Math.max(tickNanos, nanos);
        idle = true;
    }

    /** Whether the pipeline thread asked for its next wait to be an idle one and that wait has not ended yet. */
    boolean idling() {
        return idle;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        boolean idleWait = idle;
        try {
            if (cursor.get() < sequence) {
                // idle is set before asleep and the cursor is read after it: a publish that this look misses reads
                // idle as set, and wakes the thread
                long nanos = idleWait ? idleNanos : tickNanos;
                synchronized (mutex) {
                    while (cursor.get() < sequence) {
                        asleep.set(true);
                        barrier.checkAlert();
                        if (cursor.get() >= sequence) {
                            break; // published between the check and the flag: no wake-up would come for it
                        }
                        nanos = Util.awaitNanos(mutex, nanos);
                        if (nanos <= 0) {
                            throw TimeoutException.INSTANCE;
                        }
                    }
                }
            }
            long available;
            while ((available = dependentSequence.get()) < sequence) {
                barrier.checkAlert();
                Thread.onSpinWait();
            }
            return available;
        } finally {
            if (idleWait) {
                idle = false; // records flow again: a publish no longer pays for a wake-up
            }
        }
    }

    /** Called by the Disruptor after each publish (and on an alert). */
    @Override
    public void signalAllWhenBlocking() {
        if (wakeOnPublish || idle) {
            wake();
        }
    }

    /** Wakes the pipeline thread if it sleeps: what was just published (or an alert) is seen at once. */
    void wake() {
        if (asleep.getAndSet(false)) {
            synchronized (mutex) {
                mutex.notifyAll();
            }
        }
    }
}
