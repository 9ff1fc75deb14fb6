package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Token-then-GET reads from a fake instance metadata service. */
class InstanceMetadataTest {
    @RegisterExtension
    static final WireMockExtension imds = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @BeforeEach
    void reset() {
        imds.resetAll();
    }

    private InstanceMetadata metadata(String... kv) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT",
                "http://127.0.0.1:" + imds.getPort() + "/"));
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return new InstanceMetadata(env, Duration.ofSeconds(10), Duration.ofSeconds(10));
    }

    @Test
    void readsTheIdentityDocumentWithASessionToken() {
        imds.stubFor(put(urlEqualTo("/latest/api/token"))
                .withHeader("X-aws-ec2-metadata-token-ttl-seconds", equalTo("21600"))
                .willReturn(aResponse().withStatus(200).withBody("tok")));
        imds.stubFor(get(urlEqualTo(InstanceMetadata.IDENTITY_DOCUMENT_PATH))
                .withHeader("X-aws-ec2-metadata-token", equalTo("tok"))
                .willReturn(aResponse().withStatus(200).withBody("{\"instanceId\":\"i-1\"}")));
        assertThat(metadata().get(InstanceMetadata.IDENTITY_DOCUMENT_PATH)).isEqualTo("{\"instanceId\":\"i-1\"}");
    }

    @Test
    void anAnswerOtherThan200IsAnErrorNamingTheStatus() {
        imds.stubFor(put(urlEqualTo("/latest/api/token")).willReturn(aResponse().withStatus(200).withBody("tok")));
        imds.stubFor(get(urlEqualTo(InstanceMetadata.IDENTITY_DOCUMENT_PATH))
                .willReturn(aResponse().withStatus(404).withBody("Not Found")));
        assertThatThrownBy(() -> metadata().get(InstanceMetadata.IDENTITY_DOCUMENT_PATH))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void disabledFailsWithoutAsking() {
        InstanceMetadata m = metadata("AWS_EC2_METADATA_DISABLED", "true");
        assertThat(m.disabled()).isTrue();
        assertThatThrownBy(() -> m.get(InstanceMetadata.IDENTITY_DOCUMENT_PATH))
                .isInstanceOf(CredentialsException.class).hasMessageContaining("AWS_EC2_METADATA_DISABLED");
        imds.verify(0, getRequestedFor(urlEqualTo(InstanceMetadata.IDENTITY_DOCUMENT_PATH)));
    }
}
