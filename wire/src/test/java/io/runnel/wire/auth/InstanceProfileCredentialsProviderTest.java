package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class InstanceProfileCredentialsProviderTest {
    private static final String TOKEN = "/latest/api/token";
    private static final String ROLES = "/latest/meta-data/iam/security-credentials/";
    private static final String ROLE = ROLES + "my-role";
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    private final TestClock clock = new TestClock();
    private InstanceProfileCredentialsProvider provider;




    @AfterEach
    void closeProvider() {
        if (provider != null) {
            provider.close();
        }
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private InstanceProfileCredentialsProvider provider(String... extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", base() + "/");
        for (int i = 0; i < extraEnv.length; i += 2) {
            env.put(extraEnv[i], extraEnv[i + 1]);
        }
        // Prefetches run on the caller's thread, so refreshes are deterministic.
        provider = new InstanceProfileCredentialsProvider(env, clock, Duration.ofSeconds(1), Duration.ofSeconds(2),
                Runnable::run);
        return provider;
    }

    private static void tokenAnswers(int status, String token) {
        server.stubFor(put(urlEqualTo(TOKEN)).withHeader("X-aws-ec2-metadata-token-ttl-seconds", equalTo("21600"))
                .willReturn(aResponse().withStatus(status).withBody(token)));
    }

    /** The role and credentials answer only with {@code token} (or to requests without one when null). */
    private static void metadataAnswers(String token, String key, Instant expiration) {
        var roles = get(urlEqualTo(ROLES));
        var role = get(urlEqualTo(ROLE));
        if (token == null) {
            roles = roles.withHeader("X-aws-ec2-metadata-token", absent());
            role = role.withHeader("X-aws-ec2-metadata-token", absent());
        } else {
            roles = roles.withHeader("X-aws-ec2-metadata-token", equalTo(token));
            role = role.withHeader("X-aws-ec2-metadata-token", equalTo(token));
        }
        server.stubFor(roles.willReturn(aResponse().withStatus(200).withBody("my-role\n")));
        server.stubFor(role.willReturn(aResponse().withStatus(200).withBody("{\"Code\":\"Success\","
                + "\"LastUpdated\":\"2026-11-24T23:50:00Z\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"" + key
                + "\",\"SecretAccessKey\":\"secret-" + key + "\",\"Token\":\"token-" + key + "\",\"Expiration\":\""
                + expiration + "\"}")));
    }

    /** Any other token is refused with 401, as IMDS does with an expired or unknown token. */
    private static void otherTokensUnauthorized() {
        server.stubFor(get(urlEqualTo(ROLES)).atPriority(10).willReturn(aResponse().withStatus(401)));
        server.stubFor(get(urlEqualTo(ROLE)).atPriority(10).willReturn(aResponse().withStatus(401)));
    }

    @Test
    void imdsV2TokenThenRoleThenCredentials() {
        Instant exp = clock.instant().plus(Duration.ofHours(6));
        tokenAnswers(200, "tok-1");
        metadataAnswers("tok-1", "IMDSKEY", exp);
        assertThat(provider().resolveCredentials())
                .isEqualTo(new Credentials("IMDSKEY", "secret-IMDSKEY", "token-IMDSKEY", exp));
        server.verify(1, putRequestedFor(urlEqualTo(TOKEN)));
        server.verify(1, getRequestedFor(urlEqualTo(ROLES)).withHeader("X-aws-ec2-metadata-token", equalTo("tok-1")));
        server.verify(1, getRequestedFor(urlEqualTo(ROLE)).withHeader("X-aws-ec2-metadata-token", equalTo("tok-1")));
    }

    @Test
    void cachedUntilNearExpiryThenFetchedAgainWithTheSameToken() {
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        tokenAnswers(200, "tok-1");
        metadataAnswers("tok-1", "K1", exp);
        InstanceProfileCredentialsProvider p = provider();
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        clock.advance(Duration.ofMinutes(54));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        server.verify(1, getRequestedFor(urlEqualTo(ROLE)));

        metadataAnswers("tok-1", "K2", exp.plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(2)); // 4 minutes before expiry
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");
        server.verify(2, getRequestedFor(urlEqualTo(ROLE)));
        server.verify(1, putRequestedFor(urlEqualTo(TOKEN))); // the token is still within its TTL
    }

    @Test
    void unauthorizedGetsANewTokenOnce() {
        tokenAnswers(200, "tok-1");
        metadataAnswers("tok-1", "K1", clock.instant().plus(Duration.ofHours(1)));
        InstanceProfileCredentialsProvider p = provider();
        p.resolveCredentials();

        server.resetAll();
        otherTokensUnauthorized(); // tok-1 was revoked
        tokenAnswers(200, "tok-2");
        metadataAnswers("tok-2", "K2", clock.instant().plus(Duration.ofHours(2)));
        clock.advance(Duration.ofMinutes(58));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");
        server.verify(1, putRequestedFor(urlEqualTo(TOKEN)));
        server.verify(1, getRequestedFor(urlEqualTo(ROLES)).withHeader("X-aws-ec2-metadata-token", equalTo("tok-1")));
        server.verify(1, getRequestedFor(urlEqualTo(ROLES)).withHeader("X-aws-ec2-metadata-token", equalTo("tok-2")));
    }

    @Test
    void unauthorizedAgainWithTheNewTokenIsAnError() {
        tokenAnswers(200, "tok-1");
        otherTokensUnauthorized();
        assertThatThrownBy(() -> provider().resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("401");
        server.verify(2, putRequestedFor(urlEqualTo(TOKEN)));
        server.verify(2, getRequestedFor(urlEqualTo(ROLES)));
    }

    @Test
    void tokenRequestForbiddenFallsBackToImdsV1() {
        Instant exp = clock.instant().plus(Duration.ofHours(6));
        for (int status : new int[] {403, 404, 405}) {
            server.resetAll();
            tokenAnswers(status, "");
            metadataAnswers(null, "V1KEY", exp);
            assertThat(provider().resolveCredentials().accessKeyId()).as("token PUT %d", status).isEqualTo("V1KEY");
            server.verify(1, getRequestedFor(urlEqualTo(ROLE)).withHeader("X-aws-ec2-metadata-token", absent()));
            provider.close();
        }
    }

    @Test
    void noFallbackWhenV1IsDisabled() {
        tokenAnswers(403, "");
        metadataAnswers(null, "V1KEY", clock.instant().plus(Duration.ofHours(6)));
        assertThatThrownBy(() -> provider("AWS_EC2_METADATA_V1_DISABLED", "TRUE").resolveCredentials())
                .isInstanceOf(CredentialsException.class)
                .hasMessageContaining("403").hasMessageContaining("AWS_EC2_METADATA_V1_DISABLED");
        server.verify(0, getRequestedFor(urlEqualTo(ROLES)));
    }

    @Test
    void noFallbackWhenTheTokenRequestFailsOtherwise() {
        for (int status : new int[] {400, 500, 503}) {
            server.resetAll();
            tokenAnswers(status, "nope");
            metadataAnswers(null, "V1KEY", clock.instant().plus(Duration.ofHours(6)));
            assertThatThrownBy(() -> provider().resolveCredentials()).isInstanceOf(CredentialsException.class)
                    .hasMessageContaining("PUT").hasMessageContaining(String.valueOf(status));
            server.verify(0, getRequestedFor(urlEqualTo(ROLES)));
            provider.close();
        }
    }

    @Test
    void disabledMeansNoRequest() {
        assertThatThrownBy(() -> provider("AWS_EC2_METADATA_DISABLED", "true").resolveCredentials())
                .isInstanceOf(CredentialsException.class).hasMessageContaining("AWS_EC2_METADATA_DISABLED");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void noRoleAndFailedCodeAreExplained() {
        tokenAnswers(200, "tok-1");
        server.stubFor(get(urlEqualTo(ROLES)).willReturn(aResponse().withStatus(404)));
        assertThatThrownBy(() -> provider().resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("no IAM role");
        server.stubFor(get(urlEqualTo(ROLES)).willReturn(aResponse().withStatus(200).withBody("my-role")));
        server.stubFor(get(urlEqualTo(ROLE)).willReturn(aResponse().withStatus(200)
                .withBody("{\"Code\":\"AssumeRoleUnauthorizedAccess\",\"Message\":\"cannot assume\"}")));
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("AssumeRoleUnauthorizedAccess").hasMessageContaining("cannot assume");
    }

    @Test
    void endpoints() {
        TestClock c = new TestClock();
        assertThat(new InstanceProfileCredentialsProvider(Map.of(), c).endpoint()).isEqualTo("http://169.254.169.254");
        assertThat(new InstanceProfileCredentialsProvider(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6"), c)
                .endpoint()).isEqualTo("http://[fd00:ec2::254]");
        assertThat(new InstanceProfileCredentialsProvider(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://[::1]:1338/"), c).endpoint()).isEqualTo("http://[::1]:1338");
        assertThatThrownBy(() -> new InstanceProfileCredentialsProvider(Map.of(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"), c).endpoint())
                .hasMessageContaining("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
    }

    @Test
    void unreachableEndpointFailsQuickly() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        provider = new InstanceProfileCredentialsProvider(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://127.0.0.1:" + closedPort), clock, Duration.ofSeconds(1), Duration.ofSeconds(2), Runnable::run);
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageStartingWith("instance profile: ").hasMessageContaining(String.valueOf(closedPort))
                .hasMessageNotContaining("not asked again");
        // off EC2: the next calls fail at once, without a connection attempt, for a minute
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining(String.valueOf(closedPort))
                .hasMessageContaining("not asked again until");
        clock.advance(InstanceProfileCredentialsProvider.UNREACHABLE_MEMORY);
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining(String.valueOf(closedPort))
                .hasMessageNotContaining("not asked again");
    }

    @Test
    void theSdkReadsTheSameKeysFromTheSameEndpoint() {
        Instant exp = Instant.now().plus(Duration.ofHours(6)).truncatedTo(ChronoUnit.SECONDS);
        tokenAnswers(200, "tok-1");
        metadataAnswers("tok-1", "SAMEKEY", exp);
        Credentials ours = provider().resolveCredentials();
        AwsCredentials sdk;
        try (var p = software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider.builder()
                .endpoint(base()).build()) {
            sdk = p.resolveCredentials();
        }
        assertThat(ours.accessKeyId()).isEqualTo(sdk.accessKeyId());
        assertThat(ours.secretAccessKey()).isEqualTo(sdk.secretAccessKey());
        assertThat(ours.sessionToken()).isEqualTo(((AwsSessionCredentials) sdk).sessionToken());
        assertThat(ours.expiration()).isEqualTo(sdk.expirationTime().orElseThrow());
        server.verify(2, getRequestedFor(urlEqualTo(ROLE)).withHeader("X-aws-ec2-metadata-token", equalTo("tok-1")));
    }
}
