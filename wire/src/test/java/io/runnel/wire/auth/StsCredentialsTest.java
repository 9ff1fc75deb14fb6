package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StsCredentialsTest {
    /** Only these variables: no system properties, no config file. */
    static AwsEnvironment env(Map<String, String> variables) {
        return new AwsEnvironment(variables, new Properties(), (Path) null, "default",
                new InstanceMetadataRegion(variables));
    }

    @Test
    void endpointFromOverridesRegionOrGlobal() {
        assertThat(StsCredentials.endpoint(env(Map.of()), "eu-west-1", "s"))
                .isEqualTo(URI.create("https://sts.eu-west-1.amazonaws.com"));
        assertThat(StsCredentials.endpoint(env(Map.of()), "CN-north-1", "s"))
                .isEqualTo(URI.create("https://sts.cn-north-1.amazonaws.com.cn"));
        assertThat(StsCredentials.endpoint(env(Map.of()), null, "s"))
                .isEqualTo(URI.create("https://sts.amazonaws.com"));
        assertThat(StsCredentials.endpoint(env(Map.of("AWS_ENDPOINT_URL", "http://localhost:4566",
                "AWS_ENDPOINT_URL_STS", "http://localhost:1")), "eu-west-1", "s"))
                .isEqualTo(URI.create("http://localhost:1"));
        assertThatThrownBy(() -> StsCredentials.endpoint(env(Map.of()), "eu west", "profile 'x'"))
                .hasMessageContaining("profile 'x': not a region: eu west");
        assertThat(StsCredentials.environmentRegion(Map.of("AWS_DEFAULT_REGION", "us-east-2"))).isEqualTo("us-east-2");
        assertThat(StsCredentials.environmentRegion(Map.of("AWS_DEFAULT_REGION", "us-east-2",
                "AWS_REGION", "eu-north-1"))).isEqualTo("eu-north-1");
    }

    @Test
    void answersWithoutCredentialsOrNotXmlAreReported() {
        URI sts = URI.create("https://sts.amazonaws.com");
        assertThatThrownBy(() -> StsCredentials.read(new CredentialsHttpClient.Response(200,
                "<AssumeRoleResponse/>".getBytes(StandardCharsets.UTF_8)), "AssumeRole", "arn", sts, "p"))
                .hasMessageContaining("has no Credentials");
        assertThatThrownBy(() -> StsCredentials.read(new CredentialsHttpClient.Response(502,
                "<html>bad gateway".getBytes(StandardCharsets.UTF_8)), "AssumeRole", "arn", sts, "p"))
                .isInstanceOfSatisfying(CredentialsException.class, e -> assertThat(e.errorCode()).isNull())
                .hasMessageContaining("answered HTTP 502: <html>bad gateway");
    }
}
