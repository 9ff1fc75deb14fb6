package io.runnel.backend.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutorGroup;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Sets up each connection of the backend for the HTTP version the client speaks:
 *
 * <ul>
 *   <li>TLS: ALPN picks {@code h2} or {@code http/1.1} (a client that offers no ALPN gets the plain-text choice
 *       below, inside TLS);</li>
 *   <li>plain text: HTTP/1.1, or HTTP/2 when the client starts with the HTTP/2 preface (prior knowledge, as the AWS
 *       SDK's Netty client does) or asks for {@code Upgrade: h2c}.</li>
 * </ul>
 *
 * <p>Either way every request reaches a {@link KinesisRequestHandler} as one aggregated HTTP/1.x-style request: over
 * HTTP/2 each stream is a child channel with its own handler, so SubscribeToShard event streams and ordinary
 * actions share a connection. Handlers run on the worker group, not the I/O loop.
 */
public final class BackendChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final int INITIAL_WINDOW_BYTES = 1024 * 1024;
    private static final long MAX_CONCURRENT_STREAMS = 1000;

    private final SslContext ssl; // null: plain text
    private final ChannelGroup connections;
    private final EventExecutorGroup workers;
    private final Supplier<? extends ChannelHandler> requestHandlers;
    private final RouteDispatcher routes; // null: no routes besides the API
    private final int maxRequestBytes;

    /**
     * @param ssl             TLS with ALPN (see {@link #alpn}), or null for plain text
     * @param connections     every accepted connection is added here (closed with the backend)
     * @param workers         where request handlers run
     * @param requestHandlers a new {@link KinesisRequestHandler} per HTTP/1.1 connection or HTTP/2 stream
     * @param maxRequestBytes largest request body accepted
     */
    public BackendChannelInitializer(SslContext ssl, ChannelGroup connections, EventExecutorGroup workers,
            Supplier<? extends ChannelHandler> requestHandlers, int maxRequestBytes) {
        this(ssl, connections, workers, requestHandlers, java.util.List.of(), maxRequestBytes);
    }

    /**
     * @param ssl             TLS with ALPN (see {@link #alpn}), or null for plain text
     * @param connections     every accepted connection is added here (closed with the backend)
     * @param workers         where request handlers (and routes) run
     * @param requestHandlers a new {@link KinesisRequestHandler} per HTTP/1.1 connection or HTTP/2 stream
     * @param routes          routes that answer the paths they serve before the API handler sees them
     * @param maxRequestBytes largest request body accepted
     */
    public BackendChannelInitializer(SslContext ssl, ChannelGroup connections, EventExecutorGroup workers,
            Supplier<? extends ChannelHandler> requestHandlers, java.util.List<HttpRoute> routes,
            int maxRequestBytes) {
        this.routes = routes.isEmpty() ? null : new RouteDispatcher(routes);
        this.ssl = ssl;
        this.connections = Objects.requireNonNull(connections, "connections");
        this.workers = Objects.requireNonNull(workers, "workers");
        this.requestHandlers = Objects.requireNonNull(requestHandlers, "requestHandlers");
        this.maxRequestBytes = maxRequestBytes;
    }

    /** {@return the ALPN protocols the TLS port offers, most preferred first} */
    public static String[] alpn() {
        return new String[] {ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1};
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        connections.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (ssl == null) {
            addHttp1OrCleartextHttp2(p);
            return;
        }
        p.addLast("tls", ssl.newHandler(ch.alloc()));
        p.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    addHttp2(ctx.pipeline());
                } else {
                    addHttp1OrCleartextHttp2(ctx.pipeline());
                }
            }
        });
    }

    private void addHttp1OrCleartextHttp2(ChannelPipeline p) {
        HttpServerCodec http1 = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(http1, protocol ->
                AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? new Http2ServerUpgradeCodec(Http2FrameCodecBuilder.forServer().initialSettings(settings())
                                .build(), multiplexer())
                        : null, maxRequestBytes);
        p.addLast("h2c", new CleartextHttp2ServerUpgradeHandler(http1, upgrade, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                addHttp2(ch.pipeline());
            }
        }));
        p.addLast("http1-only", new Http1Remover());
        p.addLast("keepalive", new HttpServerKeepAliveHandler());
        p.addLast("aggregate", new HttpObjectAggregator(maxRequestBytes));
        if (routes != null) {
            p.addLast(workers, "routes", routes);
        }
        p.addLast(workers, "kinesis", requestHandlers.get());
    }

    private void addHttp2(ChannelPipeline p) {
        p.addLast("h2", Http2FrameCodecBuilder.forServer().initialSettings(settings()).build());
        p.addLast("h2-streams", multiplexer());
    }

    private static Http2Settings settings() {
        return Http2Settings.defaultSettings().initialWindowSize(INITIAL_WINDOW_BYTES)
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS);
    }

    private Http2MultiplexHandler multiplexer() {
        return new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast("http", new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast("aggregate", new HttpObjectAggregator(maxRequestBytes));
                if (routes != null) {
                    stream.pipeline().addLast(workers, "routes", routes);
                }
                stream.pipeline().addLast(workers, "kinesis", requestHandlers.get());
            }
        });
    }

    /** Once a connection switched to HTTP/2, its HTTP/1.1 handlers have nothing to do: this removes them. */
    private static final class Http1Remover extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent
                    || evt instanceof HttpServerUpgradeHandler.UpgradeEvent) {
                ChannelPipeline p = ctx.pipeline();
                for (String name : new String[] {"keepalive", "aggregate", "routes", "kinesis"}) {
                    if (p.get(name) != null) {
                        p.remove(name);
                    }
                }
                p.remove(this);
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
