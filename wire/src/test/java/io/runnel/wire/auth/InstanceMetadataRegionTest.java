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

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The region from a fake instance metadata service. */
class InstanceMetadataRegionTest {
    @RegisterExtension
    static final WireMockExtension imds = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @BeforeEach
    void reset() {
        imds.resetAll();
    }

    static void imdsAnswersRegion(WireMockExtension imds, String region) {
        imds.stubFor(put(urlEqualTo(InstanceProfileCredentialsProvider.TOKEN_PATH))
                .withHeader(InstanceProfileCredentialsProvider.TOKEN_TTL_HEADER, equalTo("21600"))
                .willReturn(aResponse().withStatus(200).withBody("imds-token")));
        imds.stubFor(get(urlEqualTo(InstanceMetadataRegion.REGION_PATH))
                .withHeader(InstanceProfileCredentialsProvider.TOKEN_HEADER, equalTo("imds-token"))
                .willReturn(aResponse().withStatus(200).withBody(region)));
    }

    /** Generous timeouts: a cold fake server on a busy machine may take longer than the production second. */
    static InstanceMetadataRegion region(Map<String, String> env) {
        return new InstanceMetadataRegion(env, Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    private String lookup(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://127.0.0.1:" + imds.getPort() + "/"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return region(env).lookup();
    }

    @Test
    void aTokenFirstThenTheRegionWithIt() {
        imdsAnswersRegion(imds, "eu-west-2");
        assertThat(lookup()).isEqualTo("eu-west-2");
        imds.verify(1, putRequestedFor(urlEqualTo(InstanceProfileCredentialsProvider.TOKEN_PATH)));
        imds.verify(1, getRequestedFor(urlEqualTo(InstanceMetadataRegion.REGION_PATH)));
    }

    @Test
    void theSdkAsksTheSameQuestionsAndGetsTheSameRegion() {
        imdsAnswersRegion(imds, "eu-west-2");
        // The SDK v2 reads the region from the instance identity document; we read placement/region (one value, no
        // JSON). Both carry the token, asked for the same way.
        imds.stubFor(get(urlEqualTo("/latest/dynamic/instance-identity/document"))
                .withHeader(InstanceProfileCredentialsProvider.TOKEN_HEADER, equalTo("imds-token"))
                .willReturn(aResponse().withStatus(200)
                        .withBody("{\"region\": \"eu-west-2\", \"instanceId\": \"i-1\"}")));
        assertThat(lookup()).isEqualTo("eu-west-2");
        var ours = imds.getAllServeEvents();
        imds.resetRequests();
        String previous = System.getProperty("aws.ec2MetadataServiceEndpoint");
        System.setProperty("aws.ec2MetadataServiceEndpoint", "http://127.0.0.1:" + imds.getPort());
        try {
            assertThat(new software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider().getRegion().id())
                    .isEqualTo("eu-west-2");
        } finally {
            if (previous == null) {
                System.clearProperty("aws.ec2MetadataServiceEndpoint");
            } else {
                System.setProperty("aws.ec2MetadataServiceEndpoint", previous);
            }
        }
        var sdk = imds.getAllServeEvents();
        assertThat(sdk).hasSameSizeAs(ours);
        for (int i = 0; i < sdk.size(); i++) {
            var a = ours.get(i).getRequest();
            var b = sdk.get(i).getRequest();
            assertThat(a.getMethod()).isEqualTo(b.getMethod());
            if (a.getMethod().getName().equals("PUT")) {
                assertThat(a.getUrl()).isEqualTo(b.getUrl());
            }
            assertThat(a.getHeader(InstanceProfileCredentialsProvider.TOKEN_TTL_HEADER))
                    .isEqualTo(b.getHeader(InstanceProfileCredentialsProvider.TOKEN_TTL_HEADER));
            assertThat(a.getHeader(InstanceProfileCredentialsProvider.TOKEN_HEADER))
                    .isEqualTo(b.getHeader(InstanceProfileCredentialsProvider.TOKEN_HEADER));
        }
    }

    @Test
    void imdsV1WhenTheTokenIsRefusedUnlessV1IsDisabled() {
        imds.stubFor(put(urlEqualTo(InstanceProfileCredentialsProvider.TOKEN_PATH))
                .willReturn(aResponse().withStatus(403)));
        imds.stubFor(get(urlEqualTo(InstanceMetadataRegion.REGION_PATH))
                .withHeader(InstanceProfileCredentialsProvider.TOKEN_HEADER, absent())
                .willReturn(aResponse().withStatus(200).withBody("ap-south-1\n")));
        assertThat(lookup()).isEqualTo("ap-south-1");
        imds.resetRequests();
        assertThat(lookup("AWS_EC2_METADATA_V1_DISABLED", "true")).isNull();
        imds.verify(0, getRequestedFor(urlEqualTo(InstanceMetadataRegion.REGION_PATH)));
    }

    @Test
    void disabledMeansNoRequestAtAll() {
        imdsAnswersRegion(imds, "eu-west-2");
        assertThat(lookup("AWS_EC2_METADATA_DISABLED", "TRUE")).isNull();
        assertThat(imds.getAllServeEvents()).isEmpty();
    }

    @Test
    void errorsAndOddAnswersAreNoRegion() throws Exception {
        imds.stubFor(put(urlEqualTo(InstanceProfileCredentialsProvider.TOKEN_PATH))
                .willReturn(aResponse().withStatus(200).withBody("imds-token")));
        imds.stubFor(get(urlEqualTo(InstanceMetadataRegion.REGION_PATH)).willReturn(aResponse().withStatus(404)));
        assertThat(lookup()).isNull();
        imds.stubFor(get(urlEqualTo(InstanceMetadataRegion.REGION_PATH))
                .willReturn(aResponse().withStatus(200).withBody("<html>captive portal</html>")));
        assertThat(lookup()).isNull();
        imds.stubFor(put(urlEqualTo(InstanceProfileCredentialsProvider.TOKEN_PATH))
                .willReturn(aResponse().withStatus(500)));
        assertThat(lookup()).isNull();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThat(lookup("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + closedPort)).isNull();
        assertThat(lookup("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ftp://nowhere")).isNull();
    }
}
