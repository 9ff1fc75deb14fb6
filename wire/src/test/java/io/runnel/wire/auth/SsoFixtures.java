package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** A fake SSO portal and SSO-OIDC service (one WireMock server) and the token cache {@code aws sso login} writes. */
final class SsoFixtures {
    static final String START_URL = "https://d-1234567890.awsapps.com/start";
    static final String ACCOUNT = "123456789012";
    static final String ROLE = "Producer";

    private SsoFixtures() {
    }

    /** Writes the cache file of {@code key} (a session name or a start URL) under {@code home/.aws/sso/cache}. */
    static Path cacheToken(Path home, String key, String json) throws Exception {
        Path dir = home.resolve(".aws/sso/cache");
        Files.createDirectories(dir);
        Path file = SsoTokenProvider.cacheFile(dir, key);
        Files.writeString(file, json);
        return file;
    }

    /** A legacy cache entry: token and expiry only. */
    static String legacyToken(String token, Instant expiresAt) {
        return """
                {"startUrl": "%s", "region": "us-east-1", "accessToken": "%s", "expiresAt": "%s"}
                """.formatted(START_URL, token, expiresAt);
    }

    /** An sso-session cache entry, with what a refresh needs. */
    static String sessionToken(String token, Instant expiresAt, Instant registrationExpiresAt) {
        return """
                {"startUrl": "%s", "region": "eu-west-1", "accessToken": "%s", "expiresAt": "%s",
                 "clientId": "client-1", "clientSecret": "client-secret-1",
                 "registrationExpiresAt": "%s", "refreshToken": "refresh-1"}
                """.formatted(START_URL, token, expiresAt, registrationExpiresAt);
    }

    /** The portal answers role credentials to requests carrying {@code bearer}. */
    static void portalAnswers(WireMockExtension server, String bearer, String keyId, Instant expiration) {
        server.stubFor(get(urlPathEqualTo(SsoCredentialsProvider.PATH))
                .withHeader(SsoCredentialsProvider.TOKEN_HEADER, equalTo(bearer))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"roleCredentials": {"accessKeyId": "%1$s", "secretAccessKey": "secret-%1$s",
                         "sessionToken": "session-%1$s", "expiration": %2$d}}
                        """.formatted(keyId, expiration.toEpochMilli()))));
    }

    /** SSO-OIDC CreateToken answers a new access token (and a rotated refresh token). */
    static void oidcAnswers(WireMockExtension server, String accessToken, long expiresInSeconds) {
        server.stubFor(post(urlPathEqualTo(SsoTokenProvider.CREATE_TOKEN_PATH)).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"accessToken": "%s", "expiresIn": %d, "refreshToken": "refresh-2", "tokenType": "Bearer"}
                        """.formatted(accessToken, expiresInSeconds))));
    }
}
