package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceEndpointsTest {
    @Test
    void regionalUnlessTheServiceOrGlobalVariableOverridesIt() {
        assertThat(ServiceEndpoints.endpoint(Map.of(), "SSO", "portal.sso", "eu-north-1", "x"))
                .isEqualTo(URI.create("https://portal.sso.eu-north-1.amazonaws.com"));
        assertThat(ServiceEndpoints.endpoint(Map.of(), "SSO_OIDC", "oidc", "CN-north-1", "x"))
                .isEqualTo(URI.create("https://oidc.cn-north-1.amazonaws.com.cn"));
        assertThat(ServiceEndpoints.endpoint(Map.of("AWS_ENDPOINT_URL", "http://h:1"), "SSO", "portal.sso",
                "eu-north-1", "x")).isEqualTo(URI.create("http://h:1"));
        assertThat(ServiceEndpoints.endpoint(Map.of("AWS_ENDPOINT_URL", "http://h:1",
                "AWS_ENDPOINT_URL_SSO_OIDC", "http://oidc:2"), "SSO_OIDC", "oidc", "eu-north-1", "x"))
                .isEqualTo(URI.create("http://oidc:2"));
        assertThat(ServiceEndpoints.override(Map.of("AWS_ENDPOINT_URL_STS", "http://sts:3"), "SSO", "x")).isNull();
    }

    @Test
    void badOverridesAndRegionsAreNamed() {
        assertThatThrownBy(() -> ServiceEndpoints.override(Map.of("AWS_ENDPOINT_URL_SSO", "ftp://x"), "SSO",
                "profile 'p'"))
                .hasMessage("profile 'p': AWS_ENDPOINT_URL_SSO must be an http or https URL, was ftp://x");
        assertThatThrownBy(() -> ServiceEndpoints.regional("oidc", "eu west 1", "profile 'p'"))
                .hasMessage("profile 'p': not a region: eu west 1");
    }
}
