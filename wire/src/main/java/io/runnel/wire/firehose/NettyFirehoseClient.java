package io.runnel.wire.firehose;

import io.runnel.wire.Endpoint;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.internal.HttpResult;
import io.runnel.wire.internal.SignedClientBuilder;
import io.runnel.wire.internal.SignedPostClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The Firehose client over the Kinesis client's Netty transport: JSON 1.1 bodies, signed with SigV4 for the service
 * {@code firehose}, sent over a bounded pool of keep-alive connections, through a proxy and trusting extra CAs as the
 * {@link Builder} says (the same settings as the Kinesis client's). Requests that break PutRecordBatch's limits
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

    private final SignedPostClient http;

    private NettyFirehoseClient(Builder b) {
        this.http = new SignedPostClient(b, SIGNING_SERVICE);
    }

    /** @return a builder; an endpoint must be set before {@link Builder#build()} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The public Firehose endpoint of a region: {@code https://firehose.<region>.amazonaws.com} (or
     * {@code .amazonaws.com.cn} for China regions).
     *
     * @param region the region, like {@code us-east-1}
     * @return the endpoint, signed for {@code region}
     * @throws IllegalArgumentException when the region is not like {@code us-east-1}
     */
    public static Endpoint regionEndpoint(String region) {
        if (region == null) {
            throw new IllegalArgumentException("region must look like us-east-1, was null");
        }
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return Endpoint.of("https://firehose." + region + "." + suffix, region);
    }

    /** @return where requests go */
    public Endpoint endpoint() {
        return http.endpoint();
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

    private <R> CompletableFuture<R> execute(String action, SignedPostClient.BodyWriter writer,
            Function<byte[], R> reader) {
        return http.post(CONTENT_TYPE, TARGET_PREFIX + action, writer, r -> decode(r, reader));
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
        http.close();
    }

    /** Builds a {@link NettyFirehoseClient}; validates each setting as it is set. */
    /** Builds a {@link NettyFirehoseClient}; validates each setting as it is set. */
    public static final class Builder extends SignedClientBuilder<Builder> {
        private Builder() {
            // 30 s: a batch carries up to 4 MiB.
            super(new Defaults(8, 10_000, Duration.ofSeconds(30), 16 * 1024 * 1024, 1));
        }

        /**
         * A new client; it opens connections as requests need them, and owns its event loop group unless one was set.
         *
         * @return the client, to {@linkplain NettyFirehoseClient#close() close} when done
         * @throws IllegalStateException when no endpoint was set ({@link #regionEndpoint} or {@link Endpoint#of}),
         *                               or minConnections exceeds maxConnections
         */
        public NettyFirehoseClient build() {
            checkComplete("NettyFirehoseClient.regionEndpoint(...) or Endpoint.of(...)");
            return new NettyFirehoseClient(this);
        }
    }
}
