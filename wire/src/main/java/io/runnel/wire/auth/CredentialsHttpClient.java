package io.runnel.wire.auth;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.runnel.wire.TransportOptions;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.internal.HttpResult;
import io.runnel.wire.internal.HttpTransport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking HTTP/1.1 requests to credential endpoints (container agent, instance metadata service, STS) on top of
 * {@link HttpTransport}. Nothing is opened until the first request: then one daemon I/O thread
 * ({@code runnel-credentials-io}) and one keep-alive transport per scheme, host and port, kept until {@link #close()}.
 *
 * <p>Thread-safe. Callers block for at most the connect timeout plus the request timeout (and a small guard).
 */
final class CredentialsHttpClient implements AutoCloseable {
    private static final int MAX_RESPONSE_BYTES = 256 * 1024;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration GUARD = Duration.ofSeconds(2);

    /**
     * A response: status, body (small: credentials documents) and the AWS error type of a JSON-protocol error.
     *
     * @param errorType the {@code x-amzn-ErrorType} header up to its first {@code :}, or null
     * @param date      the {@code Date} header (the service's clock), or null
     */
    record Response(int status, byte[] body, String errorType, String date) {
        Response(int status, byte[] body) {
            this(status, body, null, null);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body for an error message: at most 256 characters on one line. */
        String excerpt() {
            String t = text().strip().replaceAll("\\s+", " ");
            return t.length() <= 256 ? t : t.substring(0, 256) + "...";
        }
    }

    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final TransportOptions options;
    private final Object lock = new Object();
    private EventLoopGroup group; // guarded by lock; created on first use
    private final Map<String, HttpTransport> transports = new HashMap<>(); // guarded by lock
    private boolean closed; // guarded by lock

    /**
     * @param connectTimeout TCP connect timeout (short for link-local endpoints, so a chain moves on quickly)
     * @param requestTimeout from sending the request to the whole response
     * @param options        proxy and extra CA certificates ({@link TransportOptions#DEFAULT} for link-local
     *                       endpoints, which must never go through a proxy)
     */
    CredentialsHttpClient(Duration connectTimeout, Duration requestTimeout) {
        this(connectTimeout, requestTimeout, TransportOptions.DEFAULT);
    }

    CredentialsHttpClient(Duration connectTimeout, Duration requestTimeout, TransportOptions options) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Sends one request and waits for the response, whatever its status.
     *
     * @param uri     absolute {@code http} or {@code https} URI; its path and query are sent
     * @param headers request headers (Host and Content-Length are set here)
     * @param body    request body, or null for none
     * @throws CredentialsException when no response arrived (connect failure, timeout, reset, TLS, interrupted);
     *                              its cause is the {@link KinesisTransportException} when there is one
     */
    Response send(String method, URI uri, Map<String, String> headers, byte[] body) {
        HttpTransport transport = transport(uri);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        List<Map.Entry<String, String>> h = new ArrayList<>(headers.size() + 1);
        h.add(Map.entry("Host", hostHeader(uri)));
        headers.forEach((k, v) -> h.add(Map.entry(k, v)));
        String what = method + " " + uri;
        try {
            HttpResult r = transport.execute(HttpMethod.valueOf(method), path, h,
                    body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body))
                    .get(connectTimeout.plus(requestTimeout).plus(GUARD).toMillis(), TimeUnit.MILLISECONDS);
            String errorType = r.headers() == null ? null : r.headers().get("x-amzn-ErrorType");
            if (errorType != null) {
                int colon = errorType.indexOf(':');
                errorType = EnvironmentCredentialsProvider.trimToNull(colon < 0 ? errorType
                        : errorType.substring(0, colon));
            }
            return new Response(r.status(), r.body(), errorType, r.headers() == null ? null
                    : r.headers().get("Date"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new CredentialsException(what + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new CredentialsException(what + ": no response within "
                    + connectTimeout.plus(requestTimeout).plus(GUARD).toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CredentialsException(what + ": interrupted", e);
        }
    }

    private HttpTransport transport(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new CredentialsException("not an http or https URI: " + uri);
        }
        String host = bareHost(uri);
        if (host == null) {
            throw new CredentialsException("no host in " + uri);
        }
        boolean tls = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String key = scheme + "://" + host + ":" + port;
        synchronized (lock) {
            if (closed) {
                throw new CredentialsException("the credentials provider is closed");
            }
            HttpTransport t = transports.get(key);
            if (t == null) {
                if (group == null) {
                    group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("runnel-credentials-io", true),
                            NioIoHandler.newFactory());
                }
                t = new HttpTransport(new HttpTransport.Settings(host, port, tls, false, 1, 8, connectTimeout,
                        requestTimeout, IDLE_TIMEOUT, MAX_RESPONSE_BYTES, 1, 0, options), group);
                transports.put(key, t);
            }
            return t;
        }
    }

    /** The URI's host without the brackets of an IPv6 literal, or null. */
    static String bareHost(URI uri) {
        String host = uri.getHost();
        if (host != null && host.startsWith("[") && host.endsWith("]")) {
            return host.substring(1, host.length() - 1);
        }
        return host;
    }

    /** The Host header sent for {@code uri} (what a signer must sign). */
    static String hostHeader(URI uri) {
        return uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    /** Closes every connection and the I/O thread; later requests fail. */
    @Override
    public void close() {
        EventLoopGroup g;
        List<HttpTransport> ts;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            g = group;
            ts = new ArrayList<>(transports.values());
            transports.clear();
        }
        for (HttpTransport t : ts) {
            t.close();
        }
        if (g != null) {
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
