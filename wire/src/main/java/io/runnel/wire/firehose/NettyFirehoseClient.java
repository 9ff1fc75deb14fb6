package io.runnel.wire.firehose;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.codec.http.HttpMethod;
import io.runnel.wire.Endpoint;
import io.runnel.wire.TransportOptions;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.internal.HttpResult;
import io.runnel.wire.internal.HttpTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The Firehose client over the Kinesis client's Netty transport: JSON 1.1 bodies, signed with SigV4 for the service
 * {@code firehose}, sent over a bounded pool of keep-alive connections. Requests that break PutRecordBatch's limits
 * (1-500 records, 1,000 KiB a record, 4 MiB in all) fail with a {@link io.runnel.wire.error.ValidationException}
 * before any I/O; service errors are the typed {@link KinesisServiceException}s (a throttled batch answers
 * {@code ServiceUnavailableException}, HTTP 503: retryable).
 *
 * <p>Futures complete on the {@link Builder#callbackExecutor callback executor} when one is set, else on a Netty
 * event loop. Thread-safe.
 */
public final class NettyFirehoseClient implements FirehoseClient {
    /** The service name in SigV4 credential scopes. */
    public static final String SIGNING_SERVICE = "firehose";
    private static final String TARGET_PREFIX = "Firehose_20150804.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
    private static final String USER_AGENT = "runnel/0.1.0";

    private final Endpoint endpoint;
    private final CredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final SigV4Signer signer;
    private final HttpTransport transport;
    private final Clock clock;
    private final Executor callbackExecutor;

    private NettyFirehoseClient(Builder b) {
        this.endpoint = b.endpoint;
        this.ownsCredentials = b.credentials == null;
        this.credentials = ownsCredentials ? new DefaultCredentialsProvider(System.getenv(), System.getProperties(),
                java.nio.file.Path.of(System.getProperty("user.home")), Clock.systemUTC(), TransportOptions.DEFAULT)
                : b.credentials;
        this.signer = new SigV4Signer(endpoint.region(), SIGNING_SERVICE);
        this.clock = b.clock;
        this.callbackExecutor = b.callbackExecutor;
        this.transport = new HttpTransport(new HttpTransport.Settings(endpoint.host(), endpoint.port(),
                endpoint.isTls(), b.trustAllCertificates, b.maxConnections, 10_000, b.connectTimeout,
                b.requestTimeout, Duration.ofSeconds(60), 16 * 1024 * 1024, 1, 0, TransportOptions.DEFAULT), null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The public Firehose endpoint of a region: {@code https://firehose.<region>.amazonaws.com} (or
     * {@code .amazonaws.com.cn} for China regions).
     *
     * @throws IllegalArgumentException when the region is not like {@code us-east-1}
     */
    public static Endpoint regionEndpoint(String region) {
        if (region == null) {
            throw new IllegalArgumentException("region must look like us-east-1, was null");
        }
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return Endpoint.of("https://firehose." + region + "." + suffix, region);
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public CompletableFuture<PutRecordBatchResponse> putRecordBatch(String deliveryStream, List<byte[]> records) {
        Objects.requireNonNull(deliveryStream, "deliveryStream");
        Objects.requireNonNull(records, "records");
        try {
            checkBatch(records);
        } catch (KinesisServiceException e) {
            return CompletableFuture.failedFuture(e);
        }
        int count = records.size();
        return execute("PutRecordBatch", out -> FirehoseJson.writePutRecordBatch(deliveryStream, records, out),
                body -> FirehoseJson.readPutRecordBatch(body, count));
    }

    @Override
    public CompletableFuture<DeliveryStreamDescription> describeDeliveryStream(String deliveryStream) {
        Objects.requireNonNull(deliveryStream, "deliveryStream");
        return execute("DescribeDeliveryStream", out -> FirehoseJson.writeDescribe(deliveryStream, out),
                FirehoseJson::readDescribe);
    }

    static void checkBatch(List<byte[]> records) {
        if (records.isEmpty() || records.size() > MAX_BATCH_RECORDS) {
            throw validation("PutRecordBatch takes 1 to " + MAX_BATCH_RECORDS + " records, got " + records.size());
        }
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            int length = records.get(i).length;
            if (length > MAX_RECORD_BYTES) {
                throw validation("Value at 'records." + (i + 1) + ".member.data' failed to satisfy constraint: Member"
                        + " must have length less than or equal to " + MAX_RECORD_BYTES + " (was " + length + ")");
            }
            total += length;
        }
        if (total > MAX_BATCH_BYTES) {
            throw validation("PutRecordBatch carries " + total + " bytes of data, more than the " + MAX_BATCH_BYTES
                    + " allowed");
        }
    }

    private interface BodyWriter {
        void write(OutputStream out) throws IOException;
    }

    private <R> CompletableFuture<R> execute(String action, BodyWriter writer, Function<byte[], R> reader) {
        ByteBuf body = null;
        try {
            Credentials creds = credentials.resolveCredentials();
            body = PooledByteBufAllocator.DEFAULT.buffer(256);
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                writer.write(out);
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>(8);
            headers.add(Map.entry("Host", endpoint.hostHeader()));
            headers.add(Map.entry("Content-Type", CONTENT_TYPE));
            headers.add(Map.entry("X-Amz-Target", TARGET_PREFIX + action));
            Map<String, String> auth = signer.sign(new SignableRequest("POST", "/", null, headers, body.nioBuffer()),
                    creds, clock.instant());
            auth.forEach((k, v) -> headers.add(Map.entry(k, v)));
            headers.add(Map.entry("User-Agent", USER_AGENT));
            ByteBuf toSend = body;
            body = null; // the transport owns it now
            CompletableFuture<R> result = transport.execute(HttpMethod.POST, "/", headers, toSend)
                    .thenApply(r -> decode(r, reader));
            return callbackExecutor == null ? result : result.whenCompleteAsync((r, e) -> { }, callbackExecutor);
        } catch (RuntimeException | IOException e) {
            if (body != null) {
                body.release();
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <R> R decode(HttpResult r, Function<byte[], R> reader) {
        if (r.status() == 200) {
            return reader.apply(r.body());
        }
        // Firehose's errors have Kinesis's JSON shape ({"__type": …, "message": …}) and mostly its names.
        throw KinesisCodec.json().decodeError(r.status(), r.body(), r.headers().get("x-amzn-ErrorType"),
                r.headers().get("x-amzn-RequestId"));
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

    /** Builds a {@link NettyFirehoseClient}; validates each setting as it is set. */
    public static final class Builder {
        private Endpoint endpoint;
        private CredentialsProvider credentials;
        private int maxConnections = 8;
        private Duration connectTimeout = Duration.ofSeconds(6);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private boolean trustAllCertificates;
        private Executor callbackExecutor;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where to send requests (required): {@link #regionEndpoint} or {@link Endpoint#of}. */
        public Builder endpoint(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Credentials to sign with; default: a {@link DefaultCredentialsProvider}, closed with the client. A provider
         * passed here is not closed by the client.
         */
        public Builder credentialsProvider(CredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Connections at most (1-256, default 8). */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1 || maxConnections > 256) {
                throw new IllegalArgumentException("maxConnections must be 1-256, was " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /** TCP connect timeout, also the longest wait for a free connection (default 6 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** Time from sending a request to its whole response (default 30 s: a batch carries up to 4 MiB). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Skip TLS certificate and host name verification (local endpoints with self-signed certificates only). */
        public Builder trustAllCertificates(boolean trustAll) {
            this.trustAllCertificates = trustAll;
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
        public NettyFirehoseClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("endpoint is required: NettyFirehoseClient.regionEndpoint(...) or"
                        + " Endpoint.of(...)");
            }
            return new NettyFirehoseClient(this);
        }
    }
}
