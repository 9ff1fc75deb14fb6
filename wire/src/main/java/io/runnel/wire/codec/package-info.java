/**
 * JSON 1.1 and CBOR codecs of the Kinesis API ({@link io.runnel.wire.codec.KinesisCodec}) and the list of actions
 * ({@link io.runnel.wire.codec.Operation}).
 */
package io.runnel.wire.codec;
