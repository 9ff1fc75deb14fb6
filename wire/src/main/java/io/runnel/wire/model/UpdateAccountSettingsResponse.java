package io.runnel.wire.model;

/**
 * The response of Kinesis UpdateAccountSettings: the account's settings once updated.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record UpdateAccountSettingsResponse(
        MinimumThroughputBillingCommitmentOutput minimumThroughputBillingCommitment) {
}
