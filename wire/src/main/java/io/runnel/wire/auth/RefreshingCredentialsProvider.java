package io.runnel.wire.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches credentials from a source (an STS call, a credentials endpoint, ...) and fetches new ones ahead of their
 * expiration, so that callers do not wait once credentials exist:
 * <ul>
 *   <li>until {@code expiration - prefetchMargin} the cached credentials are returned;</li>
 *   <li>from then until {@code expiration - staleMargin} they are still returned at once, and one fetch runs on the
 *       prefetch executor (by default a new daemon thread named {@code runnel-credentials}, one at a time);</li>
 *   <li>from then on, or when nothing is cached yet, the caller fetches (one caller at a time; the others wait
 *       for its result).</li>
 * </ul>
 * A fetch that fails while the cached credentials are still valid keeps them: the first failure of a series is
 * logged at WARN, the next ones at DEBUG, and the next try waits {@link #RETRY_INTERVAL} (as does the next try after
 * a fetch that answered credentials already due for refresh, so a source that has not rotated yet is not asked on
 * every call). Once the cached credentials have expired, the failure reaches the caller. Credentials without an
 * expiration are kept for good.
 *
 * <p>Thread-safe.
 */
public final class RefreshingCredentialsProvider implements CredentialsProvider {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshingCredentialsProvider.class);
    /** How long after a fetch that left the credentials due for refresh the next fetch may start. */
    public static final Duration RETRY_INTERVAL = Duration.ofSeconds(30);
    /** How long before expiration callers wait for a fetch, unless the builder says otherwise. */
    public static final Duration DEFAULT_STALE_MARGIN = Duration.ofMinutes(1);

    private final Supplier<Credentials> source;
    private final Duration prefetchMargin;
    private final Duration staleMargin;
    private final Clock clock;
    private final Executor prefetchExecutor;
    /** Held while fetching: one fetch at a time, and callers of stale credentials wait for it. */
    private final Object refreshLock = new Object();
    /** True while a prefetch is queued or running. */
    private final AtomicBoolean prefetching = new AtomicBoolean();
    /** True from a failed fetch until the next successful one (so a series of failures warns once). */
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong failureWarnings = new AtomicLong();
    /** Written under refreshLock (and only there); volatile so callers read it without the lock. */
    private volatile Credentials cached;
    /** No fetch for due credentials before this; volatile: written by fetching threads, read by callers. */
    private volatile Instant nextAttempt = Instant.MIN;
    private volatile boolean closed;

    private RefreshingCredentialsProvider(Builder b) {
        this.source = b.source;
        this.prefetchMargin = b.prefetchMargin;
        this.staleMargin = b.staleMargin;
        this.clock = b.clock;
        this.prefetchExecutor = b.prefetchExecutor;
    }

    /**
     * Refreshes on the caller's thread from {@code margin} before expiration (no background thread): the behaviour
     * of earlier versions, for callers that want no threads.
     *
     * @param source fetches fresh credentials; should set {@link Credentials#expiration()}
     * @param margin how long before expiration to refresh (e.g. 5 minutes)
     * @param clock  time source
     * @throws NullPointerException     when an argument is null
     * @throws IllegalArgumentException when {@code margin} is negative
     */
    public RefreshingCredentialsProvider(Supplier<Credentials> source, Duration margin, Clock clock) {
        this(builder(source).prefetchMargin(margin).staleMargin(margin).clock(clock));
    }

    /**
     * Background prefetch from 5 minutes before expiration, callers wait from 1 minute before; system clock.
     *
     * @param source fetches fresh credentials; should set {@link Credentials#expiration()}
     * @throws NullPointerException when {@code source} is null
     */
    public RefreshingCredentialsProvider(Supplier<Credentials> source) {
        this(builder(source));
    }

    /**
     * A builder with the defaults of {@link #RefreshingCredentialsProvider(Supplier)}.
     *
     * @param source fetches fresh credentials; should set {@link Credentials#expiration()}
     * @return the builder
     * @throws NullPointerException when {@code source} is null
     */
    public static Builder builder(Supplier<Credentials> source) {
        return new Builder(source);
    }

    /**
     * @throws CredentialsException when nothing valid is cached and the source fails (a source's non-credentials
     *                              exception is wrapped)
     */
    @Override
    public Credentials resolveCredentials() {
        Credentials c = cached;
        if (c != null) {
            if (c.expiration() == null) {
                return c;
            }
            Instant now = clock.instant();
            if (now.isBefore(c.expiration().minus(staleMargin))) {
                if (!now.isBefore(c.expiration().minus(prefetchMargin)) && !now.isBefore(nextAttempt)) {
                    prefetch();
                    return cached; // fresh already if the executor ran the prefetch on this thread
                }
                return c;
            }
            if (now.isBefore(c.expiration()) && now.isBefore(nextAttempt)) {
                return c; // stale but valid, and a fetch failed a moment ago
            }
        }
        return fetchNow();
    }

    private Credentials fetchNow() {
        synchronized (refreshLock) {
            Credentials c = cached;
            Instant now = clock.instant();
            if (c != null && (c.expiration() == null || now.isBefore(c.expiration().minus(staleMargin)))) {
                return c; // fetched while this caller waited for the lock
            }
            try {
                return fetch();
            } catch (RuntimeException e) {
                if (c != null && now.isBefore(c.expiration())) {
                    failed(e, c);
                    return c;
                }
                throw e instanceof CredentialsException ce ? ce
                        : new CredentialsException("refreshing credentials failed: " + e.getMessage(), e);
            }
        }
    }

    /** Fetches and caches; the caller holds refreshLock. */
    private Credentials fetch() {
        try {
            Credentials fresh = Objects.requireNonNull(source.get(), "credentials source returned null");
            cached = fresh;
            if (failing.getAndSet(false)) {
                LOG.info("refreshing credentials works again");
            }
            return fresh;
        } finally {
            // Only consulted while the credentials are due: after a failure, or when the source answered
            // credentials that are themselves due already.
            nextAttempt = clock.instant().plus(RETRY_INTERVAL);
        }
    }

    private void prefetch() {
        if (closed || !prefetching.compareAndSet(false, true)) {
            return;
        }
        try {
            prefetchExecutor.execute(this::runPrefetch);
        } catch (RuntimeException e) {
            prefetching.set(false);
            nextAttempt = clock.instant().plus(RETRY_INTERVAL);
            LOG.debug("cannot start a credentials prefetch: {}", e.toString());
        }
    }

    private void runPrefetch() {
        try {
            synchronized (refreshLock) {
                Credentials c = cached;
                if (closed || c != null && c.expiration() != null
                        && clock.instant().isBefore(c.expiration().minus(prefetchMargin))) {
                    return; // closed, or refreshed meanwhile
                }
                try {
                    fetch();
                } catch (RuntimeException e) {
                    failed(e, c);
                }
            }
        } finally {
            prefetching.set(false);
        }
    }

    private void failed(RuntimeException e, Credentials kept) {
        if (!closed && failing.compareAndSet(false, true)) {
            failureWarnings.incrementAndGet();
            LOG.warn("refreshing credentials failed; keeping the cached ones{} and trying again from {} s on: {}",
                    kept == null || kept.expiration() == null ? "" : " (valid until " + kept.expiration() + ")",
                    RETRY_INTERVAL.toSeconds(), e.toString());
        } else {
            LOG.debug("refreshing credentials failed again: {}", e.toString());
        }
    }

    /** How many series of failed refreshes were logged at WARN (for tests and diagnostics). */
    long failureWarnings() {
        return failureWarnings.get();
    }

    /** No prefetch starts after this; a running one finishes. Resolving still works (on the caller's thread). */
    @Override
    public void close() {
        closed = true;
    }

    private static void startDaemonThread(Runnable task) {
        Thread t = new Thread(task, "runnel-credentials");
        t.setDaemon(true);
        t.start();
    }

    /** Settings of a {@link RefreshingCredentialsProvider}; each setter validates at once. Not thread-safe. */
    public static final class Builder {
        private final Supplier<Credentials> source;
        private Duration prefetchMargin = Duration.ofMinutes(5);
        private Duration staleMargin = DEFAULT_STALE_MARGIN;
        private Clock clock = Clock.systemUTC();
        private Executor prefetchExecutor = RefreshingCredentialsProvider::startDaemonThread;

        private Builder(Supplier<Credentials> source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /**
         * How long before expiration a background fetch starts.
         *
         * @param margin default 5 minutes; not negative
         * @return this builder
         * @throws NullPointerException     when {@code margin} is null
         * @throws IllegalArgumentException when {@code margin} is negative
         */
        public Builder prefetchMargin(Duration margin) {
            this.prefetchMargin = notNegative(margin, "prefetchMargin");
            return this;
        }

        /**
         * How long before expiration callers wait for a fetch.
         *
         * @param margin default 1 minute; not negative, nor longer than the prefetch margin
         * @return this builder
         * @throws NullPointerException     when {@code margin} is null
         * @throws IllegalArgumentException when {@code margin} is negative
         */
        public Builder staleMargin(Duration margin) {
            this.staleMargin = notNegative(margin, "staleMargin");
            return this;
        }

        /**
         * The clock expirations are compared with.
         *
         * @param clock default the system clock, UTC
         * @return this builder
         * @throws NullPointerException when {@code clock} is null
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where background fetches run (default: a new daemon thread {@code runnel-credentials} for each, at most one
         * at a time). {@code Runnable::run} makes them run on the caller's thread.
         *
         * @param executor runs each background fetch; one that rejects a task just delays the fetch
         * @return this builder
         * @throws NullPointerException when {@code executor} is null
         */
        public Builder prefetchExecutor(Executor executor) {
            this.prefetchExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * A provider with these settings; it fetches nothing until first asked.
         *
         * @return the provider
         * @throws IllegalArgumentException when the stale margin is longer than the prefetch margin
         */
        public RefreshingCredentialsProvider build() {
            if (staleMargin.compareTo(prefetchMargin) > 0) {
                throw new IllegalArgumentException("staleMargin (" + staleMargin + ") must not be longer than"
                        + " prefetchMargin (" + prefetchMargin + ")");
            }
            return new RefreshingCredentialsProvider(this);
        }

        private static Duration notNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + d);
            }
            return d;
        }
    }
}
