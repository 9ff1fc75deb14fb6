package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineWaitStrategyTest {
    private static final long HOUR = TimeUnit.HOURS.toNanos(1); // a tick that never ends within a test

    private final Sequence cursor = new Sequence(-1);
    private final FakeBarrier barrier = new FakeBarrier();

    private static final AtomicInteger WAITERS = new AtomicInteger();
    private String waiter;

    /** Waits for sequence 0 on another thread; completes with what waitFor returned or threw. */
    private CompletableFuture<Object> waitForFirst(PipelineWaitStrategy strategy) {
        waiter = "waiter-" + WAITERS.incrementAndGet();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                outcome.complete(strategy.waitFor(0, cursor, cursor, barrier));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, waiter);
        t.setDaemon(true);
        t.start();
        return outcome;
    }

    /** Until the waiter sleeps on the strategy's monitor (a guard, not a timing). */
    private static void awaitAsleep(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals(name)
                && t.getState() == Thread.State.TIMED_WAITING)) {
            assertThat(System.nanoTime()).as("the waiter never went to sleep").isLessThan(deadline);
            Thread.sleep(1);
        }
    }

    @Test
    void aWakeReleasesTheSleepingThreadOnceSomethingIsPublished() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        assertPublishingReleasesTheWaiter(strategy, strategy::wake);
    }

    @Test
    void whenAskedEveryPublishWakesIt() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, true);
        assertPublishingReleasesTheWaiter(strategy, strategy::signalAllWhenBlocking);
    }

    /** A thread waits for sequence 0; it is published, then {@code signal} runs: the wait returns 0. */
    private void assertPublishingReleasesTheWaiter(PipelineWaitStrategy strategy, Runnable signal) throws Exception {
        CompletableFuture<Object> outcome = waitForFirst(strategy);
        awaitAsleep(waiter);
        cursor.set(0);
        signal.run();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(0L);
    }

    @Test
    void afterIdleThePublishThatFollowsWakesItAndOnlyThatWait() throws Exception {
        // an hour's tick and publishes that do not wake it: only the idle wait's own rule can end this wait
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        strategy.idle(HOUR);
        assertThat(strategy.idling()).isTrue();
        assertPublishingReleasesTheWaiter(strategy, strategy::signalAllWhenBlocking);
        assertThat(strategy.idling()).as("the idle wait is over: publishes no longer wake the thread").isFalse();
    }

    @Test
    void anIdleWaitThatFindsSomethingPublishedEndsTooAndClearsIt() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        strategy.idle(HOUR);
        cursor.set(0);
        assertThat(strategy.waitFor(0, cursor, cursor, barrier)).isEqualTo(0L);
        assertThat(strategy.idling()).isFalse();
    }


    @Test
    void aLingeringThreadIsWokenOnlyByThePublishThatMakesItsBacklog() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        strategy.linger(HOUR, 3);
        CompletableFuture<Object> outcome = waitForFirst(strategy);
        awaitAsleep(waiter);
        cursor.set(1);
        strategy.signalAllWhenBlocking();
        assertThat(strategy.asleep()).as("two records of a backlog of three: no wake-up").isTrue();
        assertThat(outcome).isNotDone();
        cursor.set(2);
        strategy.signalAllWhenBlocking();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isEqualTo(2L);
        assertThat(strategy.idling()).isFalse();
    }

    @Test
    void aLingerThatRunsOutReturnsWhatCameMeanwhile() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        strategy.linger(TimeUnit.MILLISECONDS.toNanos(1), 1000);
        cursor.set(4);
        assertThat(strategy.waitFor(0, cursor, cursor, barrier)).isEqualTo(4L);
    }

    @Test
    void aLingerThatRunsOutWithNothingPublishedIsTheTimeoutNotATickLater() throws Exception {
        // an hour's tick: only the linger's own end can end this wait
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        strategy.linger(TimeUnit.MILLISECONDS.toNanos(1), 1000);
        assertThat(waitForFirst(strategy).get(30, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void aWakeEndsALinger() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        strategy.linger(HOUR, 1000);
        assertPublishingReleasesTheWaiter(strategy, strategy::wake);
    }

    @Test
    void anAlertWithAWakeEndsALinger() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        strategy.linger(HOUR, 1000);
        assertAnAlertWithAWakeEndsTheWait(strategy);
    }

    @Test
    void somethingAlreadyPublishedIsReturnedWithoutSleeping() throws Exception {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(HOUR, false);
        cursor.set(3);
        assertThat(strategy.waitFor(0, cursor, cursor, barrier)).isEqualTo(3L);
    }

    @Test
    void nothingPublishedWithinATickIsTheTimeout() {
        PipelineWaitStrategy strategy = new PipelineWaitStrategy(TimeUnit.MILLISECONDS.toNanos(1), false);
        assertThatThrownBy(() -> strategy.waitFor(0, cursor, cursor, barrier)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void anAlertWithAWakeEndsTheWait() throws Exception {
        assertAnAlertWithAWakeEndsTheWait(new PipelineWaitStrategy(HOUR, false));
    }

    private void assertAnAlertWithAWakeEndsTheWait(PipelineWaitStrategy strategy) throws Exception {
        CompletableFuture<Object> outcome = waitForFirst(strategy);
        awaitAsleep(waiter);
        barrier.alert();
        strategy.wake();
        assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(AlertException.class);
    }

    private static final class FakeBarrier implements SequenceBarrier {
        private volatile boolean alerted;

        @Override
        public long waitFor(long sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long getCursor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isAlerted() {
            return alerted;
        }

        @Override
        public void alert() {
            alerted = true;
        }

        @Override
        public void clearAlert() {
            alerted = false;
        }

        @Override
        public void checkAlert() throws AlertException {
            if (alerted) {
                throw AlertException.INSTANCE;
            }
        }
    }
}
