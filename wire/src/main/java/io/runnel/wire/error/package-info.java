/**
 * Typed errors of the wire layer: {@link io.runnel.wire.error.KinesisServiceException} and its subclasses for errors
 * the service returned, {@link io.runnel.wire.error.KinesisTransportException} for failures to get an answer.
 * Retry decisions use {@code isRetryable()} or the type, never the message.
 */
package io.runnel.wire.error;
