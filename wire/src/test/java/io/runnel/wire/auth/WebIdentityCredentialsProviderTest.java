package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

class WebIdentityCredentialsProviderTest {
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/producer";
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;
    private Path tokenFile;
    private final TestClock clock = new TestClock();
    private WebIdentityCredentialsProvider provider;



    @BeforeEach
    void reset() throws Exception {
        server.resetAll();
        tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.first+token/=\n");
    }

    @AfterEach
    void closeProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private Map<String, String> env(String... extra) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString(),
                "AWS_ROLE_ARN", ROLE_ARN, "AWS_ENDPOINT_URL_STS", base(), "AWS_REGION", "eu-west-1"));
        for (int i = 0; i < extra.length; i += 2) {
            if (extra[i + 1] == null) {
                env.remove(extra[i]);
            } else {
                env.put(extra[i], extra[i + 1]);
            }
        }
        return env;
    }

    private WebIdentityCredentialsProvider provider(Map<String, String> env) {
        // Prefetches run on the caller's thread, so refreshes are deterministic.
        provider = new WebIdentityCredentialsProvider(env, clock, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Runnable::run);
        return provider;
    }

    private static String success(String key, Instant expiration) {
        return """
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <SubjectFromWebIdentityToken>system:serviceaccount:ns:sa</SubjectFromWebIdentityToken>
                    <Audience>sts.amazonaws.com</Audience>
                    <AssumedRoleUser>
                      <Arn>arn:aws:sts::123456789012:assumed-role/producer/s</Arn>
                      <AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>
                    </AssumedRoleUser>
                    <Credentials>
                      <SessionToken>token-%1$s</SessionToken>
                      <SecretAccessKey>secret-%1$s</SecretAccessKey>
                      <Expiration>%2$s</Expiration>
                      <AccessKeyId>%1$s</AccessKeyId>
                    </Credentials>
                    <Provider>arn:aws:iam::123456789012:oidc-provider/example</Provider>
                  </AssumeRoleWithWebIdentityResult>
                  <ResponseMetadata>
                    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
                  </ResponseMetadata>
                </AssumeRoleWithWebIdentityResponse>
                """.formatted(key, expiration);
    }

    private static void stsAnswers(int status, String xml) {
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/xml").withBody(xml)));
    }

    private static Map<String, String> form(ServeEvent e) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : e.getRequest().getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<ServeEvent> requests() {
        List<ServeEvent> events = new java.util.ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events); // oldest first
        return events;
    }

    @Test
    void assumesTheRoleWithAnUnsignedQueryRequest() {
        Instant exp = Instant.parse("2026-11-25T01:00:00Z");
        stsAnswers(200, success("ASIAWEB", exp));
        Credentials c = provider(env("AWS_ROLE_SESSION_NAME", "my-session")).resolveCredentials();
        assertThat(c).isEqualTo(new Credentials("ASIAWEB", "secret-ASIAWEB", "token-ASIAWEB", exp));
        server.verify(1, postRequestedFor(urlEqualTo("/"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withHeader("Authorization", absent()));
        assertThat(form(requests().get(0))).isEqualTo(Map.of("Action", "AssumeRoleWithWebIdentity",
                "Version", "2011-06-15", "RoleArn", ROLE_ARN, "RoleSessionName", "my-session",
                "WebIdentityToken", "eyJhbGciOiJSUzI1NiJ9.first+token/="));
    }

    @Test
    void sessionNameIsGeneratedWhenNotSet() {
        stsAnswers(200, success("K", clock.instant().plus(Duration.ofHours(1))));
        provider(env()).resolveCredentials();
        assertThat(form(requests().get(0)).get("RoleSessionName")).isEqualTo("runnel-" + clock.millis());
    }

    @Test
    void tokenFileIsReadAgainAtEachRefresh() throws Exception {
        stsAnswers(200, success("K1", clock.instant().plus(Duration.ofHours(1))));
        WebIdentityCredentialsProvider p = provider(env());
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        Files.writeString(tokenFile, "second-token");
        clock.advance(Duration.ofMinutes(30));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1"); // cached
        stsAnswers(200, success("K2", clock.instant().plus(Duration.ofHours(1))));
        clock.advance(Duration.ofMinutes(26)); // 4 minutes before expiry
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");
        assertThat(requests()).hasSize(2);
        assertThat(form(requests().get(1)).get("WebIdentityToken")).isEqualTo("second-token");
    }

    @Test
    void stsErrorCodeAndMessageAreSurfaced() {
        stsAnswers(400, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error>
                    <Type>Sender</Type>
                    <Code>InvalidIdentityToken</Code>
                    <Message>No OpenIDConnect provider found in your account for https://oidc.example</Message>
                  </Error>
                  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
                </ErrorResponse>
                """);
        assertThatThrownBy(() -> provider(env()).resolveCredentials()).isInstanceOfSatisfying(
                CredentialsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("InvalidIdentityToken");
                    assertThat(e).hasMessageContaining("InvalidIdentityToken")
                            .hasMessageContaining("No OpenIDConnect provider found")
                            .hasMessageContaining(ROLE_ARN)
                            .hasMessageContaining("c6104cbe-af31-11e0-8154-cbc7ccf896c7")
                            .hasMessageContaining("400");
                });
    }

    @Test
    void anAnswerThatIsNotAnStsErrorNamesTheStatus() {
        stsAnswers(503, "<html><body>Service Unavailable</body></html>");
        assertThatThrownBy(() -> provider(env()).resolveCredentials()).isInstanceOfSatisfying(
                CredentialsException.class, e -> {
                    assertThat(e.errorCode()).isNull();
                    assertThat(e).hasMessageContaining("503").hasMessageContaining("Service Unavailable");
                });
        stsAnswers(200, "not xml");
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("XML");
    }

    @Test
    void externalEntitiesAreNotResolved() throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        stsAnswers(200, "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + success("&xxe;", clock.instant().plus(Duration.ofHours(1))).replace(
                        "<AssumeRoleWithWebIdentityResponse", "<AssumeRoleWithWebIdentityResponse"));
        assertThatThrownBy(() -> provider(env()).resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("DOCTYPE").hasMessageNotContaining("TOP-SECRET-CONTENT");
    }

    @Test
    void notConfiguredFailsWithoutNetwork() {
        assertThatThrownBy(() -> provider(env("AWS_WEB_IDENTITY_TOKEN_FILE", null)).resolveCredentials())
                .isInstanceOf(CredentialsException.class).hasMessageContaining("AWS_WEB_IDENTITY_TOKEN_FILE");
        provider.close();
        assertThatThrownBy(() -> provider(env("AWS_ROLE_ARN", null)).resolveCredentials())
                .isInstanceOf(CredentialsException.class).hasMessageContaining("AWS_ROLE_ARN");
        provider.close();
        assertThatThrownBy(() -> provider(env("AWS_WEB_IDENTITY_TOKEN_FILE", dir.resolve("gone").toString()))
                .resolveCredentials()).isInstanceOf(CredentialsException.class).hasMessageContaining("gone");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void endpoints() {
        assertThat(endpoint("AWS_ENDPOINT_URL_STS", null)).isEqualTo(URI.create("https://sts.eu-west-1.amazonaws.com"));
        assertThat(endpoint("AWS_ENDPOINT_URL_STS", null, "AWS_REGION", null, "AWS_DEFAULT_REGION", "us-west-2"))
                .isEqualTo(URI.create("https://sts.us-west-2.amazonaws.com"));
        assertThat(endpoint("AWS_ENDPOINT_URL_STS", null, "AWS_REGION", "cn-north-1"))
                .isEqualTo(URI.create("https://sts.cn-north-1.amazonaws.com.cn"));
        assertThat(endpoint("AWS_ENDPOINT_URL_STS", null, "AWS_REGION", null))
                .isEqualTo(URI.create("https://sts.amazonaws.com"));
        assertThat(endpoint("AWS_ENDPOINT_URL_STS", null, "AWS_ENDPOINT_URL", "http://localhost:4566"))
                .isEqualTo(URI.create("http://localhost:4566"));
        assertThat(endpoint("AWS_ENDPOINT_URL", "http://localhost:4566")).isEqualTo(URI.create(base()));
        assertThatThrownBy(() -> endpoint("AWS_ENDPOINT_URL_STS", "ftp://x"))
                .hasMessageContaining("AWS_ENDPOINT_URL_STS");
    }

    private URI endpoint(String... kv) {
        return new WebIdentityCredentialsProvider(env(kv), clock).endpoint();
    }

    @Test
    void httpsCertificatesAreVerified() {
        WireMockServer tls = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort()
                .bindAddress("127.0.0.1"));
        tls.start();
        try {
            tls.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                    .withBody(success("K", clock.instant().plus(Duration.ofHours(1))))));
            assertThatThrownBy(() -> provider(env("AWS_ENDPOINT_URL_STS", "https://127.0.0.1:" + tls.httpsPort()))
                    .resolveCredentials()).isInstanceOf(CredentialsException.class).hasMessageContaining("TLS");
        } finally {
            provider.close();
            tls.stop();
        }
    }

    @Test
    void theSdkSendsTheSameRequestAndReadsTheSameKeys() throws Exception {
        // The SDK sends the file as it is; we strip surrounding white space (a JWT has none).
        Files.writeString(tokenFile, "eyJhbGciOiJSUzI1NiJ9.first+token/=");
        Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        stsAnswers(200, success("SAMEKEY", exp));
        Credentials ours = provider(env("AWS_ROLE_SESSION_NAME", "s1")).resolveCredentials();
        AwsCredentials sdk;
        try (StsClient sts = StsClient.builder().endpointOverride(URI.create(base())).region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .httpClient(UrlConnectionHttpClient.create()).build();
             var p = StsWebIdentityTokenFileCredentialsProvider.builder().stsClient(sts).roleArn(ROLE_ARN)
                     .roleSessionName("s1").webIdentityTokenFile(tokenFile).build()) {
            sdk = p.resolveCredentials();
        }
        assertThat(ours.accessKeyId()).isEqualTo(sdk.accessKeyId());
        assertThat(ours.secretAccessKey()).isEqualTo(sdk.secretAccessKey());
        assertThat(ours.sessionToken()).isEqualTo(((AwsSessionCredentials) sdk).sessionToken());
        assertThat(ours.expiration()).isEqualTo(sdk.expirationTime().orElseThrow());
        List<ServeEvent> requests = requests();
        assertThat(requests).hasSize(2);
        assertThat(form(requests.get(0))).isEqualTo(form(requests.get(1)));
        assertThat(requests.get(1).getRequest().getHeader("Authorization")).isNull();
    }
}
