package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.runnel.wire.ProxySettings;
import io.runnel.wire.TransportOptions;
import io.runnel.wire.testing.ConnectProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** STS is called through the configured proxy; the container endpoint (like instance metadata) never is. */
class CredentialsThroughProxyIT {
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock();
    private ConnectProxy proxy;
    private TransportOptions viaProxy;

    @BeforeEach
    void start() throws Exception {
        server.resetAll();
        proxy = ConnectProxy.open();
        viaProxy = TransportOptions.DEFAULT.withProxy(ProxySettings.of(proxy.host(), proxy.port()));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    @Test
    void webIdentityCallsStsThroughTheProxy() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.token");
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/xml").withBody("""
                        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                          <AssumeRoleWithWebIdentityResult><Credentials>
                            <SessionToken>t</SessionToken><SecretAccessKey>s</SecretAccessKey>
                            <Expiration>%s</Expiration><AccessKeyId>STSKEY</AccessKeyId>
                          </Credentials></AssumeRoleWithWebIdentityResult>
                        </AssumeRoleWithWebIdentityResponse>""".formatted(exp))));
        Map<String, String> env = Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString(),
                "AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/producer", "AWS_ENDPOINT_URL_STS", base(),
                "AWS_REGION", "eu-west-1");
        try (DefaultCredentialsProvider chain = new DefaultCredentialsProvider(env, new Properties(), dir, clock,
                viaProxy)) {
            assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("STSKEY");
        }
        assertThat(proxy.targets()).containsExactly("127.0.0.1:" + server.getPort());
    }

    @Test
    void theContainerEndpointIsNeverProxied() {
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        server.stubFor(get(urlEqualTo("/creds")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"AccessKeyId\":\"PODKEY\",\"SecretAccessKey\":\"s\",\"Token\":\"t\",\"Expiration\":\""
                        + exp + "\"}")));
        Map<String, String> env = Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/creds");
        try (DefaultCredentialsProvider chain = new DefaultCredentialsProvider(env, new Properties(), dir, clock,
                viaProxy)) {
            assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("PODKEY");
        }
        assertThat(proxy.targets()).isEmpty();
    }
}
