package io.runnel.producer.internal;

import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsException;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.RefreshingCredentialsProvider;
import io.runnel.wire.auth.StaticCredentialsProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KPL's CredentialsRefreshDelay: reads credentials from a source provider on its own daemon thread
 * ({@value #THREAD_NAME}) every {@code refreshDelay}, and serves the last good ones, so the sender (and the CloudWatch
 * uploader) never run a user's provider — and never wait for its I/O — on their threads.
 *
 * <ul>
 *   <li>The first fetch runs at {@link #start()} (producer start). Until one succeeds, {@link #resolveCredentials}
 *       throws the source's {@link CredentialsException} (or one wrapping its other exception, or saying none was
 *       fetched yet), which the producer retries like a transport error. The producer's pipeline waits for
 *       {@link #firstFetch()} before its first request, so a normal start sends nothing that would fail so.</li>
 *   <li>A failed fetch keeps the last good credentials; the first failure of a streak is logged at WARN, the next ones
 *       at DEBUG, and a success after a streak at INFO.</li>
 *   <li>Credentials with an expiration are refreshed before it even when the delay is longer: the next fetch is at
 *       {@code min(refreshDelay, expiration - staleMargin - now)} (the stale margin of
 *       {@link RefreshingCredentialsProvider}, {@link RefreshingCredentialsProvider#DEFAULT_STALE_MARGIN}), at least
 *       {@link #MIN_DELAY_MILLIS} later. Expired credentials are never served: the caller gets a
 *       {@link CredentialsException} instead (retried, until a fetch succeeds).</li>
 * </ul>
 *
 * <p>Which providers are wrapped ({@link #needsRefresher}): every one but a {@link StaticCredentialsProvider} (no I/O
 * to move off the sender, nothing to refresh). A {@link RefreshingCredentialsProvider} (STS, SSO, container, instance
 * metadata) is wrapped too: it answers from its cache without I/O, so asking it every delay costs one memory read,
 * while unwrapped it would make its first fetch, and any fetch once its credentials are stale, on the sender's thread.
 *
 * <p>Thread-safe; {@link #resolveCredentials} never blocks.
 */
public final class CredentialsRefresher implements CredentialsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(CredentialsRefresher.class);
    public static final String THREAD_NAME = "runnel-credentials-refresh";
    /** The shortest wait between two fetches (a source answering nearly expired credentials is not hammered). */
    public static final long MIN_DELAY_MILLIS = 1_000;

    /** Runs the fetches; the default is one daemon thread named {@value #THREAD_NAME}. */
    public interface Scheduler extends AutoCloseable {
        /** Runs {@code task} once after {@code delayMillis}; ignored after {@link #close()}. */
        void schedule(Runnable task, long delayMillis);

        @Override
        void close();
    }

    private final CredentialsProvider source;
    private final boolean ownsSource;
    private final long refreshDelayMillis;
    private final long staleMarginMillis;
    private final Clock clock;
    private final Scheduler scheduler;
    /** Written on the refresher thread only; volatile so callers read it without a lock. */
    private volatile Credentials last;
    /** The last fetch's failure, null after a success; written on the refresher thread only. */
    private volatile RuntimeException lastFailure;
    private long failures; // confined to the refresher thread
    private volatile boolean closed;
    /** Completed when the first fetch has finished, however it ended (or on close): see {@link #firstFetch()}. */
    private final CompletableFuture<Void> firstFetch = new CompletableFuture<>();

    /**
     * @param source       the provider to read; closed with this one only when {@code ownsSource}
     * @param ownsSource   whether {@link #close()} closes {@code source} (the default chain the producer made)
     * @param refreshDelay how often to read it (CredentialsRefreshDelay)
     * @param clock        wall time, compared with expirations
     * @param scheduler    where fetches run, closed with this provider
     */
    public CredentialsRefresher(CredentialsProvider source, boolean ownsSource, Duration refreshDelay, Clock clock,
            Scheduler scheduler) {
        this.source = Objects.requireNonNull(source, "source");
        this.ownsSource = ownsSource;
        this.refreshDelayMillis = refreshDelay.toMillis();
        if (refreshDelayMillis < 1) {
            throw new IllegalArgumentException("refreshDelay must be at least 1 ms, was " + refreshDelay);
        }
        this.staleMarginMillis = RefreshingCredentialsProvider.DEFAULT_STALE_MARGIN.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Whether the producer puts a refresher in front of {@code provider} (see the class comment). */
    public static boolean needsRefresher(CredentialsProvider provider) {
        return !(provider instanceof StaticCredentialsProvider) && !(provider instanceof CredentialsRefresher);
    }

    /** One daemon thread named {@value #THREAD_NAME}. */
    public static Scheduler daemonScheduler() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD_NAME);
            t.setDaemon(true);
            return t;
        });
        return new Scheduler() {
            @Override
            public void schedule(Runnable task, long delayMillis) {
                try {
                    executor.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closedAlready) {
                    // closed: no more fetches
                }
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }

    /** Schedules the first fetch now. */
    public void start() {
        scheduler.schedule(this::refresh, 0);
    }

    /** One fetch, then the next one scheduled; runs on the scheduler's thread. */
    void refresh() {
        if (closed) {
            return;
        }
        try {
            Credentials fresh = Objects.requireNonNull(source.resolveCredentials(), "the provider answered null");
            last = fresh;
            lastFailure = null;
            if (failures > 0) {
                LOG.info("Credentials fetched again after {} failed attempts", failures);
            }
            failures = 0;
        } catch (RuntimeException e) {
            lastFailure = e;
            failures++;
            if (failures == 1) {
                LOG.warn("Fetching credentials failed ({}); {}", e.toString(), last == null
                        ? "records wait for a later fetch" : "the last good credentials are used meanwhile");
            } else {
                LOG.debug("Fetching credentials failed again ({} in a row)", failures, e);
            }
        }
        firstFetch.complete(null);
        if (!closed) {
            scheduler.schedule(this::refresh, nextDelayMillis());
        }
    }

    /**
     * Completes (never exceptionally) when the first fetch has finished, whether it succeeded or failed, or when this
     * is closed first: the pipeline holds its first requests until then, rather than sending them unsigned-able and
     * logging the failure of a normal start. After a failed first fetch they go and fail with the source's error.
     * Callbacks may run on the refresher thread: keep them short.
     */
    public CompletableFuture<Void> firstFetch() {
        return firstFetch;
    }

    /** How long until the next fetch, after the one that just ran. */
    long nextDelayMillis() {
        Credentials c = last;
        long delay = refreshDelayMillis;
        if (c == null) {
            delay = Math.min(delay, MIN_DELAY_MILLIS); // nothing to sign with yet: try again soon
        } else if (c.expiration() != null) {
            long untilStale = c.expiration().toEpochMilli() - staleMarginMillis - clock.wallMillis();
            delay = Math.min(delay, Math.max(untilStale, MIN_DELAY_MILLIS));
        }
        return delay;
    }

    /**
     * The last good credentials; never calls the source.
     *
     * @throws CredentialsException when none were fetched yet, or the last good ones expired (the source's own
     *                              exception when it threw one)
     */
    @Override
    public Credentials resolveCredentials() {
        Credentials c = last;
        RuntimeException failure = lastFailure;
        if (c != null) {
            Instant expiration = c.expiration();
            if (expiration == null || clock.wallMillis() < expiration.toEpochMilli()) {
                return c;
            }
            throw new CredentialsException("the credentials expired at " + expiration + " and were not refreshed"
                    + (failure == null ? "" : ": " + failure.getMessage()), failure);
        }
        if (failure instanceof CredentialsException ce) {
            throw ce;
        }
        if (failure != null) {
            throw new CredentialsException("fetching credentials failed: " + failure, failure);
        }
        throw new CredentialsException("no credentials yet: the first fetch has not finished");
    }

    /** Stops fetching; closes the source when this provider made it. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        firstFetch.complete(null);
        scheduler.close();
        if (ownsSource) {
            source.close();
        }
    }
}
