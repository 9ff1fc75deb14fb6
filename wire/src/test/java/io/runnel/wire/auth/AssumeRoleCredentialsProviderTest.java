package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.netty.handler.codec.DateFormatter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AssumeRoleCredentialsProviderTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/r";
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();
    private final TestClock clock = new TestClock();




    private AssumeRoleCredentialsProvider provider(CredentialsProvider source, String endpoint) {
        return new AssumeRoleCredentialsProvider(source, new AssumeRoleCredentialsProvider.Settings("profile 'p'",
                ROLE, "s", null, null, URI.create(endpoint), "us-west-2"), clock, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Runnable::run);
    }

    @Test
    void signsForTheEndpointPathAndSendsTheSessionToken() {
        server.stubFor(post(urlEqualTo("/sts/")).willReturn(aResponse().withStatus(200).withBody("""
                <AssumeRoleResponse><AssumeRoleResult><Credentials>
                  <AccessKeyId>ASIA1</AccessKeyId><SecretAccessKey>x</SecretAccessKey>
                  <SessionToken>y</SessionToken><Expiration>2026-11-25T01:00:00Z</Expiration>
                </Credentials></AssumeRoleResult></AssumeRoleResponse>
                """)));
        Credentials source = Credentials.of("ASIASRC", "src-secret", "src-token");
        try (AssumeRoleCredentialsProvider p = provider(CredentialsProvider.of(source),
                "http://127.0.0.1:" + server.getPort() + "/sts/")) {
            assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("ASIA1");
        }
        ServeEvent e = server.getAllServeEvents().get(0);
        assertThat(e.getRequest().getHeader("X-Amz-Security-Token")).isEqualTo("src-token");
        Map<String, String> expected = new SigV4Signer("us-west-2", "sts").sign(new SignableRequest("POST", "/sts/",
                null, List.of(Map.entry("Host", e.getRequest().getHeader("Host")),
                        Map.entry("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")),
                ByteBuffer.wrap(e.getRequest().getBody())), source, clock.instant());
        assertThat(e.getRequest().getHeader("Authorization")).isEqualTo(expected.get("Authorization"))
                .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token");
    }

    @Test
    void aSignatureRefusedForAClockAnHourBehindStsIsSignedAgainWithItsTime() {
        Instant sts = clock.instant().plus(Duration.ofHours(1));
        server.stubFor(post(urlEqualTo("/")).inScenario("skew").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("corrected").willReturn(aResponse().withStatus(403)
                        .withHeader("Date", DateFormatter.format(Date.from(sts))).withBody("""
                                <ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>
                                <Message>Signature expired: 20261125T000000Z is now earlier than 20261125T005500Z
                                (20261125T010000Z - 5 min.)</Message></Error><RequestId>r-1</RequestId>
                                </ErrorResponse>
                                """)));
        server.stubFor(post(urlEqualTo("/")).inScenario("skew").whenScenarioStateIs("corrected")
                .willReturn(aResponse().withStatus(200).withBody("""
                        <AssumeRoleResponse><AssumeRoleResult><Credentials>
                          <AccessKeyId>ASIA2</AccessKeyId><SecretAccessKey>x</SecretAccessKey>
                          <SessionToken>y</SessionToken><Expiration>2026-11-25T02:00:00Z</Expiration>
                        </Credentials></AssumeRoleResult></AssumeRoleResponse>
                        """)));
        try (AssumeRoleCredentialsProvider p = provider(CredentialsProvider.of(Credentials.of("A", "s")),
                "http://127.0.0.1:" + server.getPort() + "/")) {
            assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("ASIA2");
        }
        List<ServeEvent> sent = server.getAllServeEvents();
        assertThat(sent).hasSize(2);
        assertThat(sent.stream().map(e -> e.getRequest().getHeader("X-Amz-Date")))
                .containsExactlyInAnyOrder("20261125T000000Z", "20261125T010000Z");
    }

    @Test
    void aWrongKeyIsRefusedOnceAndNotPutDownToTheClock() {
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(403)
                .withHeader("Date", DateFormatter.format(Date.from(clock.instant()))).withBody("""
                        <ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we
                        calculated does not match the signature you provided.</Message></Error></ErrorResponse>
                        """)));
        try (AssumeRoleCredentialsProvider p = provider(CredentialsProvider.of(Credentials.of("A", "s")),
                "http://127.0.0.1:" + server.getPort() + "/")) {
            assertThatThrownBy(p::resolveCredentials).isInstanceOfSatisfying(CredentialsException.class,
                    e -> assertThat(e.errorCode()).isEqualTo("SignatureDoesNotMatch"));
        }
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aFailingSourceIsNamedAndNothingIsSent() {
        CredentialsProvider failing = () -> {
            throw new CredentialsException("no keys here", "Code1", null);
        };
        try (AssumeRoleCredentialsProvider p = provider(failing, "http://127.0.0.1:" + server.getPort())) {
            assertThatThrownBy(p::resolveCredentials).isInstanceOfSatisfying(CredentialsException.class,
                    e -> assertThat(e.errorCode()).isEqualTo("Code1"))
                    .hasMessageContaining("profile 'p': no credentials to call AssumeRole with: no keys here");
        }
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void closeClosesTheSource() {
        AtomicBoolean closed = new AtomicBoolean();
        CredentialsProvider source = new CredentialsProvider() {
            @Override
            public Credentials resolveCredentials() {
                return Credentials.of("A", "s");
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        provider(source, "http://127.0.0.1:" + server.getPort()).close();
        assertThat(closed).isTrue();
    }
}
