package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.runnel.wire.auth.SsoFixtures.START_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SsoTokenProviderTest {
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path home;
    private final TestClock clock = new TestClock();
    private final CredentialsHttpClient http = new CredentialsHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5));

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    @AfterEach
    void close() {
        http.close();
    }

    private SsoTokenProvider session(String name) {
        return new SsoTokenProvider(new SsoTokenProvider.Settings("profile 'dev'", "dev", name, START_URL,
                SsoTokenProvider.cacheFile(home.resolve(".aws/sso/cache"), name),
                URI.create("http://127.0.0.1:" + server.getPort())), http, clock);
    }

    private SsoTokenProvider legacy() {
        return new SsoTokenProvider(new SsoTokenProvider.Settings("profile 'dev'", "dev", null, START_URL,
                SsoTokenProvider.cacheFile(home.resolve(".aws/sso/cache"), START_URL), null), http, clock);
    }

    @Test
    void theCacheFileIsTheSha1HexOfTheKey() throws Exception {
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                .digest("my-sso".getBytes(StandardCharsets.UTF_8)));
        assertThat(SsoTokenProvider.cacheFile(Path.of("/c"), "my-sso")).isEqualTo(Path.of("/c/" + hex + ".json"));
        assertThat(hex).hasSize(40).isLowerCase();
    }

    @Test
    void aSessionTokenDueWithinFiveMinutesIsRefreshedAndTheCacheRewritten() throws Exception {
        Instant registration = clock.instant().plus(Duration.ofDays(30));
        Path file = SsoFixtures.cacheToken(home, "corp", SsoFixtures.sessionToken("old",
                clock.instant().plus(Duration.ofMinutes(4)), registration));
        SsoFixtures.oidcAnswers(server, "new", 28_800);

        assertThat(session("corp").accessToken()).isEqualTo("new");
        ServeEvent e = server.getAllServeEvents().get(0);
        assertThat(CredentialsDocuments.jsonFields(e.getRequest().getBody(), "request")).isEqualTo(Map.of(
                "clientId", "client-1", "clientSecret", "client-secret-1", "grantType", "refresh_token",
                "refreshToken", "refresh-1"));
        assertThat(e.getRequest().getHeader("Content-Type")).startsWith("application/json");
        Map<String, String> cached = CredentialsDocuments.jsonFields(Files.readAllBytes(file), "cache");
        assertThat(cached).containsEntry("accessToken", "new")
                .containsEntry("expiresAt", clock.instant().plusSeconds(28_800).toString())
                .containsEntry("refreshToken", "refresh-2").containsEntry("clientId", "client-1")
                .containsEntry("startUrl", START_URL).containsEntry("registrationExpiresAt", registration.toString());

        assertThat(session("corp").accessToken()).isEqualTo("new"); // fresh now: no second call
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aFailedRefreshKeepsTheCachedTokenWhileValidThenSaysToSignIn() throws Exception {
        SsoFixtures.cacheToken(home, "corp", SsoFixtures.sessionToken("old",
                clock.instant().plus(Duration.ofMinutes(2)), clock.instant().plus(Duration.ofDays(30))));
        server.stubFor(post(urlPathEqualTo(SsoTokenProvider.CREATE_TOKEN_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("x-amzn-ErrorType", "InvalidGrantException")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}")));
        SsoTokenProvider p = session("corp");
        assertThat(p.accessToken()).isEqualTo("old");
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(p::accessToken).isInstanceOfSatisfying(CredentialsException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("InvalidGrantException");
            assertThat(e).hasMessageContaining("expired at").hasMessageContaining("cannot be refreshed")
                    .hasMessageContaining("refresh token revoked")
                    .hasMessageContaining("run `aws sso login --profile dev`");
        });
    }

    @Test
    void noRefreshWithoutARefreshTokenOrAfterTheRegistrationExpired() throws Exception {
        SsoFixtures.cacheToken(home, "corp", SsoFixtures.sessionToken("old",
                clock.instant().plus(Duration.ofMinutes(2)), clock.instant().minusSeconds(1)));
        assertThat(session("corp").accessToken()).isEqualTo("old");
        SsoFixtures.cacheToken(home, "bare", "{\"accessToken\": \"bare\", \"expiresAt\": \""
                + clock.instant().plus(Duration.ofMinutes(1)) + "\"}");
        assertThat(session("bare").accessToken()).isEqualTo("bare");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aLegacyTokenIsUsedUntilItExpiresAndNeverRefreshed() throws Exception {
        SsoFixtures.cacheToken(home, START_URL, SsoFixtures.legacyToken("legacy",
                clock.instant().plus(Duration.ofMinutes(1))));
        SsoTokenProvider p = legacy();
        assertThat(p.accessToken()).isEqualTo("legacy");
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(p::accessToken).hasMessageContaining("expired at")
                .hasMessageContaining("run `aws sso login --profile dev`");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aMalformedCacheFileIsNamed() throws Exception {
        Path file = SsoFixtures.cacheToken(home, START_URL, "{\"accessToken\": \"x\"}");
        assertThatThrownBy(() -> legacy().accessToken()).hasMessageContaining(file.toString())
                .hasMessageContaining("has no expiresAt").hasMessageContaining("aws sso login");
        Files.writeString(file, "not json");
        assertThatThrownBy(() -> legacy().accessToken()).hasMessageContaining(file.toString())
                .hasMessageContaining("not");
    }
}
