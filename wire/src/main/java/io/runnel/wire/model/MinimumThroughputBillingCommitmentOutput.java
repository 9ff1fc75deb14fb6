package io.runnel.wire.model;

import java.time.Instant;

/**
 * The account's minimum throughput billing commitment: status {@code ENABLED}, {@code DISABLED} or
 * {@code ENABLED_UNTIL_EARLIEST_ALLOWED_END}, and when it started, when it may end at the earliest and when it ended.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record MinimumThroughputBillingCommitmentOutput(
        @Required String status,
        Instant startedAt,
        Instant endedAt,
        Instant earliestAllowedEndAt) {
}
