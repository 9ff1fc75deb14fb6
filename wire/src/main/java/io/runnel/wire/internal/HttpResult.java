package io.runnel.wire.internal;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * A response as the transport hands it over: status, headers and the body copied out of Netty's buffers (so no
 * reference-counted buffer escapes the event loop).
 */
public record HttpResult(int status, HttpHeaders headers, byte[] body) {
}
