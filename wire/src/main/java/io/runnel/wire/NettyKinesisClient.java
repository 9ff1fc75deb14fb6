package io.runnel.wire;

import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.internal.HttpResult;
import io.runnel.wire.internal.SignedClientBuilder;
import io.runnel.wire.internal.SignedPostClient;
import io.runnel.wire.model.PutRecordRequest;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
     * may carry up to {@link #MAX_RECORD_BYTES}, for streams whose maximum record size was raised
     * (UpdateMaxRecordSize).
     * The service checks each stream's own limits.
     */
    public static final long MAX_PUT_RECORDS_BYTES = 5L * 1024 * 1024;
    /** The largest record any stream accepts (10 MiB, after UpdateMaxRecordSize). */
    public static final int MAX_RECORD_BYTES = 10 * 1024 * 1024;

    private final KinesisCodec codec;
    private final SignedPostClient http;

    private NettyKinesisClient(Builder b) {
        this.codec = KinesisCodec.of(b.protocol);
        this.http = new SignedPostClient(b, Endpoint.SIGNING_SERVICE);
    }

    /** @return a builder; an endpoint must be set before {@link Builder#build()} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return where requests go */
    public Endpoint endpoint() {
        return http.endpoint();
    }

    /** @return the connections open now (for metrics and tests) */
    public int openConnections() {
        return http.openConnections();
    }

    /** @return the connections opened since start: stays low when keep-alive works */
    public int connectionsOpened() {
        return http.connectionsOpened();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Measured from the moment the request was written out (after the connection was opened and any TLS
     * handshake) to the end of its answer.
     */
    @Override
    public long recentRoundTripNanos() {
        return http.recentRoundTripNanos();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Credentials are resolved and the request encoded and signed on the calling thread. A request that fails the
     * client's own checks (a missing required field, the API's limits) gives a future already failed with a
     * {@link io.runnel.wire.error.ValidationException}, and one whose credentials or encoding fail a future already
     * failed with that error; nothing is sent, and callbacks added to such a future run on the calling thread.
     * Otherwise the future completes on the callback executor when one is set, else on a Netty event loop thread.
     */
    @Override
    public <R extends Record> CompletableFuture<R> execute(Operation operation, Record request, Class<R> responseType) {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(request, "request");
        if (!operation.requestType().isInstance(request) || operation.responseType() != responseType) {
            throw new IllegalArgumentException(operation.actionName() + " takes a "
                    + operation.requestType().getSimpleName() + " and answers a "
                    + operation.responseType().getSimpleName());
        }
        int sizeHint;
        try {
            KinesisCodec.checkRequired(request);
            long dataAndKeys = checkLimits(operation, request);
            // a put's body starts at about its size (else at 256 bytes, grown a doubling at a time)
            sizeHint = dataAndKeys == 0 ? 0 : codec.putRecordsSizeHint(
                    request instanceof PutRecordsRequest p ? p.records().size() : 1, dataAndKeys);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.post(codec.contentType(), operation.target(), sizeHint,
                out -> codec.encodeRequest(operation, request, out), r -> decode(operation, responseType, r));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Each record's data goes from its array into the request body, which is encoded (and the arrays read) before
     * this method returns, as for {@link #execute}; the same checks apply.
     */
    @Override
    public CompletableFuture<PutRecordsResponse> putRecords(String streamName, String streamARN,
            PutRecordsEntries records) {
        Objects.requireNonNull(records, "records");
        long bytes;
        try {
            if (streamName == null && streamARN == null) {
                throw noStream(Operation.PUT_RECORDS);
            }
            for (int i = 0; i < records.size(); i++) {
                if (records.dataArray(i) == null) {
                    throw KinesisCodec.missingMember("records." + (i + 1) + ".member.data");
                }
            }
            bytes = checkPutRecords(records);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return http.post(codec.contentType(), Operation.PUT_RECORDS.target(),
                codec.putRecordsSizeHint(records.size(), bytes),
                out -> codec.encodePutRecords(streamName, streamARN, records, out),
                r -> decode(Operation.PUT_RECORDS, PutRecordsResponse.class, r));
    }

    private <R extends Record> R decode(Operation operation, Class<R> type, HttpResult r) {
        if (r.status() == 200) {
            return codec.decodeResponse(operation, type, r.body(), 0, r.body().length);
        }
        throw codec.decodeError(r.status(), r.body(), r.headers().get("x-amzn-ErrorType"),
                r.headers().get("x-amzn-RequestId"));
    }

    /** The API's limits on a request; returns the bytes of data and partition keys a put carries (0: not a put). */
    private static long checkLimits(Operation operation, Record request) {
        if (!KinesisCodec.addressesAStream(request)) {
            throw noStream(operation);
        }
        if (request instanceof PutRecordsRequest p) {
            return checkPutRecords(PutRecordsEntries.of(p.records()));
        } else if (request instanceof PutRecordRequest p) {
            return checkRecord(p.partitionKey(), p.data().length, 0);
        }
        return 0;
    }

    /**
     * The API's limits on PutRecords' records (count, keys, sizes); every data array is there.
     *
     * @return the bytes of data and partition keys, as Kinesis counts them
     */
    private static long checkPutRecords(PutRecordsEntries records) {
        int n = records.size();
        if (n == 0 || n > MAX_PUT_RECORDS_ENTRIES) {
            throw validation("PutRecords takes 1 to " + MAX_PUT_RECORDS_ENTRIES + " records, got " + n);
        }
        long total = 0;
        for (int i = 0; i < n; i++) {
            total += checkRecord(records.partitionKey(i), records.dataLength(i), i + 1);
        }
        if (total > MAX_PUT_RECORDS_BYTES && n > 1) {
            throw validation("PutRecords request carries " + total + " bytes of data and partition keys, more"
                    + " than the " + MAX_PUT_RECORDS_BYTES + " bytes allowed");
        }
        return total;
    }

    private static KinesisServiceException noStream(Operation operation) {
        return validation(operation.actionName() + " needs StreamName or StreamARN");
    }

    /**
     * One record's key (optional: AUTO streams take records without one; the stream decides) and data length, as
     * PutRecord's members ({@code entry} 0) or PutRecords' {@code entry}th; returns its bytes of data and key.
     */
    private static long checkRecord(String key, int dataLength, int entry) {
        if (key != null && (key.isEmpty() || key.length() > 256)) {
            throw validation("Value at '" + memberPath(entry, "partitionKey") + "' failed to satisfy constraint:"
                    + " Member must have length between 1 and 256 (was " + key.length() + ")");
        }
        if (dataLength > MAX_RECORD_BYTES) {
            throw validation("Value at '" + memberPath(entry, "data") + "' failed to satisfy constraint: Member must"
                    + " have length less than or equal to " + MAX_RECORD_BYTES + " (was " + dataLength + ")");
        }
        return dataLength + (key == null ? 0 : io.netty.buffer.ByteBufUtil.utf8Bytes(key));
    }

    private static String memberPath(int entry, String member) {
        return entry == 0 ? member : "records." + entry + ".member." + member;
    }

    private static KinesisServiceException validation(String message) {
        return KinesisServiceException.of(ErrorCodes.VALIDATION, message, 400, null);
    }

    @Override
    public void close() {
        http.close();
    }

    /** Builds a {@link NettyKinesisClient}; validates each setting as it is set. */
    public static final class Builder extends SignedClientBuilder<Builder> {
        private Protocol protocol = Protocol.CBOR;

        private Builder() {
            // 24 connections: the KPL's MaxConnections.
            super(new Defaults(24, 10_000, Duration.ofSeconds(6), 64 * 1024 * 1024,
                    Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()))));
        }

        /**
         * The encoding of requests and responses.
         *
         * @param protocol CBOR (default, as the AWS SDK) or JSON
         * @return this builder
         * @throws NullPointerException when {@code protocol} is null
         */
        public Builder protocol(Protocol protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        /**
         * A new client; it opens connections as requests need them, and owns its event loop group unless one was set.
         *
         * @return the client, to {@linkplain NettyKinesisClient#close() close} when done
         * @throws IllegalStateException when no endpoint was set ({@link Endpoint#forRegion} or {@link Endpoint#of}),
         *                               or minConnections exceeds maxConnections
         */
        public NettyKinesisClient build() {
            checkComplete("Endpoint.forRegion(...) or Endpoint.of(...)");
            return new NettyKinesisClient(this);
        }
    }
}
