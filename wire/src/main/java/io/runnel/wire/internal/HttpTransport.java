package io.runnel.wire.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.proxy.ProxyConnectException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.runnel.wire.ProxySettings;
import io.runnel.wire.TransportOptions;
import io.runnel.wire.error.KinesisException;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.error.KinesisTransportException.Kind;
import io.runnel.wire.error.ProxyAuthenticationException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 client for one endpoint over a bounded pool of keep-alive connections, one request in flight per
 * connection. Requests beyond the pool size wait, boundedly, for a free connection.
 *
 * <p>Every {@link #execute} future completes exactly once, on a Netty event loop: with the response, or with a
 * {@link KinesisTransportException} saying what went wrong (connect refused or timed out, TLS failure, connection
 * closed, request timeout, malformed or oversized response, client closed). A connection is never reused after a
 * timeout or an error. The request body is released exactly once whatever happens.
 *
 * <p>With a proxy that applies to the host ({@link TransportOptions#proxy()}), every connection first opens an HTTP
 * {@code CONNECT} tunnel through it (Basic authentication when configured; the destination is resolved by the
 * proxy), and requests wait for the tunnel. TLS trusts the JDK's CAs plus {@link TransportOptions#caCertificates()}.
 * With {@code minConnections > 0}, that many connections are opened at once and re-opened when closed (after a
 * growing delay while opening fails), and idle ones are not closed below that number.
 *
 * <p>Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);
    private static final AttributeKey<Exchange> EXCHANGE = AttributeKey.valueOf("runnel.exchange");
    /** The proxy handshake of a tunnelled connection: done when the proxy answered the CONNECT (or failed). */
    private static final AttributeKey<Future<Channel>> TUNNEL = AttributeKey.valueOf("runnel.tunnel");
    /** The status the proxy answered the CONNECT with. */
    private static final AttributeKey<Integer> TUNNEL_STATUS = AttributeKey.valueOf("runnel.tunnel.status");
    private static final long MIN_REOPEN_DELAY_MILLIS = 100;
    private static final long MAX_REOPEN_DELAY_MILLIS = 10_000;

    private final Settings settings;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final FixedChannelPool pool;
    private final Set<Exchange> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger connectionsOpened = new AtomicInteger();
    private final AtomicInteger pendingAcquires = new AtomicInteger();
    /** See {@link #recentRoundTripNanos}. */
    private volatile long recentRoundTripNanos;
    /** Connections the {@link Warmer} is opening (close lets them finish first, see there). */
    private final AtomicInteger warming = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ProxySettings proxy; // null: direct connections to this host
    private final Warmer warmer;

    /**
     * How the transport connects.
     *
     * @param host                 server host
     * @param port                 server port
     * @param tls                  HTTPS when true
     * @param trustAllCertificates skip certificate and host name verification (local testing only)
     * @param maxConnections       connections at most (1-256)
     * @param maxPendingRequests   requests waiting for a connection at most; beyond that they fail at once
     * @param connectTimeout       TCP connect (and pool wait) timeout
     * @param requestTimeout       from writing the request to the whole response
     * @param idleTimeout          idle connections are closed after this
     * @param maxResponseBytes     larger responses fail as malformed
     * @param ioThreads            event loop threads when the transport owns its group
     * @param minConnections       connections kept open (0 to maxConnections; 0: opened on demand only)
     * @param options              proxy and extra CA certificates
     */
    public record Settings(String host, int port, boolean tls, boolean trustAllCertificates, int maxConnections,
            int maxPendingRequests, Duration connectTimeout, Duration requestTimeout, Duration idleTimeout,
            int maxResponseBytes, int ioThreads, int minConnections, TransportOptions options) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(options, "options");
            if (minConnections < 0 || minConnections > maxConnections) {
                throw new IllegalArgumentException("minConnections must be 0-" + maxConnections + " (maxConnections),"
                        + " was " + minConnections);
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, was " + port);
            }
            if (maxConnections < 1 || maxConnections > 256) {
                throw new IllegalArgumentException("maxConnections must be 1-256, was " + maxConnections);
            }
            if (maxPendingRequests < 0) {
                throw new IllegalArgumentException("maxPendingRequests must not be negative: " + maxPendingRequests);
            }
            positive(connectTimeout, "connectTimeout");
            positive(requestTimeout, "requestTimeout");
            positive(idleTimeout, "idleTimeout");
            if (maxResponseBytes < 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be at least 1024: " + maxResponseBytes);
            }
            if (ioThreads < 1) {
                throw new IllegalArgumentException("ioThreads must be positive: " + ioThreads);
            }
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }

    /**
     * @param sharedGroup an event loop group to use (not shut down by {@link #close()}), or null to own one
     */
    public HttpTransport(Settings settings, EventLoopGroup sharedGroup) {
        this.settings = settings;
        this.ownsGroup = sharedGroup == null;
        this.group = sharedGroup != null ? sharedGroup : new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory("runnel-wire-io", true), NioIoHandler.newFactory());
        ProxySettings p = settings.options().proxy();
        this.proxy = p != null && p.appliesTo(settings.host()) ? p : null;
        SslContext ssl = settings.tls() ? sslContext(settings.trustAllCertificates(),
                settings.options().caCertificates()) : null;
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .remoteAddress(InetSocketAddress.createUnresolved(settings.host(), settings.port()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        settings.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true);
        if (proxy != null) {
            bootstrap.resolver(NoopAddressResolverGroup.INSTANCE); // the proxy resolves the destination
        }
        this.pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                openConnections.incrementAndGet();
                connectionsOpened.incrementAndGet();
                ch.closeFuture().addListener(f -> {
                    openConnections.decrementAndGet();
                    warmer.connectionClosed();
                });
                ChannelPipeline p = ch.pipeline();
                if (proxy != null) {
                    addTunnel(ch);
                }
                if (ssl != null) {
                    SslHandler handler = ssl.newHandler(ch.alloc(), settings.host(), settings.port());
                    if (!settings.trustAllCertificates()) {
                        SSLParameters params = handler.engine().getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        handler.engine().setSSLParameters(params);
                    }
                    p.addLast("tls", handler);
                }
                p.addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(),
                        TimeUnit.MILLISECONDS));
                p.addLast("http", new HttpClientCodec());
                p.addLast("aggregate", new HttpObjectAggregator(settings.maxResponseBytes()));
                p.addLast("response", new ResponseHandler());
            }
        }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL,
                settings.connectTimeout().toMillis(), settings.maxConnections(), Integer.MAX_VALUE, true, true);
        this.warmer = new Warmer();
        warmer.schedule(0);
    }

    /** CONNECT through the proxy first (with the status of its answer kept on the channel), then the rest. */
    private void addTunnel(Channel ch) {
        // Resolved per connection, so a proxy whose address changes is followed.
        InetSocketAddress address = new InetSocketAddress(proxy.host(), proxy.port());
        HttpProxyHandler handler = proxy.hasCredentials()
                ? new HttpProxyHandler(address, proxy.userName(), proxy.password() == null ? "" : proxy.password())
                : new HttpProxyHandler(address);
        handler.setConnectTimeoutMillis(settings.connectTimeout().toMillis());
        ch.pipeline().addLast("proxy", handler); // adds its HTTP codec in front of itself
        ch.pipeline().addBefore("proxy", "proxy-status", new TunnelStatusRecorder());
        ch.attr(TUNNEL).set(handler.connectFuture());
    }

    private static SslContext sslContext(boolean trustAll, List<java.security.cert.X509Certificate> caCertificates) {
        try {
            SslProvider provider = tlsProvider();
            if (provider == SslProvider.OPENSSL) {
                LOG.info("TLS by {} (netty-tcnative on the class path; -Drunnel.tls.provider=jdk for the JDK's)",
                        io.netty.handler.ssl.OpenSsl.versionString());
            }
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(provider);
            if (trustAll) {
                LOG.warn("TLS certificate verification is OFF: only for local testing against a self-signed endpoint");
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (!caCertificates.isEmpty()) {
                b.trustManager(PemCertificates.trustingDefaultsAnd(caCertificates));
            }
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot create the TLS context", e);
        }
    }

    /**
     * The TLS implementation: BoringSSL through Netty's netty-tcnative when the application has it on the class path
     * (AES-GCM there takes the client about a quarter less CPU per record than the JDK's engine, benchmarks/README.md),
     * else the JDK's own. {@code -Drunnel.tls.provider=jdk} keeps the JDK's even then.
     *
     * @return the provider for new TLS contexts
     */
    public static SslProvider tlsProvider() {
        if ("jdk".equalsIgnoreCase(System.getProperty("runnel.tls.provider"))
                || !io.netty.handler.ssl.OpenSsl.isAvailable()) {
            return SslProvider.JDK;
        }
        return SslProvider.OPENSSL;
    }

    /** Connections open now. */
    public int openConnections() {
        return openConnections.get();
    }

    /** Connections opened since start (a measure of keep-alive reuse). */
    public int connectionsOpened() {
        return connectionsOpened.get();
    }

    /**
     * The round trip of the most recently answered request, from the moment it was on the wire (written out on an
     * open connection, after any TLS handshake) to its whole answer: the network's round trip plus the service's
     * time, without connecting. 0 until a request is answered.
     */
    public long recentRoundTripNanos() {
        return recentRoundTripNanos;
    }

    /** Requests waiting for a connection. */
    public int pendingAcquires() {
        return pendingAcquires.get();
    }

    /**
     * Sends a request. The body's ownership passes to the transport. {@code Host} and {@code Content-Length} are
     * set here when absent.
     */
    public CompletableFuture<HttpResult> execute(HttpMethod method, String path,
            List<Map.Entry<String, String>> headers,
            ByteBuf body) {
        Exchange exchange = new Exchange(body);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, path, body);
        exchange.request = request;
        if (closed.get()) {
            exchange.fail(new KinesisTransportException(Kind.CLIENT_CLOSED, "the client is closed"));
            return exchange.future;
        }
        for (Map.Entry<String, String> h : headers) {
            request.headers().add(h.getKey(), h.getValue());
        }
        if (!request.headers().contains(HttpHeaderNames.HOST)) {
            boolean defaultPort = settings.port() == (settings.tls() ? 443 : 80);
            request.headers().set(HttpHeaderNames.HOST, defaultPort ? settings.host()
                    : settings.host() + ":" + settings.port());
        }
        HttpUtil.setContentLength(request, body.readableBytes());
        HttpUtil.setKeepAlive(request, true);
        inFlight.add(exchange);
        if (pendingAcquires.incrementAndGet() > settings.maxConnections() + settings.maxPendingRequests()) {
            pendingAcquires.decrementAndGet();
            exchange.fail(new KinesisTransportException(Kind.POOL_EXHAUSTED, settings.maxPendingRequests()
                    + " requests already wait for one of " + settings.maxConnections() + " connections to "
                    + settings.host() + ":" + settings.port()));
            return exchange.future;
        }
        pool.acquire().addListener((Future<Channel> f) -> {
            pendingAcquires.decrementAndGet();
            if (!f.isSuccess()) {
                exchange.fail(acquireFailure(f.cause()));
                return;
            }
            send(exchange, f.getNow());
        });
        return exchange.future;
    }

    private void send(Exchange exchange, Channel ch) {
        exchange.channel = ch;
        Future<Channel> tunnel = ch.attr(TUNNEL).get();
        if (tunnel != null && !tunnel.isDone()) {
            tunnel.addListener(f -> send(exchange, ch)); // completes on the channel's event loop
            return;
        }
        if (tunnel != null && !tunnel.isSuccess() && !exchange.isDone()) {
            exchange.fail(proxyFailure(ch, tunnel.cause()));
            ch.close();
            releaseChannel(exchange);
            return;
        }
        if (exchange.isDone() || closed.get()) {
            // Failed (client closed) while waiting for the connection.
            exchange.fail(new KinesisTransportException(Kind.CLIENT_CLOSED, "the client is closed"));
            ch.close();
            releaseChannel(exchange);
            return;
        }
        ch.attr(EXCHANGE).set(exchange);
        exchange.timeout = ch.eventLoop().schedule(() -> {
            if (exchange.fail(new KinesisTransportException(Kind.REQUEST_TIMEOUT, "no response within "
                    + settings.requestTimeout().toMillis() + " ms from " + settings.host() + ":" + settings.port()))) {
                ch.close();
            }
        }, settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        FullHttpRequest request;
        synchronized (exchange) {
            if (exchange.done) {
                ch.close();
                releaseChannel(exchange);
                return;
            }
            request = exchange.request;
            exchange.request = null; // the write owns it now
        }
        ch.writeAndFlush(request).addListener(w -> {
            if (w.isSuccess()) {
                exchange.writtenNanos = System.nanoTime(); // a TLS connection writes once its handshake is done
            } else {
                exchange.fail(transportFailure(ch, w.cause()));
                ch.close();
            }
        });
    }

    private KinesisException acquireFailure(Throwable cause) {
        if (closed.get() || cause instanceof IllegalStateException) {
            return new KinesisTransportException(Kind.CLIENT_CLOSED, "the client is closed", cause);
        }
        if (proxy != null && !(cause instanceof java.util.concurrent.TimeoutException)) {
            return proxyFailure(null, cause); // the TCP connection to the proxy itself failed
        }
        if (cause instanceof io.netty.channel.ConnectTimeoutException) {
            return new KinesisTransportException(Kind.CONNECT_TIMEOUT, "connecting to " + settings.host() + ":"
                    + settings.port() + " timed out after " + settings.connectTimeout().toMillis() + " ms", cause);
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new KinesisTransportException(Kind.CONNECT_TIMEOUT, "no connection to " + settings.host() + ":"
                    + settings.port() + " became free within " + settings.connectTimeout().toMillis() + " ms", cause);
        }
        if (cause instanceof ConnectException || cause instanceof java.net.UnknownHostException
                || cause instanceof java.net.NoRouteToHostException) {
            return new KinesisTransportException(Kind.CONNECT_FAILED, "cannot connect to " + settings.host() + ":"
                    + settings.port() + ": " + cause.getMessage(), cause);
        }
        return transportFailure(null, cause);
    }

    /** What went wrong opening the tunnel: 407 is {@link ProxyAuthenticationException}, the rest PROXY_FAILED. */
    private KinesisException proxyFailure(Channel ch, Throwable cause) {
        String proxyName = proxy.host() + ":" + proxy.port();
        String destination = settings.host() + ":" + settings.port();
        Integer status = ch == null ? null : ch.attr(TUNNEL_STATUS).get();
        if (status != null && status == 407) {
            return new ProxyAuthenticationException(proxyName, destination, proxy.hasCredentials(), cause);
        }
        String why;
        if (status != null) {
            why = "it answered the CONNECT with status " + status;
        } else if (cause instanceof UnresolvedAddressException) {
            why = "cannot resolve the proxy's host name";
        } else if (cause instanceof ProxyConnectException && cause.getCause() == null) {
            why = cause.getMessage(); // Netty's "timeout" or "disconnected", with the addresses
        } else {
            why = String.valueOf(cause instanceof ProxyConnectException && cause.getCause() != null
                    ? cause.getCause() : cause);
        }
        return new KinesisTransportException(Kind.PROXY_FAILED, "no tunnel through proxy " + proxyName + " to "
                + destination + ": " + why, cause);
    }

    private KinesisException transportFailure(Channel ch, Throwable cause) {
        if (closed.get()) {
            return new KinesisTransportException(Kind.CLIENT_CLOSED, "the client is closed", cause);
        }
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (proxy != null && root instanceof ProxyConnectException) {
            return proxyFailure(ch, root);
        }
        if (root instanceof SSLException) {
            return new KinesisTransportException(Kind.TLS_FAILED, "TLS with " + settings.host() + ":"
                    + settings.port() + " failed: " + root.getMessage(), cause);
        }
        if (root instanceof TooLongFrameException || cause instanceof DecoderException) {
            return new KinesisTransportException(Kind.MALFORMED_RESPONSE, "malformed response from "
                    + settings.host() + ":" + settings.port() + ": " + root.getMessage(), cause);
        }
        if (root instanceof ClosedChannelException) {
            return new KinesisTransportException(Kind.CONNECTION_CLOSED, "connection to " + settings.host() + ":"
                    + settings.port() + " closed", cause);
        }
        return new KinesisTransportException(Kind.CONNECTION_CLOSED, "connection to " + settings.host() + ":"
                + settings.port() + " failed: " + root, cause);
    }

    private void releaseChannel(Exchange exchange) {
        Channel ch = exchange.channel;
        if (ch != null && exchange.channelReleased.compareAndSet(false, true)) {
            ch.attr(EXCHANGE).set(null);
            pool.release(ch);
        }
    }

    /** Closes every connection and fails what is in flight or waiting with {@code CLIENT_CLOSED}. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Exchange e : inFlight) {
            if (e.fail(new KinesisTransportException(Kind.CLIENT_CLOSED, "the client is closed"))
                    && e.channel != null) {
                e.channel.close();
            }
        }
        // A connection being opened (the warmer opens one as soon as the client is built) completes the pool's
        // promise on the pool's event loop, which may not be the loop that opened it: if the pool's loop has already
        // shut down, it rejects that task and Netty logs the rejection as an error. So: a moment for those
        // connections to finish, and below a short quiet period, in which a shutting-down loop still takes tasks, for
        // the ones its loop fails as it shuts down.
        long deadline = System.nanoTime() + Math.min(settings.connectTimeout().toNanos(), WARMING_WAIT_NANOS);
        while (warming.get() > 0 && System.nanoTime() - deadline < 0 && !onEventLoop()) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        try {
            pool.closeAsync().await(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownsGroup) {
            group.shutdownGracefully(50, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    private static final long WARMING_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Whether this thread is one of the group's event loops (which must not wait for the others' work). */
    private boolean onEventLoop() {
        for (io.netty.util.concurrent.EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Keeps the proxy's answer to the CONNECT on the channel, then steps aside once the tunnel carries data. */
    private static final class TunnelStatusRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpResponse r) {
                ctx.channel().attr(TUNNEL_STATUS).set(r.status().code());
                ctx.fireChannelRead(msg);
            } else if (msg instanceof io.netty.handler.codec.http.HttpObject) {
                ctx.fireChannelRead(msg);
            } else {
                ctx.pipeline().remove(this);
                ctx.fireChannelRead(msg);
            }
        }
    }

    /**
     * Keeps {@code minConnections} open: opens the missing ones (acquiring from the pool until that many are held at
     * once, then releasing them idle), again whenever one closes. A round counts as failed when a connection could
     * not be opened, tunnelled or TLS-handshaken; then the next waits longer (up to 10 s), so a dead endpoint or
     * proxy is not hammered. At most one round is scheduled or running at a time.
     */
    private final class Warmer {
        private final AtomicBoolean scheduled = new AtomicBoolean();
        private volatile long delayMillis = MIN_REOPEN_DELAY_MILLIS; // written by the round that just ended
        private volatile boolean pendingRecheck; // a close came while a round was scheduled or running

        void connectionClosed() {
            if (settings.minConnections() > 0 && !closed.get()) {
                pendingRecheck = true;
                schedule(delayMillis);
            }
        }

        void schedule(long delay) {
            if (settings.minConnections() == 0 || closed.get() || !scheduled.compareAndSet(false, true)) {
                return;
            }
            pendingRecheck = false;
            try {
                group.next().schedule(this::round, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false);
            }
        }

        private void round() {
            int toHold = settings.minConnections() - pool.acquiredChannelCount();
            if (closed.get() || openConnections.get() >= settings.minConnections() || toHold <= 0) {
                finish(true);
                return;
            }
            List<Channel> held = new ArrayList<>(toHold);
            AtomicInteger remaining = new AtomicInteger(toHold);
            AtomicBoolean failed = new AtomicBoolean();
            for (int i = 0; i < toHold; i++) {
                warming.incrementAndGet();
                pool.acquire().addListener((Future<Channel> f) -> {
                    warming.decrementAndGet();
                    if (f.isSuccess()) {
                        Channel ch = f.getNow();
                        synchronized (held) {
                            held.add(ch);
                        }
                        ready(ch).addListener(r -> {
                            if (!r.isSuccess()) {
                                failed.set(true);
                                LOG.debug("keeping {} connections open to {}:{}: {}", settings.minConnections(),
                                        settings.host(), settings.port(), r.cause().toString());
                            }
                            settle(remaining, held, failed);
                        });
                    } else {
                        failed.set(true);
                        LOG.debug("keeping {} connections open to {}:{}: {}", settings.minConnections(),
                                settings.host(), settings.port(), f.cause().toString());
                        settle(remaining, held, failed);
                    }
                });
            }
        }

        /** Done when the connection can carry a request: tunnel open, TLS handshake done. */
        private Future<?> ready(Channel ch) {
            Future<Channel> tunnel = ch.attr(TUNNEL).get();
            SslHandler tls = ch.pipeline().get(SslHandler.class);
            if (tls != null) {
                return tls.handshakeFuture(); // fails too when the tunnel fails (the channel closes)
            }
            return tunnel != null ? tunnel : ch.newSucceededFuture();
        }

        private void settle(AtomicInteger remaining, List<Channel> held, AtomicBoolean failed) {
            if (remaining.decrementAndGet() > 0) {
                return;
            }
            List<Channel> release;
            synchronized (held) {
                release = new ArrayList<>(held);
            }
            for (Channel ch : release) {
                pool.release(ch);
            }
            finish(!failed.get());
        }

        private void finish(boolean ok) {
            long delay = ok ? MIN_REOPEN_DELAY_MILLIS
                    : Math.min(MAX_REOPEN_DELAY_MILLIS, Math.max(MIN_REOPEN_DELAY_MILLIS, delayMillis * 2));
            delayMillis = delay;
            scheduled.set(false);
            if (!ok || pendingRecheck || openConnections.get() < settings.minConnections()) {
                schedule(delay);
            }
        }
    }

    /** One request and its outcome. */
    private final class Exchange {
        final CompletableFuture<HttpResult> future = new CompletableFuture<>();
        final AtomicBoolean channelReleased = new AtomicBoolean();
        final ByteBuf body;
        volatile FullHttpRequest request; // until written
        volatile Channel channel;
        volatile ScheduledFuture<?> timeout;
        volatile long writtenNanos; // when the request was on the wire; 0 before
        private boolean done; // guarded by this

        Exchange(ByteBuf body) {
            this.body = body;
        }

        /** Fails the request unless it already completed; releases the body if it was never written. */
        boolean fail(KinesisException e) {
            boolean first = finish();
            if (first) {
                future.completeExceptionally(e);
            }
            return first;
        }

        synchronized boolean isDone() {
            return done;
        }

        boolean succeed(HttpResult result) {
            boolean first = finish();
            if (first) {
                future.complete(result);
            }
            return first;
        }

        private boolean finish() {
            synchronized (this) {
                if (done) {
                    return false;
                }
                done = true;
                if (request != null) {
                    // Never handed to a write: the body is still ours to release.
                    request = null;
                    body.release();
                }
            }
            inFlight.remove(this);
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            return true;
        }
    }

    /** Completes the exchange attached to the channel; decides whether the connection goes back to the pool. */
    private final class ResponseHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange == null) {
                ctx.close(); // a response nobody asked for: this connection cannot be trusted
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(response) && response.decoderResult().isSuccess();
            if (!response.decoderResult().isSuccess()) {
                exchange.fail(transportFailure(ctx.channel(),
                        new DecoderException(response.decoderResult().cause())));
                ctx.close();
            } else {
                byte[] body = ByteBufUtil.getBytes(response.content());
                long written = exchange.writtenNanos;
                if (written != 0) {
                    recentRoundTripNanos = Math.max(1, System.nanoTime() - written);
                }
                exchange.succeed(new HttpResult(response.status().code(), response.headers().copy(), body));
                if (!keepAlive) {
                    ctx.close();
                }
            }
            releaseChannel(exchange);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange != null) {
                exchange.fail(transportFailure(ctx.channel(), new ClosedChannelException()));
                releaseChannel(exchange);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange exchange = ctx.channel().attr(EXCHANGE).get();
            if (exchange != null) {
                exchange.fail(transportFailure(ctx.channel(), cause));
                releaseChannel(exchange);
            }
            ctx.close();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent && ctx.channel().attr(EXCHANGE).get() == null
                    && openConnections.get() > settings.minConnections()) {
                ctx.close(); // idle in the pool too long, and more are open than must be kept
            }
            super.userEventTriggered(ctx, evt);
        }
    }
}
