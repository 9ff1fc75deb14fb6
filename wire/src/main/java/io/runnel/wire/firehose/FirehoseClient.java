package io.runnel.wire.firehose;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Amazon Data Firehose, the two actions a log shipper needs. Futures fail with a
 * {@link io.runnel.wire.error.KinesisServiceException} (service errors, with {@code isRetryable()}; requests that
 * break an API limit fail before any I/O with a {@link io.runnel.wire.error.ValidationException}) or a
 * {@link io.runnel.wire.error.KinesisTransportException} (connect, reset, timeout; retryable). Thread-safe.
 *
 * <p>Which thread completes a future is the implementation's to say: {@link NettyFirehoseClient} completes them on
 * its callback executor when one is set, else on a Netty event loop; a future that fails before any I/O is already
 * complete when returned, so callbacks added to it run on the calling thread.
 */
public interface FirehoseClient extends AutoCloseable {
    /** Records one PutRecordBatch takes at most. */
    int MAX_BATCH_RECORDS = 500;
    /** Data bytes (before base64) one PutRecordBatch takes at most: 4 MiB. */
    long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /** Data bytes (before base64) of one record at most: 1,000 KiB. */
    int MAX_RECORD_BYTES = 1000 * 1024;

    /**
     * Puts {@code records} (1 to {@link #MAX_BATCH_RECORDS}, each at most {@link #MAX_RECORD_BYTES}, together at most
     * {@link #MAX_BATCH_BYTES}) to a delivery stream. Some records may fail while others succeed: the response has
     * one entry per record, in order.
     *
     * @param deliveryStream the delivery stream's name
     * @param records        the records' data, sent as they are (Firehose adds no delimiter)
     * @return the per-record outcomes, or a failure as described on {@link FirehoseClient}
     * @throws NullPointerException when an argument is null
     */
    CompletableFuture<PutRecordBatchResponse> putRecordBatch(String deliveryStream, List<byte[]> records);

    /**
     * Describes a delivery stream.
     *
     * @param deliveryStream the delivery stream's name
     * @return its name, ARN, status and type, or a failure as described on {@link FirehoseClient}
     * @throws NullPointerException when {@code deliveryStream} is null
     */
    CompletableFuture<DeliveryStreamDescription> describeDeliveryStream(String deliveryStream);

    /** Closes connections; requests still in flight fail. */
    @Override
    void close();
}
