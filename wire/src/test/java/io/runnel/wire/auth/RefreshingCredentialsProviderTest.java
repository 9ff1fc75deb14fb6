package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RefreshingCredentialsProviderTest {
    private final TestClock clock = new TestClock();
    private final AtomicInteger fetches = new AtomicInteger();
    private final List<String> fetchThreads = new CopyOnWriteArrayList<>();
    private volatile RuntimeException failure;
    private volatile Duration lifetime = Duration.ofHours(1);

    /** Prefetches wait here until the test runs them. */
    private static final class QueueExecutor implements Executor {
        final Queue<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        synchronized int runAll() {
            int n = 0;
            for (Runnable r; (r = tasks.poll()) != null; n++) {
                r.run();
            }
            return n;
        }
    }

    private final Supplier<Credentials> source = () -> {
        fetchThreads.add(Thread.currentThread().getName());
        if (failure != null) {
            throw failure;
        }
        int n = fetches.incrementAndGet();
        return new Credentials("K" + n, "S", "T", clock.instant().plus(lifetime));
    };

    private RefreshingCredentialsProvider provider(Executor executor) {
        return RefreshingCredentialsProvider.builder(source).clock(clock).prefetchMargin(Duration.ofMinutes(5))
                .staleMargin(Duration.ofMinutes(1)).prefetchExecutor(executor).build();
    }

    @Test
    void prefetchRunsInTheBackgroundWhileCallersKeepTheCachedCredentials() {
        QueueExecutor executor = new QueueExecutor();
        RefreshingCredentialsProvider p = provider(executor);
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1"); // nothing cached: the caller fetches
        clock.advance(Duration.ofMinutes(54));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        assertThat(executor.tasks).isEmpty();

        clock.advance(Duration.ofMinutes(1)); // 5 minutes before expiry
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        assertThat(executor.tasks).hasSize(1); // one prefetch at a time
        assertThat(fetches).hasValue(1);
        assertThat(executor.runAll()).isEqualTo(1);
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void failedPrefetchKeepsTheCachedCredentialsWarnsOnceAndRetriesAfterTheInterval() {
        QueueExecutor executor = new QueueExecutor();
        RefreshingCredentialsProvider p = provider(executor);
        p.resolveCredentials();
        failure = new CredentialsException("sts down");
        clock.advance(Duration.ofMinutes(56));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        executor.runAll();
        assertThat(p.failureWarnings()).isEqualTo(1);

        // Not again before the retry interval has passed.
        clock.advance(RefreshingCredentialsProvider.RETRY_INTERVAL.minusSeconds(1));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        assertThat(executor.tasks).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        executor.runAll();
        assertThat(fetchThreads).hasSize(3);
        assertThat(p.failureWarnings()).isEqualTo(1); // the second failure of the series is not a warning

        failure = null;
        clock.advance(RefreshingCredentialsProvider.RETRY_INTERVAL);
        p.resolveCredentials();
        executor.runAll();
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");

        failure = new CredentialsException("sts down again");
        clock.advance(Duration.ofMinutes(56));
        p.resolveCredentials();
        executor.runAll();
        assertThat(p.failureWarnings()).isEqualTo(2); // a new series warns again
    }

    @Test
    void staleCredentialsMakeTheCallerFetchAndExpiredOnesFailWithTheSourcesError() {
        QueueExecutor executor = new QueueExecutor();
        RefreshingCredentialsProvider p = provider(executor);
        p.resolveCredentials();
        clock.advance(Duration.ofSeconds(59 * 60 + 1)); // 59 s before expiry: stale, the prefetch never ran
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");
        assertThat(executor.tasks).isEmpty();
        assertThat(fetchThreads).containsOnly(Thread.currentThread().getName());

        failure = new CredentialsException("sts down");
        clock.advance(Duration.ofSeconds(59 * 60 + 1));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2"); // still valid for 59 s
        clock.advance(Duration.ofSeconds(59));
        assertThatThrownBy(p::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessage("sts down");
        failure = new IllegalStateException("boom");
        assertThatThrownBy(p::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("boom").hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSourceThatHasNotRotatedYetIsNotAskedOnEveryCall() {
        QueueExecutor executor = new QueueExecutor();
        RefreshingCredentialsProvider p = provider(executor);
        p.resolveCredentials();
        lifetime = Duration.ofMinutes(4); // the source answers credentials inside the prefetch window
        clock.advance(Duration.ofMinutes(56));
        p.resolveCredentials();
        executor.runAll();
        for (int i = 0; i < 10; i++) {
            assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");
        }
        assertThat(executor.tasks).isEmpty();
        clock.advance(RefreshingCredentialsProvider.RETRY_INTERVAL);
        p.resolveCredentials();
        assertThat(executor.tasks).hasSize(1);
    }

    @Test
    void credentialsWithoutExpirationAreKept() {
        Supplier<Credentials> once = () -> {
            fetches.incrementAndGet();
            return Credentials.of("LONG", "TERM");
        };
        RefreshingCredentialsProvider q = RefreshingCredentialsProvider.builder(once).clock(clock).build();
        q.resolveCredentials();
        clock.advance(Duration.ofDays(365));
        assertThat(q.resolveCredentials().accessKeyId()).isEqualTo("LONG");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void theDefaultPrefetchRunsOnADaemonThreadAndTheCallerDoesNotWait() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        Supplier<Credentials> slowSecondFetch = () -> {
            int n = fetches.incrementAndGet();
            if (n > 1) {
                threads.add(Thread.currentThread());
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Credentials("K" + n, "S", "T", clock.instant().plus(Duration.ofHours(1)));
        };
        RefreshingCredentialsProvider p = RefreshingCredentialsProvider.builder(slowSecondFetch).clock(clock).build();
        p.resolveCredentials();
        clock.advance(Duration.ofMinutes(56));
        // The fetch blocks until released: a caller that waited for it would never return (guarded, not timed).
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
            assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !threads.isEmpty());
        assertThat(threads.get(0).getName()).isEqualTo("runnel-credentials");
        assertThat(threads.get(0).isDaemon()).isTrue();
        release.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> p.resolveCredentials().accessKeyId().equals("K2"));
        assertThat(fetches).hasValue(2);
    }

    @Test
    void callersOfStaleCredentialsWaitForTheRunningFetchInsteadOfStartingAnother() throws Exception {
        CountDownLatch inFetch = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Supplier<Credentials> slow = () -> {
            int n = fetches.incrementAndGet();
            if (n == 2) {
                inFetch.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Credentials("K" + n, "S", "T", clock.instant().plus(Duration.ofHours(1)));
        };
        RefreshingCredentialsProvider p = RefreshingCredentialsProvider.builder(slow).clock(clock).build();
        p.resolveCredentials();
        clock.advance(Duration.ofMinutes(56));
        p.resolveCredentials(); // starts the background fetch
        assertThat(inFetch.await(30, TimeUnit.SECONDS)).isTrue();
        clock.advance(Duration.ofMinutes(4)); // now stale: this caller must wait
        AtomicReference<Object> got = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                got.set(p.resolveCredentials().accessKeyId());
            } catch (RuntimeException e) {
                got.set(e);
            }
        });
        caller.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> caller.getState() == Thread.State.BLOCKED);
        release.countDown();
        caller.join(30_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(got.get()).isEqualTo("K2");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void afterCloseNoPrefetchStarts() {
        QueueExecutor executor = new QueueExecutor();
        RefreshingCredentialsProvider p = provider(executor);
        p.resolveCredentials();
        p.close();
        clock.advance(Duration.ofMinutes(56));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        assertThat(executor.tasks).isEmpty();
        clock.advance(Duration.ofMinutes(4));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2"); // the caller still can fetch
    }

    @Test
    void rejectedPrefetchIsRetriedLater() {
        AtomicInteger rejected = new AtomicInteger();
        RefreshingCredentialsProvider p = provider(task -> {
            rejected.incrementAndGet();
            throw new java.util.concurrent.RejectedExecutionException("no threads");
        });
        p.resolveCredentials();
        clock.advance(Duration.ofMinutes(56));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        assertThat(rejected).hasValue(1);
    }

    @Test
    void buildValidatesMargins() {
        assertThatThrownBy(() -> RefreshingCredentialsProvider.builder(source).prefetchMargin(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prefetchMargin");
        assertThatThrownBy(() -> RefreshingCredentialsProvider.builder(source).prefetchMargin(Duration.ofMinutes(1))
                .staleMargin(Duration.ofMinutes(2)).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("staleMargin");
        assertThatThrownBy(() -> new RefreshingCredentialsProvider(source, Duration.ofSeconds(-1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expirationInThePastIsStillReturnedOnceFetched() {
        Instant past = clock.instant().minusSeconds(1);
        RefreshingCredentialsProvider p = RefreshingCredentialsProvider.builder(
                () -> new Credentials("OLD", "S", "T", past)).clock(clock).build();
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("OLD");
    }
}
