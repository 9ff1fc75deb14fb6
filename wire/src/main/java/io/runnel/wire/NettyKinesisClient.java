package io.runnel.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.internal.HttpResult;
import io.runnel.wire.internal.HttpTransport;
import io.runnel.wire.model.PutRecordRequest;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Kinesis client over Netty: requests encoded with {@link KinesisCodec} (CBOR by default, like the AWS SDK),
 * signed with SigV4, sent over a pool of keep-alive HTTP/1.1 connections (TLS through the JDK, certificates verified
 * unless explicitly turned off), optionally through an HTTP {@code CONNECT} proxy ({@link Builder#proxy}) and trusting
 * extra CA certificates ({@link Builder#caCertFile}, {@link Builder#caCertPath}).
 *
 * <p>Requests that break an API rule the client can check — a missing required field, more than 500 PutRecords
 * entries, more than 5 MiB in one PutRecords, a partition key outside 1-256 chars — fail with a
 * {@link io.runnel.wire.error.ValidationException} before any I/O.
 *
 * <p>Futures complete on the {@link Builder#callbackExecutor callback executor} when one is set, else on a Netty
 * event loop (then keep callbacks short and non-blocking). Thread-safe.
 */
public final class NettyKinesisClient implements KinesisClient {
    /** PutRecords limits of the API. */
    public static final int MAX_PUT_RECORDS_ENTRIES = 500;
    /**
     * The most a PutRecords request of several records may carry (data plus partition keys); a request of one record
     * may carry up to {@link #MAX_RECORD_BYTES}, for streams whose maximum record size was raised (UpdateMaxRecordSize).
     * The service checks each stream's own limits.
     */
    public static final long MAX_PUT_RECORDS_BYTES = 5L * 1024 * 1024;
    /** The largest record any stream accepts (10 MiB, after UpdateMaxRecordSize). */
    public static final int MAX_RECORD_BYTES = 10 * 1024 * 1024;
    private static final String USER_AGENT = "runnel/0.1.0";

    private final Endpoint endpoint;
    private final KinesisCodec codec;
    private final CredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final SigV4Signer signer;
    private final HttpTransport transport;
    private final Clock clock;
    private final Executor callbackExecutor;

    private NettyKinesisClient(Builder b) {
        this.endpoint = b.endpoint;
        this.codec = KinesisCodec.of(b.protocol);
        // A provider the caller passed is the caller's to close; the default chain is ours.
        this.ownsCredentials = b.credentials == null;
        // The default chain's STS calls leave through the same proxy and trust the same CAs as Kinesis requests.
        this.credentials = ownsCredentials ? new DefaultCredentialsProvider(System.getenv(), System.getProperties(),
                java.nio.file.Path.of(System.getProperty("user.home")), Clock.systemUTC(), b.options) : b.credentials;
        this.signer = new SigV4Signer(endpoint.region(), Endpoint.SIGNING_SERVICE);
        this.clock = b.clock;
        this.callbackExecutor = b.callbackExecutor;
        this.transport = new HttpTransport(new HttpTransport.Settings(endpoint.host(), endpoint.port(),
                endpoint.isTls(), b.trustAllCertificates, b.maxConnections, b.maxPendingRequests, b.connectTimeout,
                b.requestTimeout, b.idleTimeout, b.maxResponseBytes, b.ioThreads, b.minConnections, b.options),
                b.eventLoopGroup);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Connections open now (for metrics and tests). */
    public int openConnections() {
        return transport.openConnections();
    }

    /** Connections opened since start: stays low when keep-alive works. */
    public int connectionsOpened() {
        return transport.connectionsOpened();
    }

    @Override
    public <R extends Record> CompletableFuture<R> execute(Operation operation, Record request, Class<R> responseType) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(request, "request");
        if (!operation.requestType().isInstance(request) || operation.responseType() != responseType) {
            throw new IllegalArgumentException(operation.actionName() + " takes a "
                    + operation.requestType().getSimpleName() + " and answers a "
                    + operation.responseType().getSimpleName());
        }
        ByteBuf body = null;
        try {
            KinesisCodec.checkRequired(request);
            checkLimits(request);
            Credentials creds = credentials.resolveCredentials();
            body = PooledByteBufAllocator.DEFAULT.buffer(256);
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                codec.encodeRequest(operation, request, out);
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>(8);
            headers.add(Map.entry("Host", endpoint.hostHeader()));
            headers.add(Map.entry("Content-Type", codec.contentType()));
            headers.add(Map.entry("X-Amz-Target", operation.target()));
            Map<String, String> auth = signer.sign(new SignableRequest("POST", "/", null, headers, body.nioBuffer()),
                    creds, clock.instant());
            auth.forEach((k, v) -> headers.add(Map.entry(k, v)));
            headers.add(Map.entry("User-Agent", USER_AGENT));
            ByteBuf toSend = body;
            body = null; // the transport owns it now
            CompletableFuture<R> result = transport.execute(HttpMethod.POST, "/", headers, toSend)
                    .thenApply(r -> decode(operation, responseType, r));
            return callbackExecutor == null ? result : result.whenCompleteAsync((r, e) -> { }, callbackExecutor);
        } catch (RuntimeException | java.io.IOException e) {
            if (body != null) {
                body.release();
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    private <R extends Record> R decode(Operation operation, Class<R> type, HttpResult r) {
        if (r.status() == 200) {
            return codec.decodeResponse(operation, type, r.body(), 0, r.body().length);
        }
        throw codec.decodeError(r.status(), r.body(), r.headers().get("x-amzn-ErrorType"),
                r.headers().get("x-amzn-RequestId"));
    }

    private static void checkLimits(Record request) {
        if (!KinesisCodec.addressesAStream(request)) {
            throw validation(request.getClass().getSimpleName().replace("Request", "")
                    + " needs StreamName or StreamARN");
        }
        if (request instanceof PutRecordsRequest p) {
            if (p.records().isEmpty() || p.records().size() > MAX_PUT_RECORDS_ENTRIES) {
                throw validation("PutRecords takes 1 to " + MAX_PUT_RECORDS_ENTRIES + " records, got "
                        + p.records().size());
            }
            long total = 0;
            for (int i = 0; i < p.records().size(); i++) {
                PutRecordsRequestEntry e = p.records().get(i);
                if (e.partitionKey() != null) { // a key is optional on AUTO streams; the stream decides
                    checkKey(e.partitionKey(), "records." + (i + 1) + ".member.partitionKey");
                }
                checkData(e.data().length, "records." + (i + 1) + ".member.data");
                total += e.data().length
                        + (e.partitionKey() == null ? 0 : e.partitionKey().getBytes(StandardCharsets.UTF_8).length);
            }
            if (total > MAX_PUT_RECORDS_BYTES && p.records().size() > 1) {
                throw validation("PutRecords request carries " + total + " bytes of data and partition keys, more"
                        + " than the " + MAX_PUT_RECORDS_BYTES + " bytes allowed");
            }
        } else if (request instanceof PutRecordRequest p) {
            if (p.partitionKey() != null) {
                checkKey(p.partitionKey(), "partitionKey");
            }
            checkData(p.data().length, "data");
        }
    }

    private static void checkKey(String key, String path) {
        if (key.isEmpty() || key.length() > 256) {
            throw validation("Value at '" + path + "' failed to satisfy constraint: Member must have length between"
                    + " 1 and 256 (was " + key.length() + ")");
        }
    }

    private static void checkData(int length, String path) {
        if (length > MAX_RECORD_BYTES) {
            throw validation("Value at '" + path + "' failed to satisfy constraint: Member must have length less"
                    + " than or equal to " + MAX_RECORD_BYTES + " (was " + length + ")");
        }
    }

    private static KinesisServiceException validation(String message) {
        return KinesisServiceException.of(ErrorCodes.VALIDATION, message, 400, null);
    }

    @Override
    public void close() {
        transport.close();
        if (ownsCredentials) {
            credentials.close();
        }
    }

    /** Builds a {@link NettyKinesisClient}; validates each setting as it is set. */
    public static final class Builder {
        private Endpoint endpoint;
        private Protocol protocol = Protocol.CBOR;
        private CredentialsProvider credentials;
        private int maxConnections = 24;
        private int minConnections;
        private TransportOptions options = TransportOptions.DEFAULT;
        private int maxPendingRequests = 10_000;
        private Duration connectTimeout = Duration.ofSeconds(6);
        private Duration requestTimeout = Duration.ofSeconds(6);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int maxResponseBytes = 64 * 1024 * 1024;
        private int ioThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        private boolean trustAllCertificates;
        private EventLoopGroup eventLoopGroup;
        private Executor callbackExecutor;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where to send requests (required): {@link Endpoint#forRegion} or {@link Endpoint#of}. */
        public Builder endpoint(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /** CBOR (default, as the AWS SDK) or JSON. */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * Credentials to sign with; default: a {@link DefaultCredentialsProvider} (the SDK v2 default chain), closed
         * with the client. A provider passed here is not closed by the client.
         */
        public Builder credentialsProvider(CredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Connections at most (1-256, default 24 as the KPL's MaxConnections). */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1 || maxConnections > 256) {
                throw new IllegalArgumentException("maxConnections must be 1-256, was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Connections kept open and warm (0 to {@link #maxConnections}, default 0: opened on demand): opened when the
         * client is built (TCP, proxy tunnel and TLS handshake), re-opened when closed, never closed for idleness.
         * The KPL's MinConnections.
         */
        public Builder minConnections(int minConnections) {
            if (minConnections < 0 || minConnections > 256) {
                throw new IllegalArgumentException("minConnections must be 0-256, was " + minConnections);
            }
            this.minConnections = minConnections;
            return this;
        }

        /**
         * Connect through an HTTP proxy with {@code CONNECT} tunnels (default: directly). Also used by the default
         * credentials chain for STS, never for the instance metadata service or the container endpoint. A 407
         * answer fails requests with the non-retryable {@link io.runnel.wire.error.ProxyAuthenticationException};
         * other proxy failures are retryable {@link io.runnel.wire.error.KinesisTransportException}s of kind
         * {@code PROXY_FAILED}.
         */
        public Builder proxy(ProxySettings proxy) {
            this.options = options.withProxy(Objects.requireNonNull(proxy, "proxy"));
            return this;
        }

        /**
         * Also trust the CA certificates of this PEM file (in addition to the JDK's trust store; the KPL's
         * CaCertFile). Read at once.
         *
         * @throws IllegalArgumentException naming the file when it cannot be read or holds no valid certificate
         */
        public Builder caCertFile(java.nio.file.Path pemFile) {
            this.options = options.withCaCertFile(pemFile);
            return this;
        }

        /**
         * Also trust the CA certificates of every PEM file in this directory (in addition to the JDK's trust store;
         * the KPL's CaCertPath). Read at once.
         *
         * @throws IllegalArgumentException naming the directory or file when it cannot be read, a certificate is
         *                                  invalid, or there is none
         */
        public Builder caCertPath(java.nio.file.Path directory) {
            this.options = options.withCaCertPath(directory);
            return this;
        }

        /** Requests that may wait for a connection (default 10,000); more fail at once with POOL_EXHAUSTED. */
        public Builder maxPendingRequests(int maxPendingRequests) {
            if (maxPendingRequests < 0) {
                throw new IllegalArgumentException("maxPendingRequests must not be negative: " + maxPendingRequests);
            }
            this.maxPendingRequests = maxPendingRequests;
            return this;
        }

        /** TCP connect timeout, also the longest wait for a free connection (default 6 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * Time from sending a request to its whole response (default 6 s). A request that timed out may still have
         * succeeded at the service.
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Idle connections are closed after this (default 60 s). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /** Responses larger than this fail as malformed (default 64 MiB). */
        public Builder maxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /** Event loop threads when the client owns its loop group (default min(4, cores)). */
        public Builder ioThreads(int ioThreads) {
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Skip TLS certificate and host name verification. Only for local endpoints with self-signed certificates;
         * logged as a warning.
         */
        public Builder trustAllCertificates(boolean trustAll) {
            this.trustAllCertificates = trustAll;
            return this;
        }

        /** A Netty event loop group to share (the client will not shut it down). */
        public Builder eventLoopGroup(EventLoopGroup group) {
            this.eventLoopGroup = Objects.requireNonNull(group, "group");
            return this;
        }

        /** Where futures complete (default: the Netty event loop that received the response). */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The clock signatures are dated with (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        /** @throws IllegalStateException when no endpoint was set */
        public NettyKinesisClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("endpoint is required: Endpoint.forRegion(...) or Endpoint.of(...)");
            }
            if (minConnections > maxConnections) {
                throw new IllegalStateException("minConnections (" + minConnections + ") must not exceed"
                        + " maxConnections (" + maxConnections + ")");
            }
            return new NettyKinesisClient(this);
        }
    }
}
