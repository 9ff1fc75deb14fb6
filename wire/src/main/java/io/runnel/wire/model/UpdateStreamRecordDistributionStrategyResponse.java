package io.runnel.wire.model;

/** The (empty) response of Kinesis UpdateStreamRecordDistributionStrategy. */
public record UpdateStreamRecordDistributionStrategyResponse() {
}
