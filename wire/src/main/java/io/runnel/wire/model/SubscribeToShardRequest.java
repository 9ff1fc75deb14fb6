package io.runnel.wire.model;

/**
 * The request of Kinesis SubscribeToShard (enhanced fan-out). Its response is not a single body but an AWS
 * event stream: a {@link SubscribeToShardResponse} as the {@code initial-response} event, then
 * {@link SubscribeToShardEvent}s. That is why SubscribeToShard is not one of the request/response
 * operations of {@code io.runnel.wire.codec.Operation}.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record SubscribeToShardRequest(
        @Required String consumerARN,
        @Required String shardId,
        @Required StartingPosition startingPosition) {

    /** The {@code X-Amz-Target} header of SubscribeToShard. */
    public static final String TARGET = "Kinesis_20131202.SubscribeToShard";
}
