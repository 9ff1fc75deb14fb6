package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.producer.testing.ManualClock;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsException;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.RefreshingCredentialsProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CredentialsRefresherTest {
    private static final Credentials FIRST = Credentials.of("AKID1", "s1");
    private static final Credentials SECOND = Credentials.of("AKID2", "s2");

    /** Runs nothing by itself: the test runs the due task and reads the delay it was scheduled with. */
    private static final class ManualScheduler implements CredentialsRefresher.Scheduler {
        final Deque<Runnable> tasks = new ArrayDeque<>();
        final List<Long> delays = new ArrayList<>();
        boolean closed;

        @Override
        public void schedule(Runnable task, long delayMillis) {
            tasks.add(task);
            delays.add(delayMillis);
        }

        void runNext() {
            tasks.remove().run();
        }

        long lastDelay() {
            return delays.get(delays.size() - 1);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** Answers (or throws) what the test queued, counting calls. */
    private static final class ScriptedProvider implements CredentialsProvider {
        final Deque<Supplier<Credentials>> answers = new ArrayDeque<>();
        final AtomicInteger calls = new AtomicInteger();
        boolean closed;

        @Override
        public Credentials resolveCredentials() {
            calls.incrementAndGet();
            return answers.remove().get();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedProvider source = new ScriptedProvider();

    private CredentialsRefresher refresher(Duration delay) {
        return new CredentialsRefresher(source, false, delay, clock, scheduler);
    }

    @Test
    void theFirstFetchRunsAtStartAndCallersNeverCallTheProvider() {
        CredentialsRefresher r = refresher(Duration.ofSeconds(5));
        r.start();
        assertThat(scheduler.delays).containsExactly(0L);
        assertThatThrownBy(r::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("first fetch");
        source.answers.add(() -> FIRST);
        scheduler.runNext();
        assertThat(r.resolveCredentials()).isEqualTo(FIRST);
        assertThat(r.resolveCredentials()).isEqualTo(FIRST);
        assertThat(source.calls).hasValue(1); // callers read the cache
        assertThat(scheduler.lastDelay()).isEqualTo(5_000L);
        source.answers.add(() -> SECOND);
        scheduler.runNext();
        assertThat(r.resolveCredentials()).isEqualTo(SECOND);
    }

    @Test
    void aFailedFetchKeepsTheLastGoodCredentials() {
        CredentialsRefresher r = refresher(Duration.ofSeconds(5));
        r.start();
        source.answers.add(() -> FIRST);
        scheduler.runNext();
        source.answers.add(() -> {
            throw new CredentialsException("provider down");
        });
        source.answers.add(() -> {
            throw new IllegalStateException("still down");
        });
        scheduler.runNext();
        scheduler.runNext();
        assertThat(r.resolveCredentials()).isEqualTo(FIRST);
        assertThat(scheduler.lastDelay()).isEqualTo(5_000L);
        source.answers.add(() -> SECOND);
        scheduler.runNext();
        assertThat(r.resolveCredentials()).isEqualTo(SECOND);
    }

    @Test
    void withoutAnyGoodCredentialsCallersGetTheProvidersTypedException() {
        CredentialsRefresher r = refresher(Duration.ofMinutes(1));
        r.start();
        CredentialsException typed = new CredentialsException("no profile named prod");
        source.answers.add(() -> {
            throw typed;
        });
        scheduler.runNext();
        assertThatThrownBy(r::resolveCredentials).isSameAs(typed);
        assertThat(scheduler.lastDelay()).isEqualTo(CredentialsRefresher.MIN_DELAY_MILLIS); // retried soon
        source.answers.add(() -> {
            throw new IllegalStateException("disk error");
        });
        scheduler.runNext();
        assertThatThrownBy(r::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("disk error");
    }

    @Test
    void expiringCredentialsAreRefreshedBeforeExpiryEvenWithALongerDelay() {
        CredentialsRefresher r = refresher(Duration.ofHours(1));
        r.start();
        Instant now = Instant.ofEpochMilli(clock.wallMillis());
        Credentials session = new Credentials("ASIA1", "s", "token", now.plus(Duration.ofMinutes(15)));
        source.answers.add(() -> session);
        scheduler.runNext();
        long margin = RefreshingCredentialsProvider.DEFAULT_STALE_MARGIN.toMillis();
        assertThat(scheduler.lastDelay()).isEqualTo(Duration.ofMinutes(15).toMillis() - margin);
        // Past its expiry and the refresh failing: never served expired, the caller gets a typed error.
        clock.advance(Duration.ofMinutes(16));
        source.answers.add(() -> {
            throw new CredentialsException("sts down");
        });
        scheduler.runNext();
        assertThat(scheduler.lastDelay()).isEqualTo(CredentialsRefresher.MIN_DELAY_MILLIS);
        assertThatThrownBy(r::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("expired").hasMessageContaining("sts down");
    }

    @Test
    void aShortDelayWinsOverALaterExpiry() {
        CredentialsRefresher r = refresher(Duration.ofSeconds(5));
        r.start();
        Instant now = Instant.ofEpochMilli(clock.wallMillis());
        source.answers.add(() -> new Credentials("ASIA1", "s", "token", now.plus(Duration.ofHours(1))));
        scheduler.runNext();
        assertThat(scheduler.lastDelay()).isEqualTo(5_000L);
    }

    @Test
    void closeStopsFetchingAndClosesOnlyAnOwnedSource() {
        CredentialsRefresher r = refresher(Duration.ofSeconds(5));
        r.start();
        r.close();
        scheduler.runNext();
        assertThat(source.calls).hasValue(0);
        assertThat(scheduler.closed).isTrue();
        assertThat(source.closed).isFalse();
        ScriptedProvider owned = new ScriptedProvider();
        new CredentialsRefresher(owned, true, Duration.ofSeconds(5), clock, new ManualScheduler()).close();
        assertThat(owned.closed).isTrue();
    }

    @Test
    void staticCredentialsAreNotWrapped() {
        assertThat(CredentialsRefresher.needsRefresher(CredentialsProvider.of(FIRST))).isFalse();
        assertThat(CredentialsRefresher.needsRefresher(() -> FIRST)).isTrue();
        assertThat(CredentialsRefresher.needsRefresher(refresher(Duration.ofSeconds(1)))).isFalse();
    }

    @Test
    void theDefaultSchedulerCallsTheProviderOnItsNamedDaemonThreadOnly() {
        List<String> threads = new CopyOnWriteArrayList<>();
        CredentialsProvider user = () -> {
            threads.add(Thread.currentThread().getName() + (Thread.currentThread().isDaemon() ? "/daemon" : ""));
            return FIRST;
        };
        CredentialsRefresher r = new CredentialsRefresher(user, false, Duration.ofHours(1), clock,
                CredentialsRefresher.daemonScheduler());
        try {
            r.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !threads.isEmpty());
            assertThat(r.resolveCredentials()).isEqualTo(FIRST);
            assertThat(threads).containsExactly(CredentialsRefresher.THREAD_NAME + "/daemon");
        } finally {
            r.close();
        }
    }
}
