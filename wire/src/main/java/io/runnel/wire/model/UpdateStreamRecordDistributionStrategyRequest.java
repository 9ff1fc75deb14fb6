package io.runnel.wire.model;

/**
 * The request of Kinesis UpdateStreamRecordDistributionStrategy: {@code AUTO} (the service spreads records over the
 * shards, ignoring partition and explicit hash keys; on-demand streams only) or {@code USER_PARTITION_KEY} (the
 * default).
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record UpdateStreamRecordDistributionStrategyRequest(
        @Required String streamARN,
        String streamId,
        @Required String recordDistributionStrategy) {
}
