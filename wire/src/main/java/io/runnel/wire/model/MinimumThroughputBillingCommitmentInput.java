package io.runnel.wire.model;

/**
 * The commitment UpdateAccountSettings asks for: status {@code ENABLED} or {@code DISABLED}.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record MinimumThroughputBillingCommitmentInput(
        @Required String status) {
}
