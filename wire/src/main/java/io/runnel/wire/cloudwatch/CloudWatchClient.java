package io.runnel.wire.cloudwatch;

import java.util.concurrent.CompletableFuture;

/**
 * Sends metrics to CloudWatch. Implementations are thread-safe; {@link NettyCloudWatchClient} is the real one.
 */
public interface CloudWatchClient extends AutoCloseable {
    /**
     * Sends one PutMetricData call. Never blocks: the future completes when CloudWatch answered, exceptionally with
     * a {@link io.runnel.wire.error.KinesisServiceException} (the service's error code; {@code isRetryable()} for
     * throttling and 5xx) or a {@link io.runnel.wire.error.KinesisTransportException} (connect, timeout, ...), or an
     * {@link IllegalArgumentException} when the request encodes to more than {@link QueryEncoder#MAX_PAYLOAD_BYTES}.
     * Which thread completes it is the implementation's to say ({@link NettyCloudWatchClient}: its callback executor,
     * else a Netty event loop; a future that fails before anything is sent is already complete when returned).
     *
     * @param request the metrics to send
     * @return completes with null once CloudWatch accepted them
     * @throws NullPointerException when {@code request} is null
     */
    CompletableFuture<Void> putMetricData(PutMetricDataRequest request);

    /** Closes connections; calls in flight fail. */
    @Override
    void close();
}
