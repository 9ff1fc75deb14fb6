/**
 * The Kinesis Data Streams HTTP API: the 128-bit {@link io.runnel.wire.HashKey}, endpoints, and the client.
 * Models live in {@code io.runnel.wire.model}, codecs in {@code io.runnel.wire.codec}, signing and credentials in
 * {@code io.runnel.wire.auth}, typed errors in {@code io.runnel.wire.error}. Packages named {@code internal} are not
 * API.
 */
package io.runnel.wire;
