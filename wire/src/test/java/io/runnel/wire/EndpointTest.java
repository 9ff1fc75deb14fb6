package io.runnel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void regionEndpoints() {
        Endpoint e = Endpoint.forRegion("eu-west-1");
        assertThat(e.uri().toString()).isEqualTo("https://kinesis.eu-west-1.amazonaws.com");
        assertThat(e.hostHeader()).isEqualTo("kinesis.eu-west-1.amazonaws.com");
        assertThat(e.port()).isEqualTo(443);
        assertThat(Endpoint.forRegion("cn-north-1").host()).isEqualTo("kinesis.cn-north-1.amazonaws.com.cn");
        // FIPS and dual-stack host names, as the Kinesis endpoint list has them
        assertThat(Endpoint.forRegion("us-east-1", true, false).host())
                .isEqualTo("kinesis-fips.us-east-1.amazonaws.com");
        assertThat(Endpoint.forRegion("us-east-1", false, true).host()).isEqualTo("kinesis.us-east-1.api.aws");
        assertThat(Endpoint.forRegion("us-east-1", true, true).host()).isEqualTo("kinesis-fips.us-east-1.api.aws");
        assertThat(Endpoint.forRegion("cn-north-1", false, true).host())
                .isEqualTo("kinesis.cn-north-1.api.amazonwebservices.com.cn");
    }

    @Test
    void explicitEndpoints() {
        Endpoint local = Endpoint.of("http://127.0.0.1:4567", "us-east-1");
        assertThat(local.isTls()).isFalse();
        assertThat(local.hostHeader()).isEqualTo("127.0.0.1:4567");
        assertThat(Endpoint.of("https://localhost/", "us-east-1").hostHeader()).isEqualTo("localhost");
        assertThat(Endpoint.of("http://example.com", "us-east-1").port()).isEqualTo(80);
        assertThat(Endpoint.of("http://[::1]:8080", "us-east-1").hostHeader()).isEqualTo("[::1]:8080");
    }

    @Test
    void badInputIsNamed() {
        assertThatThrownBy(() -> Endpoint.forRegion("US_EAST")).hasMessageContaining("US_EAST");
        assertThatThrownBy(() -> Endpoint.of("ftp://h", "us-east-1")).hasMessageContaining("ftp://h");
        assertThatThrownBy(() -> Endpoint.of("http://h/path", "us-east-1")).hasMessageContaining("path");
        assertThatThrownBy(() -> Endpoint.of("http://h?x=1", "us-east-1")).hasMessageContaining("query");
        assertThatThrownBy(() -> Endpoint.of("kinesis.us-east-1.amazonaws.com", "us-east-1"))
                .hasMessageContaining("http://");
        assertThatThrownBy(() -> Endpoint.of("http://h h", "us-east-1")).hasMessageContaining("not a valid URL");
    }
}
