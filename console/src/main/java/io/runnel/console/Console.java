package io.runnel.console;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.http.HttpRoute;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console of the bundled backend, served under {@value #PREFIX} on the backend's own ports next to the
 * Kinesis API: HTML pages and ES modules from this jar, JSON from {@link ConsoleApi} under {@code /console/api/}.
 * Add it with {@code KinesisBackend.builder().route(Console::new)}. Thread-safe.
 *
 * <p>Pages: {@code /console} (the streams), {@code /console/streams/NAME} (a stream's shards drawn to scale, with
 * their lineage) and {@code /console/streams/NAME/shards/SHARD/records?from=…&at=…} (a shard's records, KPL
 * aggregates opened into their user records).
 */
public final class Console implements HttpRoute {
    /** Where the console lives on the backend's ports. */
    public static final String PREFIX = "/console";
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    private static final Pattern STATIC_NAME = Pattern.compile("[A-Za-z0-9_-]+\\.(js|css|html|svg)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "svg", "image/svg+xml");
    private static final int DEFAULT_PAGE = 100;

    private final ConsoleApi api;
    private final Map<String, byte[]> resources = new ConcurrentHashMap<>();

    /** @param backend the backend it is a route of (its store and clock are read) */
    public Console(KinesisBackend backend) {
        this(new ConsoleApi(backend.store(), backend.time()));
    }

    Console(ConsoleApi api) {
        this.api = api;
    }

    @Override
    public boolean serves(String path) {
        return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        FullHttpResponse response;
        try {
            response = answer(request);
        } catch (ConsoleApi.ApiException e) {
            response = json(HttpResponseStatus.valueOf(e.status()), api.error(e.status(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("console request {} failed", request.uri(), e);
            response = json(HttpResponseStatus.INTERNAL_SERVER_ERROR, api.error(500, e.toString()));
        } finally {
            request.release();
        }
        response.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        if (request.method() != HttpMethod.GET) {
            throw new ConsoleApi.ApiException(405, "the console answers GET, not " + request.method());
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        List<String> parts = segments(uri.path());
        if (!parts.isEmpty() && parts.get(0).equals("api")) {
            return json(HttpResponseStatus.OK, api(parts.subList(1, parts.size()), uri.parameters()));
        }
        if (parts.size() == 2 && parts.get(0).equals("static")) {
            return resource(parts.get(1));
        }
        if (parts.isEmpty()) {
            return resource("streams.html");
        }
        if (parts.get(0).equals("streams") && parts.size() == 2) {
            return resource("stream.html");
        }
        if (parts.get(0).equals("streams") && parts.size() == 5 && parts.get(2).equals("shards")
                && parts.get(4).equals("records")) {
            return resource("records.html");
        }
        throw new ConsoleApi.ApiException(404, "no console page at " + uri.path());
    }

    private byte[] api(List<String> parts, Map<String, List<String>> query) {
        if (parts.size() == 1 && parts.get(0).equals("streams")) {
            return api.streams();
        }
        if (parts.size() == 2 && parts.get(0).equals("streams")) {
            return api.stream(parts.get(1));
        }
        if (parts.size() == 5 && parts.get(0).equals("streams") && parts.get(2).equals("shards")
                && parts.get(4).equals("records")) {
            String limit = first(query, "limit");
            int n;
            try {
                n = limit == null ? DEFAULT_PAGE : Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw new ConsoleApi.ApiException(400, "limit: not a number: " + limit);
            }
            return api.records(parts.get(1), parts.get(3), first(query, "from"), first(query, "at"), n);
        }
        throw new ConsoleApi.ApiException(404, "no console API at /console/api/" + String.join("/", parts));
    }

    /** The path's segments after {@value #PREFIX}, each decoded ({@code %2F} and the like). */
    private static List<String> segments(String path) {
        String rest = path.length() <= PREFIX.length() ? "" : path.substring(PREFIX.length() + 1);
        if (rest.isEmpty()) {
            return List.of();
        }
        return java.util.Arrays.stream(rest.split("/", -1))
                .map(s -> QueryStringDecoder.decodeComponent(s, StandardCharsets.UTF_8))
                .filter(s -> !s.isEmpty()).toList();
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private FullHttpResponse resource(String name) {
        var m = STATIC_NAME.matcher(name);
        if (!m.matches()) {
            throw new ConsoleApi.ApiException(404, "no console file " + name);
        }
        byte[] bytes = resources.computeIfAbsent(name, Console::load);
        if (bytes.length == 0) {
            throw new ConsoleApi.ApiException(404, "no console file " + name);
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TYPES.get(m.group(1)));
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        return r;
    }

    private static byte[] load(String name) {
        try (InputStream in = Console.class.getResourceAsStream("static/" + name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }
}
