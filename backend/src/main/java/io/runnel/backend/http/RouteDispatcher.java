package io.runnel.backend.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;

/**
 * Hands a request to the first {@link HttpRoute} that serves its path; every other request goes on to the Kinesis
 * handler. Stateless, shared by every connection.
 */
@ChannelHandler.Sharable
public final class RouteDispatcher extends ChannelInboundHandlerAdapter {
    private final List<HttpRoute> routes;

    /** @param routes the routes, asked in order */
    public RouteDispatcher(List<HttpRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof FullHttpRequest request && !routes.isEmpty()) {
            String path = new QueryStringDecoder(request.uri()).path();
            for (HttpRoute route : routes) {
                if (route.serves(path)) {
                    route.handle(ctx, request);
                    return;
                }
            }
        }
        ctx.fireChannelRead(msg);
    }
}
