package io.runnel.wire.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Caches credentials from a source (an STS call, a credentials endpoint, ...) and fetches new ones a margin before
 * the cached ones expire. One thread refreshes at a time; others keep using the cached credentials while they are
 * valid. A refresh that fails while the cached credentials are still valid is retried on a later call; once they have
 * expired, the failure reaches the caller.
 *
 * <p>Thread-safe.
 */
public final class RefreshingCredentialsProvider implements CredentialsProvider {
    private final Supplier<Credentials> source;
    private final Duration margin;
    private final Clock clock;
    private final Object refreshLock = new Object();
    private volatile Credentials cached;

    /**
     * @param source fetches fresh credentials; should set {@link Credentials#expiration()}
     * @param margin how long before expiration to refresh (e.g. 5 minutes)
     * @param clock  time source
     */
    public RefreshingCredentialsProvider(Supplier<Credentials> source, Duration margin, Clock clock) {
        this.source = Objects.requireNonNull(source, "source");
        this.margin = Objects.requireNonNull(margin, "margin");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (margin.isNegative()) {
            throw new IllegalArgumentException("margin must not be negative: " + margin);
        }
    }

    public RefreshingCredentialsProvider(Supplier<Credentials> source) {
        this(source, Duration.ofMinutes(5), Clock.systemUTC());
    }

    @Override
    public Credentials resolveCredentials() {
        Credentials c = cached;
        Instant now = clock.instant();
        if (c != null && !dueForRefresh(c, now)) {
            return c;
        }
        synchronized (refreshLock) {
            c = cached;
            if (c != null && !dueForRefresh(c, now)) {
                return c;
            }
            try {
                Credentials fresh = Objects.requireNonNull(source.get(), "credentials source returned null");
                cached = fresh;
                return fresh;
            } catch (RuntimeException e) {
                if (c != null && (c.expiration() == null || now.isBefore(c.expiration()))) {
                    return c;
                }
                throw e instanceof CredentialsException ce ? ce
                        : new CredentialsException("refreshing credentials failed: " + e.getMessage(), e);
            }
        }
    }

    private boolean dueForRefresh(Credentials c, Instant now) {
        return c.expiration() != null && !now.isBefore(c.expiration().minus(margin));
    }
}
