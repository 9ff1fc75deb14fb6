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
 * their lineage and write rates) and {@code /console/streams/NAME/shards/SHARD/records?from=…&at=…} (a shard's
 * records, KPL aggregates opened into their user records). Live updates are server-sent events under
 * {@code /console/api/events/}; actions ({@link ConsoleActions}) are POST and DELETE requests that carry the header
 * {@value #ACTION_HEADER}, which a page of another site cannot send without the browser asking first (and it is not
 * asked): so no other site can act on the backend through a visitor's browser.
 */
public final class Console implements HttpRoute, AutoCloseable {
    /** Where the console lives on the backend's ports. */
    public static final String PREFIX = "/console";
    private static final Logger LOG = LoggerFactory.getLogger(Console.class);
    private static final Pattern STATIC_NAME = Pattern.compile("[A-Za-z0-9_-]+\\.(js|css|html|svg)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8", "html", "text/html; charset=utf-8", "svg", "image/svg+xml");
    /** The header every action request must carry (any value). */
    public static final String ACTION_HEADER = "X-Runnel-Console";
    private static final int DEFAULT_PAGE = 100;
    private static final String UPLOT_POM = "META-INF/maven/org.webjars.npm/uplot/pom.properties";
    private static final long TAIL_EVERY_MILLIS = 250;
    private static final int MAX_EVENT_STREAMS = 64;

    private final ConsoleApi api;
    private final ConsoleActions actions;
    private final Map<String, byte[]> resources = new ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService sampler; // null: sampled by hand (tests)
    private final java.util.concurrent.atomic.AtomicInteger eventStreams = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A console for {@code backend}; samples its write rates once a second on a daemon thread until
     * {@link #close}d (the backend closes its routes).
     *
     * @param backend the backend it is a route of (its store and clock are read)
     */
    public Console(KinesisBackend backend) {
        this(new ConsoleApi(backend.store(), backend.time(), backend::subscriptions),
                new ConsoleActions(backend.store()), backend.time());
    }

    Console(ConsoleApi api, ConsoleActions actions, io.runnel.backend.store.TimeSource sampleWith) {
        this.api = api;
        this.actions = actions;
        if (sampleWith == null) {
            this.sampler = null;
        } else {
            this.sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "runnel-console-sampler");
                t.setDaemon(true);
                return t;
            });
            sampler.scheduleAtFixedRate(() -> sample(sampleWith), 0, 1, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    private void sample(io.runnel.backend.store.TimeSource time) {
        try {
            api.history().sample(time.millis());
        } catch (RuntimeException e) {
            LOG.warn("console: sampling the write rates failed", e);
        }
    }

    /** Stops sampling; event streams end when the backend closes their connections. */
    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
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
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            List<String> parts = segments(uri.path());
            if (request.method() == HttpMethod.GET && parts.size() >= 2 && parts.get(0).equals("api")
                    && parts.get(1).equals("events")) {
                startEvents(ctx, parts.subList(2, parts.size()), uri.parameters());
                return;
            }
            response = answer(request, uri, parts);
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

    private FullHttpResponse answer(FullHttpRequest request, QueryStringDecoder uri, List<String> parts) {
        if (request.method() == HttpMethod.POST || request.method() == HttpMethod.DELETE) {
            if (!request.headers().contains(ACTION_HEADER)) {
                throw new ConsoleApi.ApiException(403, "console actions need the header " + ACTION_HEADER);
            }
            String done = act(request.method(), parts, io.netty.buffer.ByteBufUtil.getBytes(request.content()));
            return json(HttpResponseStatus.OK, api.message(done));
        }
        if (request.method() != HttpMethod.GET) {
            throw new ConsoleApi.ApiException(405, "the console answers GET, POST and DELETE, not "
                    + request.method());
        }
        if (!parts.isEmpty() && parts.get(0).equals("api")) {
            return json(HttpResponseStatus.OK, api(parts.subList(1, parts.size()), uri.parameters()));
        }
        if (parts.size() == 2 && parts.get(0).equals("static")) {
            return resource(parts.get(1));
        }
        if (parts.size() == 2 && parts.get(0).equals("uplot")) {
            return uplot(parts.get(1));
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

    /** POST /console/api/streams, DELETE /console/api/streams/NAME, POST /console/api/streams/NAME/ACTION. */
    private String act(HttpMethod method, List<String> parts, byte[] body) {
        boolean streams = parts.size() >= 2 && parts.get(0).equals("api") && parts.get(1).equals("streams");
        if (streams && parts.size() == 2 && method == HttpMethod.POST) {
            return actions.createStream(body);
        }
        if (streams && parts.size() == 3 && method == HttpMethod.DELETE) {
            return actions.deleteStream(parts.get(2));
        }
        if (streams && parts.size() == 4 && method == HttpMethod.POST) {
            String stream = parts.get(2);
            switch (parts.get(3)) {
                case "split":
                    return actions.split(stream, body);
                case "merge":
                    return actions.merge(stream, body);
                case "shard-count":
                    return actions.updateShardCount(stream, body);
                case "records":
                    return actions.putRecord(stream, body);
                default:
                    break;
            }
        }
        throw new ConsoleApi.ApiException(404, "no console action " + method + " /console/" + String.join("/", parts));
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
            int n = limit(query);
            return api.records(parts.get(1), parts.get(3), first(query, "from"), first(query, "at"), n).json();
        }
        throw new ConsoleApi.ApiException(404, "no console API at /console/api/" + String.join("/", parts));
    }

    private static int limit(Map<String, List<String>> query) {
        String limit = first(query, "limit");
        try {
            return limit == null ? DEFAULT_PAGE : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new ConsoleApi.ApiException(400, "limit: not a number: " + limit);
        }
    }

    /**
     * Server-sent events: {@code events/streams} (every stream, each second), {@code events/streams/NAME} (one
     * stream with its shards, each second) and {@code events/streams/NAME/shards/SHARD/tail?from=…&at=…} (the
     * shard's records as they arrive). A failure is an event {@code failure} with the error's JSON, then the end.
     */
    private void startEvents(ChannelHandlerContext ctx, List<String> parts, Map<String, List<String>> query) {
        java.util.function.Supplier<byte[]> next;
        String event;
        long everyMillis = 1000;
        if (parts.size() == 1 && parts.get(0).equals("streams")) {
            next = api::streams;
            event = "streams";
        } else if (parts.size() == 2 && parts.get(0).equals("streams")) {
            String name = parts.get(1);
            api.stream(name); // a missing stream is a 404 now, not an event later
            next = () -> api.stream(name);
            event = "stream";
        } else if (parts.size() == 5 && parts.get(0).equals("streams") && parts.get(2).equals("shards")
                && parts.get(4).equals("tail")) {
            String stream = parts.get(1);
            String shard = parts.get(3);
            int limit = limit(query);
            String[] at = {first(query, "from"), first(query, "at")};
            api.records(stream, shard, at[0], at[1], 1); // checks the position now
            next = () -> {
                ConsoleApi.Page page = api.records(stream, shard, at[0], at[1], limit);
                at[0] = page.nextFrom();
                at[1] = page.nextAt();
                return page.count() == 0 ? null : page.json();
            };
            event = "records";
            everyMillis = TAIL_EVERY_MILLIS;
        } else {
            throw new ConsoleApi.ApiException(404, "no console events at /console/api/events/" + String.join("/", parts));
        }
        if (eventStreams.incrementAndGet() > MAX_EVENT_STREAMS) {
            eventStreams.decrementAndGet();
            throw new ConsoleApi.ApiException(503, "the console serves at most " + MAX_EVENT_STREAMS
                    + " live views at once; close some pages");
        }
        io.netty.handler.codec.http.HttpResponse head = new io.netty.handler.codec.http.DefaultHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        head.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        long[] quietSince = {System.nanoTime()};
        var task = ctx.executor().scheduleAtFixedRate(() -> {
            if (!ctx.channel().isActive() || !ctx.channel().isWritable()) {
                return; // a slow reader skips updates rather than piling them up
            }
            String text;
            try {
                byte[] data = next.get();
                if (data == null) {
                    if (System.nanoTime() - quietSince[0] < 15_000_000_000L) {
                        return;
                    }
                    text = ": still here\n\n"; // a comment keeps proxies from closing a quiet stream
                } else {
                    text = "event: " + event + "\ndata: " + new String(data, StandardCharsets.UTF_8) + "\n\n";
                }
            } catch (ConsoleApi.ApiException e) {
                text = "event: failure\ndata: " + new String(api.error(e.status(), e.getMessage()),
                        StandardCharsets.UTF_8) + "\n\n";
                ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                        Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
                ctx.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT)
                        .addListener(ChannelFutureListener.CLOSE);
                throw e; // ends the schedule
            }
            quietSince[0] = System.nanoTime();
            ctx.writeAndFlush(new io.netty.handler.codec.http.DefaultHttpContent(
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
        }, 0, everyMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> {
            task.cancel(false);
            eventStreams.decrementAndGet();
        });
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
        byte[] bytes = resources.computeIfAbsent(name, k -> load("io/runnel/console/static/" + name));
        if (bytes.length == 0) {
            throw new ConsoleApi.ApiException(404, "no console file " + name);
        }
        return response(HttpResponseStatus.OK, bytes, TYPES.get(m.group(1)), "no-cache");
    }

    /** uPlot (the charts), from its WebJar: the version is the one on the class path (its pom.properties). */
    private FullHttpResponse uplot(String name) {
        if (!name.equals("uPlot.esm.js") && !name.equals("uPlot.min.css")) {
            throw new ConsoleApi.ApiException(404, "no console file " + name);
        }
        byte[] bytes = resources.computeIfAbsent("uplot/" + name, k -> {
            java.util.Properties pom = new java.util.Properties();
            try {
                pom.load(new java.io.ByteArrayInputStream(load(UPLOT_POM)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String version = pom.getProperty("version");
            return version == null ? new byte[0] : load("META-INF/resources/webjars/uplot/" + version + "/dist/" + name);
        });
        if (bytes.length == 0) {
            throw new ConsoleApi.ApiException(404, "uPlot's WebJar (org.webjars.npm:uplot) is not on the class path");
        }
        return response(HttpResponseStatus.OK, bytes, TYPES.get(name.endsWith(".js") ? "js" : "css"),
                "max-age=86400");
    }

    /** A resource of the class path, or no bytes when it is not there. */
    private static byte[] load(String path) {
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
        return response(status, body, "application/json", "no-store");
    }

    private static FullHttpResponse response(HttpResponseStatus status, byte[] body, String type,
            String cacheControl) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        return r;
    }
}
