package io.runnel.wire.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * AWS credentials: an access key pair, with a session token and expiration when they are temporary.
 *
 * @param accessKeyId     the access key id
 * @param secretAccessKey the secret key (never printed)
 * @param sessionToken    the session token of temporary credentials, or null (never printed)
 * @param expiration      when temporary credentials stop working, or null
 */
public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    /**
     * Checks the keys; an empty session token counts as none.
     *
     * @param accessKeyId     the access key id
     * @param secretAccessKey the secret key
     * @param sessionToken    the session token, or null or empty for long-term credentials
     * @param expiration      when temporary credentials stop working, or null
     * @throws IllegalArgumentException when the access key id is null or blank, or the secret key null or empty
     */
    public Credentials {
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new IllegalArgumentException("accessKeyId must not be empty");
        }
        if (secretAccessKey == null || secretAccessKey.isEmpty()) {
            throw new IllegalArgumentException("secretAccessKey must not be empty");
        }
        if (sessionToken != null && sessionToken.isEmpty()) {
            sessionToken = null;
        }
    }

    /**
     * Long-term credentials: no session token, no expiration.
     *
     * @param accessKeyId     the access key id ({@code AKIA...})
     * @param secretAccessKey the secret key
     * @return the credentials
     * @throws IllegalArgumentException when either is null or empty
     */
    public static Credentials of(String accessKeyId, String secretAccessKey) {
        return new Credentials(accessKeyId, secretAccessKey, null, null);
    }

    /**
     * Temporary credentials whose expiration is not known.
     *
     * @param accessKeyId     the access key id ({@code ASIA...})
     * @param secretAccessKey the secret key
     * @param sessionToken    the session token sent with each request
     * @return the credentials
     * @throws NullPointerException     when {@code sessionToken} is null
     * @throws IllegalArgumentException when a key is null or empty
     */
    public static Credentials of(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new Credentials(accessKeyId, secretAccessKey, Objects.requireNonNull(sessionToken, "sessionToken"),
                null);
    }

    @Override
    public String toString() {
        return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=****"
                + (sessionToken == null ? "" : ", sessionToken=****")
                + (expiration == null ? "" : ", expiration=" + expiration) + "]";
    }
}
