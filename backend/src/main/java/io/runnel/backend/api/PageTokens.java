package io.runnel.backend.api;

import io.runnel.backend.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * NextToken values of ListShards, ListStreams and ListStreamConsumers: which listing, of which stream, where to
 * continue, and when it was issued (tokens expire after 300 s, as on Kinesis).
 */
final class PageTokens {
    static final long TTL_MILLIS = 300_000;

    record Page(String kind, String stream, long streamCreationMillis, String after, long issuedMillis) {
    }

    private PageTokens() {
    }

    static String encode(Page p) {
        String raw = p.kind() + '\n' + p.stream() + '\n' + p.streamCreationMillis() + '\n' + p.after() + '\n'
                + p.issuedMillis();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The page a token continues; typed Kinesis errors when it is malformed, of another listing, or expired. */
    static Page decode(String token, String kind, long nowMillis) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            parts = new String[0];
        }
        if (parts.length != 5 || !parts[0].equals(kind)) {
            throw new StoreException(StoreException.INVALID_ARGUMENT, "NextToken " + token + " is not valid.");
        }
        Page p;
        try {
            p = new Page(parts[0], parts[1], Long.parseLong(parts[2]), parts[3], Long.parseLong(parts[4]));
        } catch (NumberFormatException e) {
            throw new StoreException(StoreException.INVALID_ARGUMENT, "NextToken " + token + " is not valid.");
        }
        if (nowMillis - p.issuedMillis() > TTL_MILLIS) {
            throw new StoreException("ExpiredNextTokenException", "NextToken has expired. It was issued at "
                    + p.issuedMillis() + ", now is " + nowMillis + ".");
        }
        return p;
    }
}
