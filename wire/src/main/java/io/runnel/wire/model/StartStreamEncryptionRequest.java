package io.runnel.wire.model;

/**
 * The request of Kinesis StartStreamEncryption.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record StartStreamEncryptionRequest(
        String streamName,
        String streamARN,
        @Required String encryptionType,
        @Required String keyId) {
}
