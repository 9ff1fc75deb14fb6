package io.runnel.wire.auth;

import static io.runnel.wire.auth.StsCredentialsTest.env;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceEndpointsTest {
    @Test
    void regionalUnlessTheServiceOrGlobalVariableOverridesIt() {
        assertThat(ServiceEndpoints.endpoint(env(Map.of()), "SSO", "portal.sso", "eu-north-1", "x"))
                .isEqualTo(URI.create("https://portal.sso.eu-north-1.amazonaws.com"));
        assertThat(ServiceEndpoints.endpoint(env(Map.of()), "SSO OIDC", "oidc", "CN-north-1", "x"))
                .isEqualTo(URI.create("https://oidc.cn-north-1.amazonaws.com.cn"));
        assertThat(ServiceEndpoints.endpoint(env(Map.of("AWS_ENDPOINT_URL", "http://h:1")), "SSO", "portal.sso",
                "eu-north-1", "x")).isEqualTo(URI.create("http://h:1"));
        assertThat(ServiceEndpoints.endpoint(env(Map.of("AWS_ENDPOINT_URL", "http://h:1",
                "AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc:2")), "SSO OIDC", "oidc", "eu-north-1", "x"))
                .isEqualTo(URI.create("http://oidc:2"));
        assertThat(ServiceEndpoints.override(env(Map.of("AWS_ENDPOINT_URL_STS", "http://sts:3")), "SSO", "x")).isNull();
    }

    @Test
    void badOverridesAndRegionsAreNamed() {
        assertThatThrownBy(() -> ServiceEndpoints.override(env(Map.of("AWS_ENDPOINT_URL_SSO", "ftp://x")), "SSO",
                "profile 'p'"))
                .hasMessage("profile 'p': AWS_ENDPOINT_URL_SSO must be an http or https URL, was ftp://x");
        assertThatThrownBy(() -> ServiceEndpoints.regional("oidc", "eu west 1", "profile 'p'"))
                .hasMessage("profile 'p': not a region: eu west 1");
    }

    @Test
    void theSsoServicesFollowTheProfilesServicesSection(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, "[profile dev]\nservices = local\n[services local]\n"
                + "sso_oidc =\n  endpoint_url = http://oidc:5\nsso =\n  endpoint_url = http://portal:6\n");
        AwsEnvironment e = new AwsEnvironment(Map.of(), new Properties(), config, "dev",
                new InstanceMetadataRegion(Map.of()));
        assertThat(ServiceEndpoints.endpoint(e, "SSO OIDC", "oidc", "eu-north-1", "x"))
                .isEqualTo(URI.create("http://oidc:5"));
        assertThat(ServiceEndpoints.endpoint(e, "SSO", "portal.sso", "eu-north-1", "x"))
                .isEqualTo(URI.create("http://portal:6"));
        assertThat(ServiceEndpoints.override(e, "STS", "x")).isNull();
    }
}
