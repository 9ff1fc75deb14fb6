package io.runnel.wire.internal;

import io.netty.channel.EventLoopGroup;
import io.runnel.wire.Endpoint;
import io.runnel.wire.ProxySettings;
import io.runnel.wire.TransportOptions;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings every signed-POST client shares (Kinesis, Firehose, CloudWatch): endpoint, credentials, proxy and CA
 * certificates, TLS verification, connection limits and timeouts, threads. Each client's public builder extends it
 * with its own defaults ({@link Defaults}) and adds its own settings; {@link SignedPostClient} reads it. Setters
 * validate at once.
 *
 * <p>Not API: the setters are, through the public builders that inherit them. Not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class SignedClientBuilder<B extends SignedClientBuilder<B>> {
    /**
     * What a client starts with before its builder is touched.
     *
     * @param maxConnections     connections at most
     * @param maxPendingRequests requests waiting for a connection at most
     * @param requestTimeout     from sending a request to its whole answer
     * @param maxResponseBytes   larger answers fail as malformed
     * @param ioThreads          event loop threads when the client owns its group
     */
    public record Defaults(int maxConnections, int maxPendingRequests, Duration requestTimeout,
            int maxResponseBytes, int ioThreads) {
    }

    Endpoint endpoint;
    CredentialsProvider credentials; // null: the default chain, owned by the client
    TransportOptions options = TransportOptions.DEFAULT;
    int maxConnections;
    int minConnections;
    int maxPendingRequests;
    Duration connectTimeout = Duration.ofSeconds(6);
    Duration requestTimeout;
    Duration idleTimeout = Duration.ofSeconds(60);
    int maxResponseBytes;
    int ioThreads;
    boolean trustAllCertificates;
    EventLoopGroup eventLoopGroup;
    Executor callbackExecutor;
    Clock clock = Clock.systemUTC();

    protected SignedClientBuilder(Defaults defaults) {
        this.maxConnections = defaults.maxConnections();
        this.maxPendingRequests = defaults.maxPendingRequests();
        this.requestTimeout = defaults.requestTimeout();
        this.maxResponseBytes = defaults.maxResponseBytes();
        this.ioThreads = defaults.ioThreads();
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** Where to send requests (required). */
    public B endpoint(Endpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        return self();
    }

    /**
     * Credentials to sign with; default: a {@link DefaultCredentialsProvider} (the SDK v2 default chain, reaching STS
     * through the same proxy and CAs as the client), closed with the client. A provider passed here is not closed by
     * the client.
     */
    public B credentialsProvider(CredentialsProvider credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        return self();
    }

    /** Connections at most (1-256; the default depends on the client). */
    public B maxConnections(int maxConnections) {
        if (maxConnections < 1 || maxConnections > 256) {
            throw new IllegalArgumentException("maxConnections must be 1-256, was " + maxConnections);
        }
        this.maxConnections = maxConnections;
        return self();
    }

    /**
     * Connections kept open and warm (0 to {@link #maxConnections}, default 0: opened on demand): opened when the
     * client is built (TCP, proxy tunnel and TLS handshake), re-opened when closed, never closed for idleness.
     * The KPL's MinConnections.
     */
    public B minConnections(int minConnections) {
        if (minConnections < 0 || minConnections > 256) {
            throw new IllegalArgumentException("minConnections must be 0-256, was " + minConnections);
        }
        this.minConnections = minConnections;
        return self();
    }

    /**
     * Proxy and extra CA certificates at once (default: direct, the JDK's trust store alone); replaces what
     * {@link #proxy}, {@link #caCertFile} and {@link #caCertPath} set before.
     */
    public B transportOptions(TransportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        return self();
    }

    /**
     * Connect through an HTTP proxy with {@code CONNECT} tunnels (default: directly). Also used by the default
     * credentials chain for STS, never for the instance metadata service or the container endpoint. A 407
     * answer fails requests with the non-retryable {@link io.runnel.wire.error.ProxyAuthenticationException};
     * other proxy failures are retryable {@link io.runnel.wire.error.KinesisTransportException}s of kind
     * {@code PROXY_FAILED}.
     */
    public B proxy(ProxySettings proxy) {
        this.options = options.withProxy(Objects.requireNonNull(proxy, "proxy"));
        return self();
    }

    /**
     * Also trust the CA certificates of this PEM file (in addition to the JDK's trust store; the KPL's
     * CaCertFile). Read at once.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no valid certificate
     */
    public B caCertFile(Path pemFile) {
        this.options = options.withCaCertFile(pemFile);
        return self();
    }

    /**
     * Also trust the CA certificates of every PEM file in this directory (in addition to the JDK's trust store;
     * the KPL's CaCertPath). Read at once.
     *
     * @throws IllegalArgumentException naming the directory or file when it cannot be read, a certificate is
     *                                  invalid, or there is none
     */
    public B caCertPath(Path directory) {
        this.options = options.withCaCertPath(directory);
        return self();
    }

    /** Requests that may wait for a connection (not negative); more fail at once with POOL_EXHAUSTED. */
    public B maxPendingRequests(int maxPendingRequests) {
        if (maxPendingRequests < 0) {
            throw new IllegalArgumentException("maxPendingRequests must not be negative: " + maxPendingRequests);
        }
        this.maxPendingRequests = maxPendingRequests;
        return self();
    }

    /** TCP connect timeout, also the longest wait for a free connection (default 6 s). */
    public B connectTimeout(Duration connectTimeout) {
        this.connectTimeout = positive(connectTimeout, "connectTimeout");
        return self();
    }

    /**
     * Time from sending a request to its whole response (the default depends on the client). A request that timed
     * out may still have succeeded at the service.
     */
    public B requestTimeout(Duration requestTimeout) {
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        return self();
    }

    /** Idle connections are closed after this (default 60 s). */
    public B idleTimeout(Duration idleTimeout) {
        this.idleTimeout = positive(idleTimeout, "idleTimeout");
        return self();
    }

    /** Responses larger than this fail as malformed (at least 1024; the default depends on the client). */
    public B maxResponseBytes(int maxResponseBytes) {
        if (maxResponseBytes < 1024) {
            throw new IllegalArgumentException("maxResponseBytes must be at least 1024: " + maxResponseBytes);
        }
        this.maxResponseBytes = maxResponseBytes;
        return self();
    }

    /** Event loop threads when the client owns its loop group (positive). */
    public B ioThreads(int ioThreads) {
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
        }
        this.ioThreads = ioThreads;
        return self();
    }

    /**
     * Skip TLS certificate and host name verification (the KPL's VerifyCertificate=false). Only for local endpoints
     * with self-signed certificates; logged as a warning. {@link #caCertFile} trusts such a certificate safely.
     */
    public B trustAllCertificates(boolean trustAll) {
        this.trustAllCertificates = trustAll;
        return self();
    }

    /** A Netty event loop group to share (the client will not shut it down). */
    public B eventLoopGroup(EventLoopGroup group) {
        this.eventLoopGroup = Objects.requireNonNull(group, "group");
        return self();
    }

    /** Where futures complete (default: the Netty event loop that received the response). */
    public B callbackExecutor(Executor executor) {
        this.callbackExecutor = Objects.requireNonNull(executor, "executor");
        return self();
    }

    /** The clock signatures are dated with (tests). */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /**
     * Checks the settings that depend on each other; the concrete builder calls it first in {@code build()}.
     *
     * @param endpointHint how to make an endpoint, for the message when none was set
     * @throws IllegalStateException when no endpoint was set or minConnections exceeds maxConnections
     */
    protected final void checkComplete(String endpointHint) {
        if (endpoint == null) {
            throw new IllegalStateException("endpoint is required: " + endpointHint);
        }
        if (minConnections > maxConnections) {
            throw new IllegalStateException("minConnections (" + minConnections + ") must not exceed"
                    + " maxConnections (" + maxConnections + ")");
        }
    }

    private static Duration positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }
}
