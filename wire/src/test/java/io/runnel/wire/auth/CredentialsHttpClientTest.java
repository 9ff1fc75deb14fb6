package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.runnel.wire.error.KinesisTransportException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CredentialsHttpClientTest {
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();



    @Test
    void sendsPathQueryHeadersAndBodyAndReturnsAnyStatus() {
        server.stubFor(post(urlEqualTo("/p/q?x=1%202")).willReturn(aResponse().withStatus(418).withBody("teapot")));
        try (CredentialsHttpClient http = new CredentialsHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            CredentialsHttpClient.Response r = http.send("POST", URI.create("http://127.0.0.1:" + server.getPort()
                    + "/p/q?x=1%202"), Map.of("X-Test", "yes"), "body".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).isEqualTo(418);
            assertThat(r.text()).isEqualTo("teapot");
        }
        server.verify(postRequestedFor(urlEqualTo("/p/q?x=1%202")).withHeader("X-Test", equalTo("yes"))
                .withHeader("Host", equalTo("127.0.0.1:" + server.getPort())).withRequestBody(equalTo("body")));
    }

    @Test
    void transportFailuresAreCredentialsExceptionsWithTheTransportCause() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (CredentialsHttpClient http = new CredentialsHttpClient(Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            assertThatThrownBy(() -> http.send("GET", URI.create("http://127.0.0.1:" + closedPort + "/"), Map.of(),
                    null)).isInstanceOf(CredentialsException.class)
                    .hasMessageStartingWith("GET http://127.0.0.1:" + closedPort)
                    .hasCauseInstanceOf(KinesisTransportException.class);
        }
    }

    @Test
    void closedClientAndOtherSchemesAreRefused() {
        CredentialsHttpClient http = new CredentialsHttpClient(Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThatThrownBy(() -> http.send("GET", URI.create("file:///etc/hosts"), Map.of(), null))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("http or https");
        http.close();
        http.close();
        assertThatThrownBy(() -> http.send("GET", URI.create("http://127.0.0.1:" + server.getPort() + "/"), Map.of(),
                null)).isInstanceOf(CredentialsException.class).hasMessageContaining("closed");
    }

    @Test
    void ipv6LiteralsLoseTheirBracketsForConnecting() {
        assertThat(CredentialsHttpClient.bareHost(URI.create("http://[fd00:ec2::254]/x"))).isEqualTo("fd00:ec2::254");
        assertThat(CredentialsHttpClient.bareHost(URI.create("http://169.254.169.254/x")))
                .isEqualTo("169.254.169.254");
    }
}
