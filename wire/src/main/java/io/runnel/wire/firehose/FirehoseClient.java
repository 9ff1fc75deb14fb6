package io.runnel.wire.firehose;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Amazon Data Firehose, the two actions a log shipper needs. Futures fail with a
 * {@link io.runnel.wire.error.KinesisServiceException} (service errors, with {@code isRetryable()}; requests that
 * break an API limit fail before any I/O with a {@link io.runnel.wire.error.ValidationException}) or a
 * {@link io.runnel.wire.error.KinesisTransportException} (connect, reset, timeout; retryable). Thread-safe.
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
     */
    CompletableFuture<PutRecordBatchResponse> putRecordBatch(String deliveryStream, List<byte[]> records);

    /** The delivery stream's name, ARN, status and type. */
    CompletableFuture<DeliveryStreamDescription> describeDeliveryStream(String deliveryStream);

    /** Closes connections; requests still in flight fail. */
    @Override
    void close();
}
