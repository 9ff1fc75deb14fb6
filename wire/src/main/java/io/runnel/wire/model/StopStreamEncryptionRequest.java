package io.runnel.wire.model;

/**
 * The request of Kinesis StopStreamEncryption.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StopStreamEncryptionRequest(
        String streamName,
        String streamARN,
        @Required String encryptionType,
        @Required String keyId) {
}
