package io.runnel.wire.auth;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What SigV4 signs of a request.
 *
 * @param method   HTTP method
 * @param path     the request path, not percent-encoded (the signer encodes it); empty means {@code /}
 * @param rawQuery the query string as sent (percent-encoded), without {@code ?}; null or empty when none
 * @param headers  headers to sign, names in any case, repeats allowed; must include {@code Host}
 * @param payload  the body; read through a duplicate, so its position does not move
 */
public record SignableRequest(String method, String path, String rawQuery, List<Map.Entry<String, String>> headers,
        ByteBuffer payload) {
    /**
     * Checks the parts and copies the header list.
     *
     * @param method   HTTP method
     * @param path     the request path, not percent-encoded
     * @param rawQuery the query string as sent, or null
     * @param headers  headers to sign
     * @param payload  the body
     * @throws NullPointerException when {@code method}, {@code path}, {@code headers} or {@code payload} is null,
     *                              or a header is
     */
    public SignableRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        headers = List.copyOf(headers);
        Objects.requireNonNull(payload, "payload");
    }
}
