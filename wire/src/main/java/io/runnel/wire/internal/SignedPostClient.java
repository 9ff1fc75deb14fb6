package io.runnel.wire.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.runnel.wire.Endpoint;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import io.runnel.wire.error.KinesisServiceException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What the Kinesis, Firehose and CloudWatch clients have in common: a SigV4-signed {@code POST /} to one endpoint
 * over an {@link HttpTransport} set up from a {@link SignedClientBuilder} (proxy, CA certificates, TLS verification,
 * connection limits, timeouts), with the credentials the builder names or the default chain (reaching STS the same
 * way), and futures completed on the callback executor when there is one. The clients add their body encoding and
 * their answer decoding, error mapping included.
 *
 * <p>Not API. Thread-safe.
 */
public final class SignedPostClient implements AutoCloseable {
    private static final String USER_AGENT = "runnel/0.1.0";

    private final Endpoint endpoint;
    private final CredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final SigV4Signer signer;
    private final HttpTransport transport;
    private final Clock clock;
    private final ClockSkew clockSkew = new ClockSkew();
    private final Executor callbackExecutor; // null: futures complete on the event loop

    /** Writes a request body. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * A client for the settings of {@code b}, signing for {@code signingService}.
     *
     * @throws IllegalArgumentException when the transport settings are inconsistent
     */
    public SignedPostClient(SignedClientBuilder<?> b, String signingService) {
        this.endpoint = b.endpoint;
        // A provider the caller passed is the caller's to close; the default chain is ours.
        this.ownsCredentials = b.credentials == null;
        this.credentials = ownsCredentials ? new DefaultCredentialsProvider(System.getenv(), System.getProperties(),
                Path.of(System.getProperty("user.home")), Clock.systemUTC(), b.options) : b.credentials;
        this.signer = new SigV4Signer(endpoint.region(), signingService);
        this.clock = b.clock;
        this.callbackExecutor = b.callbackExecutor;
        try {
            this.transport = new HttpTransport(new HttpTransport.Settings(endpoint.host(), endpoint.port(),
                    endpoint.isTls(), b.trustAllCertificates, b.maxConnections, b.maxPendingRequests,
                    b.connectTimeout, b.requestTimeout, b.idleTimeout, b.maxResponseBytes, b.ioThreads,
                    b.minConnections, b.options), b.eventLoopGroup);
        } catch (RuntimeException e) {
            if (ownsCredentials) {
                credentials.close();
            }
            throw e;
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Connections open now. */
    public int openConnections() {
        return transport.openConnections();
    }

    /** Connections opened since start. */
    public int connectionsOpened() {
        return transport.connectionsOpened();
    }

    /** See {@link HttpTransport#recentRoundTripNanos}. */
    public long recentRoundTripNanos() {
        return transport.recentRoundTripNanos();
    }

    /**
     * Signs and sends {@code POST /}: the body {@code writer} writes, with {@code Content-Type: contentType} and, when
     * not null, {@code X-Amz-Target: target}; the answer goes through {@code reader}, which throws the client's typed
     * error for an error answer. Never throws: encoding, credentials and transport failures complete the future
     * exceptionally.
     */
    public <R> CompletableFuture<R> post(String contentType, String target, BodyWriter writer,
            Function<HttpResult, R> reader) {
        return post(contentType, target, 256, writer, reader);
    }

    /**
     * As {@link #post(String, String, BodyWriter, Function)}, the body's buffer starting at {@code sizeHint} bytes
     * (about what {@code writer} writes: a large body is then not grown, and copied, a doubling at a time).
     */
    public <R> CompletableFuture<R> post(String contentType, String target, int sizeHint, BodyWriter writer,
            Function<HttpResult, R> reader) {
        ByteBuf body = null;
        try {
            Credentials creds = credentials.resolveCredentials();
            body = PooledByteBufAllocator.DEFAULT.buffer(Math.max(256, sizeHint));
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                writer.write(out);
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>(8);
            headers.add(Map.entry("Host", endpoint.hostHeader()));
            headers.add(Map.entry("Content-Type", contentType));
            if (target != null) {
                headers.add(Map.entry("X-Amz-Target", target));
            }
            Instant signedAt = clockSkew.now(clock);
            Map<String, String> auth = signer.sign(new SignableRequest("POST", "/", null, headers, body.nioBuffer()),
                    creds, signedAt);
            auth.forEach((k, v) -> headers.add(Map.entry(k, v)));
            headers.add(Map.entry("User-Agent", USER_AGENT));
            ByteBuf toSend = body;
            body = null; // the transport owns it now
            CompletableFuture<R> result = transport.execute(HttpMethod.POST, "/", headers, toSend)
                    .thenApply(r -> read(reader, r, signedAt));
            return callbackExecutor == null ? result : result.whenCompleteAsync((r, e) -> { }, callbackExecutor);
        } catch (RuntimeException | IOException e) {
            if (body != null) {
                body.release();
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@code reader}'s result; when it throws the service's refusal of the request's signing time, the retryable
     * {@link io.runnel.wire.error.ClockSkewException} instead, the client now signing with the service's time.
     */
    private <R> R read(Function<HttpResult, R> reader, HttpResult r, Instant signedAt) {
        try {
            return reader.apply(r);
        } catch (KinesisServiceException e) {
            throw clockSkew.examine(e, r.headers() == null ? null : r.headers().get("Date"), signedAt,
                    clock.instant());
        }
    }

    /** Closes the connections and, when the client made it, the default credentials chain. */
    @Override
    public void close() {
        transport.close();
        if (ownsCredentials) {
            credentials.close();
        }
    }
}
