package io.runnel.wire.auth;

import io.runnel.wire.TransportOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A source of expiring credentials fetched over HTTP (STS, the container endpoint, the instance metadata service):
 * its own small HTTP client, and a {@link RefreshingCredentialsProvider} that caches what {@link #fetch()} returns and
 * fetches again in the background ahead of expiry. Subclasses say how to fetch; nothing opens before the first call.
 */
abstract class FetchingCredentialsProvider implements CredentialsProvider {
    /** For {@link #fetch()}: the subclass's requests. */
    final CredentialsHttpClient http;
    private final RefreshingCredentialsProvider cache;

    /**
     * @param prefetchExecutor where background fetches run; null for the refreshing provider's own thread
     * @param options          proxy and extra CAs for the fetches ({@link TransportOptions#DEFAULT} for link-local
     *                         endpoints: the instance metadata service and the container endpoint)
     */
    FetchingCredentialsProvider(Clock clock, Duration connectTimeout, Duration requestTimeout,
            Executor prefetchExecutor, TransportOptions options) {
        this.http = new CredentialsHttpClient(connectTimeout, requestTimeout, options);
        RefreshingCredentialsProvider.Builder refresh = RefreshingCredentialsProvider.builder(this::fetch).clock(clock);
        if (prefetchExecutor != null) {
            refresh.prefetchExecutor(prefetchExecutor);
        }
        this.cache = refresh.build();
    }

    /** Fetches fresh credentials; throws {@link CredentialsException} saying why when it cannot. */
    abstract Credentials fetch();

    @Override
    public Credentials resolveCredentials() {
        return cache.resolveCredentials();
    }

    /** Stops background fetches and closes the connections. */
    @Override
    public void close() {
        cache.close();
        http.close();
    }
}
