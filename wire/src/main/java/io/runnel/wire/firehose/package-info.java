/**
 * A small Amazon Data Firehose client (JSON 1.1, {@code X-Amz-Target: Firehose_20150804.*}) over the same transport,
 * signer and credentials as the Kinesis client: PutRecordBatch and DescribeDeliveryStream, which is what a log
 * shipper needs. Errors are the typed {@link io.runnel.wire.error.KinesisException}s of the Kinesis client.
 */
package io.runnel.wire.firehose;
