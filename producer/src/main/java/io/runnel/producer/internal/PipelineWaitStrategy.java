package io.runnel.producer.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.util.Util;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How the pipeline thread waits for its ring: asleep for one tick (then the Disruptor calls its timeout, the
 * pipeline's tick) or longer when the pipeline asks ({@link #idle}, {@link #linger}), woken earlier by
 * {@link #wake()} — which the pipeline calls after publishing a flush, a task or a wake-up, and when a caller finds
 * the ring full — and, only if asked to, by every publish that finds it asleep.
 *
 * <p>Why not wake on every user record: a producer adding at a moderate rate (not enough to keep the pipeline thread
 * busy) made each caller signal the sleeping pipeline thread and the thread sleep again after a record or two, a
 * futex wake and a context switch per record or so — at half the rate the machine takes, the adding thread spent 15 %
 * of its time signalling and the pipeline thread a quarter of its time going to sleep and waking. Records now wait in
 * the ring and are routed together; their aggregates' deadlines (RecordMaxBufferedTime) count from when they were
 * added (at the earliest from the pipeline's last tick), so the wait costs them no latency. With a short
 * RecordMaxBufferedTime the pipeline asks for a wake-up on every publish instead.
 *
 * <p>A pipeline that nothing reached for a whole tick sleeps longer, until its next deadline (see {@link #idle}),
 * and then the next publish wakes it. Ticking every 2 ms regardless, an idle producer's pipeline thread woke 500 times
 * a second and took ~4 % of a core doing nothing, and one at a few records a second ~50 times per record. While
 * records come but nothing is due, it lingers (see {@link #linger}): the records gather in the ring until a deadline
 * or until enough of them wait, and only the publish that makes it enough wakes the thread. Ticking every 2 ms while
 * records came at 3,000 a second, the pipeline thread woke ~480 times a second and took ~2 % of a core, each wake-up
 * costing tens of microseconds on a virtual machine.
 */
final class PipelineWaitStrategy implements WaitStrategy {
    /** {@link #wakeAt} while publishes do not wake the thread. */
    private static final long NEVER = Long.MAX_VALUE;
    /** {@link #wakeAt} while any publish wakes it (an idle wait). */
    private static final long ANY = Long.MIN_VALUE;

    private final Object mutex = new Object();
    private final AtomicBoolean asleep = new AtomicBoolean();
    private final long tickNanos;
    private final boolean wakeOnPublish;
    // The sequence from which a publish wakes the thread: ANY once idle() asked for it (until that wait ends), the end
    // of a backlog while it lingers, else NEVER. Read by every publish; written twice per long sleep, so the line stays
    // shared while records flow.
    private volatile long wakeAt = NEVER;
    private Sequence cursor; // the ring's, seen by the first wait; written before wakeAt, read after it
    private long sleepNanos; // the next long wait's length; the pipeline thread's alone
    private int lingerBacklog; // > 0: the next wait lingers until this many are published; the pipeline thread's

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
        sleepNanos = Math.max(tickNanos, nanos);
        lingerBacklog = 0;
        wakeAt = ANY;
    }

    /**
     * Records keep coming but nothing is due for {@code nanos}: the next wait lets them gather in
     * the ring for that long, or until {@code backlog} of them wait there, or until something is woken for
     * ({@link #wake()}: a flush, a task, an answer, a full ring), and returns what came. Called by the pipeline thread
     * only, before it returns to the ring.
     */
    void linger(long nanos, int backlog) {
        if (nanos <= 0 || backlog <= 0) {
            throw new IllegalArgumentException("linger and backlog must be positive, were " + nanos + " ns and "
                    + backlog);
        }
        sleepNanos = nanos;
        lingerBacklog = backlog;
    }

    /** Whether the pipeline thread asked for its next wait to be an idle one and that wait has not ended yet. */
    boolean idling() {
        return wakeAt == ANY;
    }

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException, TimeoutException {
        long wakeFrom = wakeAt;
        if (lingerBacklog > 0) {
            this.cursor = cursor;
            wakeFrom = sequence + lingerBacklog - 1;
            lingerBacklog = 0;
            wakeAt = wakeFrom;
        }
        try {
            if (wakeFrom != NEVER && wakeFrom != ANY && !lingerFor(wakeFrom, cursor, barrier)
                    && cursor.get() < sequence) {
                throw TimeoutException.INSTANCE; // nothing came all that time
            }
            if (cursor.get() < sequence) {
                // wakeAt is set before asleep and the cursor is read after it: a publish that this look misses reads
                // wakeAt as set, and wakes the thread
                long nanos = wakeFrom == ANY ? sleepNanos : tickNanos;
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
            if (wakeFrom != NEVER) {
                wakeAt = NEVER; // records flow again: a publish no longer pays for a wake-up
            }
        }
    }

    /**
     * Sleeps until the cursor reaches {@code wakeFrom}, a {@link #wake()} or the end of {@link #sleepNanos}, whichever
     * comes first; what was published by then is returned by the caller (a timeout only when nothing was).
     *
     * @return false when the time ran out
     */
    private boolean lingerFor(long wakeFrom, Sequence cursor, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        long nanos = sleepNanos;
        synchronized (mutex) {
            while (cursor.get() < wakeFrom) {
                asleep.set(true);
                barrier.checkAlert();
                if (cursor.get() >= wakeFrom) {
                    break;
                }
                nanos = Util.awaitNanos(mutex, nanos);
                if (nanos <= 0) {
                    return false;
                }
                if (!asleep.get()) {
                    break; // something woke the thread (wake() clears asleep)
                }
            }
        }
        return true;
    }

    /** Called by the Disruptor after each publish (and on an alert). */
    @Override
    public void signalAllWhenBlocking() {
        if (wakeOnPublish) {
            wake();
            return;
        }
        long from = wakeAt;
        if (from != NEVER && (from == ANY || cursor.get() >= from)) {
            wake();
        }
    }

    /** Whether the pipeline thread sleeps and nothing has woken it yet (tests). */
    boolean asleep() {
        return asleep.get();
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
