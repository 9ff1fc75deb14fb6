package io.runnel.backend.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Requests besides the Kinesis and Firehose API (which is {@code POST /}) that the backend's ports also answer: a
 * route claims the paths it serves and answers them itself. The backend knows nothing of what a route does; the
 * console is one.
 *
 * <p>Implementations are thread-safe: {@link #handle} runs on the backend's worker threads, for many connections at
 * once.
 */
public interface HttpRoute {
    /**
     * Whether this route answers requests for {@code path}.
     *
     * @param path the request's path, without the query string (for example {@code /console/streams})
     * @return true to receive the request in {@link #handle}
     */
    boolean serves(String path);

    /**
     * Answers one request. The route owns {@code request} from here on (it releases it, or passes it on) and writes a
     * response on {@code ctx} — for a streamed response (server-sent events), as long as it likes.
     *
     * @param ctx     the connection's (or HTTP/2 stream's) context
     * @param request the whole request
     */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
