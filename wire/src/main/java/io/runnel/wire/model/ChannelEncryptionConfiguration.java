package io.runnel.wire.model;

/**
 * A channel's encryption: type {@code KMS} and the key.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ChannelEncryptionConfiguration(
        String encryptionType,
        String keyId) {
}
