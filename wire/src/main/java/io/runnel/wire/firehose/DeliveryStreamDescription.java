package io.runnel.wire.firehose;

/**
 * What DescribeDeliveryStream says about a delivery stream (the parts a producer needs).
 *
 * @param name   DeliveryStreamName
 * @param arn    DeliveryStreamARN
 * @param status DeliveryStreamStatus, e.g. {@code CREATING} or {@code ACTIVE}
 * @param type   DeliveryStreamType, e.g. {@code DirectPut}
 */
public record DeliveryStreamDescription(String name, String arn, String status, String type) {
}
