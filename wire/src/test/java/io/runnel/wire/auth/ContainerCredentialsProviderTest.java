package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class ContainerCredentialsProviderTest {
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path dir;
    private final TestClock clock = new TestClock();
    private ContainerCredentialsProvider provider;




    @AfterEach
    void closeProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private ContainerCredentialsProvider provider(Map<String, String> env) {
        // Prefetches run on the caller's thread, so refreshes are deterministic.
        provider = new ContainerCredentialsProvider(env, clock, base(), Duration.ofSeconds(2), Duration.ofSeconds(5),
                Runnable::run);
        return provider;
    }

    private static String document(String key, Instant expiration) {
        return "{\"AccessKeyId\":\"" + key + "\",\"SecretAccessKey\":\"secret-" + key + "\",\"Token\":\"token-" + key
                + "\",\"Expiration\":\"" + expiration + "\",\"RoleArn\":\"arn:aws:iam::123456789012:role/r\"}";
    }

    private static void answer(String path, String body) {
        server.stubFor(get(urlEqualTo(path)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @Test
    void relativeUriGoesToTheEcsAgentWithoutAuthorization() {
        Instant exp = clock.instant().plus(Duration.ofHours(6));
        answer("/v2/credentials/abc-123", document("ECSKEY", exp));
        Credentials c = provider(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc-123"))
                .resolveCredentials();
        assertThat(c).isEqualTo(new Credentials("ECSKEY", "secret-ECSKEY", "token-ECSKEY", exp));
        server.verify(1, getRequestedFor(urlEqualTo("/v2/credentials/abc-123"))
                .withHeader("Authorization", absent()));
        // The default base is the ECS agent's address.
        assertThat(new ContainerCredentialsProvider(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/x"), clock)
                .endpoint()).isEqualTo(URI.create("http://169.254.170.2/v2/x"));
    }

    @Test
    void fullUriWithAuthorizationTokenAndCachedUntilNearExpiry() {
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        answer("/creds", document("PODKEY", exp));
        ContainerCredentialsProvider p = provider(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "Basic abc=="));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("PODKEY");
        clock.advance(Duration.ofMinutes(50));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("PODKEY");
        server.verify(1, getRequestedFor(urlEqualTo("/creds")).withHeader("Authorization", equalTo("Basic abc==")));

        answer("/creds", document("PODKEY2", exp.plus(Duration.ofHours(1))));
        clock.advance(Duration.ofMinutes(6)); // 4 minutes before expiry: fetched again
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("PODKEY2");
        server.verify(2, getRequestedFor(urlEqualTo("/creds")));
    }

    @Test
    void tokenFileIsReadAgainForEveryFetchAndWinsOverTheVariable() throws Exception {
        Path tokenFile = dir.resolve("eks-pod-identity-token");
        Files.writeString(tokenFile, "first-token\n");
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        answer("/creds", document("K", exp));
        ContainerCredentialsProvider p = provider(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-token"));
        p.resolveCredentials();
        Files.writeString(tokenFile, "rotated-token");
        clock.advance(Duration.ofMinutes(58));
        p.resolveCredentials();
        server.verify(1, getRequestedFor(urlEqualTo("/creds")).withHeader("Authorization", equalTo("first-token")));
        server.verify(1, getRequestedFor(urlEqualTo("/creds")).withHeader("Authorization", equalTo("rotated-token")));
    }

    @Test
    void unreadableOrMalformedTokenIsACredentialsException() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", dir.resolve("missing").toString()));
        assertThatThrownBy(() -> provider(env).resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").hasMessageContaining("missing");
        provider.close();
        env.remove("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        env.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "a\r\nX-Injected: 1");
        assertThatThrownBy(() -> provider(env).resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("line break");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void notConfiguredFailsWithoutNetwork() {
        assertThatThrownBy(() -> provider(Map.of()).resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                .hasMessageContaining("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void plainHttpToAnotherHostIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> provider(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://192.0.2.10/creds"))
                .resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("AWS_CONTAINER_CREDENTIALS_FULL_URI")
                .hasMessageContaining("192.0.2.10")
                .hasMessageContaining("loopback")
                .hasMessageContaining("https");
        assertThatThrownBy(() -> provider(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "ftp://127.0.0.1/creds"))
                .endpoint()).isInstanceOf(CredentialsException.class).hasMessageContaining("http or https");
    }

    @Test
    void hostsPlainHttpMayGoTo() {
        for (String allowed : new String[] {"http://127.0.0.1/c", "http://127.0.0.2:8080/c", "http://[::1]/c",
                "http://localhost/c", "http://169.254.170.2/c", "http://169.254.170.23/c", "http://[fd00:ec2::23]/c",
                "http://[FD00:EC2::23]:80/c"}) {
            assertThat(ContainerCredentialsProvider.isAllowedHttpHost(URI.create(allowed))).as(allowed).isTrue();
        }
        for (String refused : new String[] {"http://192.0.2.10/c", "http://10.0.0.1/c", "http://169.254.169.254/c",
                "http://[fd00:ec2::254]/c", "http://169.254.170.3/c"}) {
            assertThat(ContainerCredentialsProvider.isAllowedHttpHost(URI.create(refused))).as(refused).isFalse();
        }
        // https may go anywhere (checked without connecting).
        assertThat(provider(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", "https://192.0.2.10/creds")).endpoint())
                .isEqualTo(URI.create("https://192.0.2.10/creds"));
    }

    @Test
    void errorAnswersAndBadDocumentsAreCredentialsExceptions() {
        Map<String, String> env = Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/creds");
        server.stubFor(get(urlEqualTo("/creds")).willReturn(aResponse().withStatus(403)
                .withBody("{\"code\":\"AccessDenied\",\"message\":\"token expired\"}")));
        assertThatThrownBy(() -> provider(env).resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("403").hasMessageContaining("token expired");
        answer("/creds", "{\"AccessKeyId\":\"K\"}");
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("SecretAccessKey");
        answer("/creds", "<html>");
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("JSON");
        answer("/creds", "{\"AccessKeyId\":\"K\",\"SecretAccessKey\":\"S\",\"Expiration\":\"tomorrow\"}");
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("Expiration").hasMessageContaining("tomorrow");
    }

    @Test
    void unreachableEndpointIsACredentialsException() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThatThrownBy(() -> provider(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1:" + closedPort + "/creds")).resolveCredentials())
                .isInstanceOf(CredentialsException.class).hasMessageStartingWith("container: ")
                .hasMessageContaining(String.valueOf(closedPort));
    }

    @Test
    void theSdkReadsTheSameKeysFromTheSameEndpoint() {
        Instant exp = Instant.now().plus(Duration.ofHours(6)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        answer("/creds", document("SAMEKEY", exp));
        Credentials ours = provider(Map.of("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/creds",
                "AWS_CONTAINER_AUTHORIZATION_TOKEN", "tok")).resolveCredentials();
        AwsCredentials sdk = withSystemProperties(Map.of("aws.containerCredentialsFullUri", base() + "/creds",
                "aws.containerAuthorizationToken", "tok"), () -> {
                    try (var p = software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider.builder()
                            .build()) {
                        return p.resolveCredentials();
                    }
                });
        assertThat(ours.accessKeyId()).isEqualTo(sdk.accessKeyId());
        assertThat(ours.secretAccessKey()).isEqualTo(sdk.secretAccessKey());
        assertThat(ours.sessionToken()).isEqualTo(((AwsSessionCredentials) sdk).sessionToken());
        assertThat(ours.expiration()).isEqualTo(sdk.expirationTime().orElseThrow());
        server.verify(2, getRequestedFor(urlEqualTo("/creds")).withHeader("Authorization", equalTo("tok")));
    }

    /** Runs {@code body} with system properties set, restoring the previous values afterwards. */
    static <T> T withSystemProperties(Map<String, String> properties, java.util.function.Supplier<T> body) {
        Map<String, String> saved = new HashMap<>();
        properties.keySet().forEach(k -> saved.put(k, System.getProperty(k)));
        try {
            properties.forEach(System::setProperty);
            return body.get();
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
