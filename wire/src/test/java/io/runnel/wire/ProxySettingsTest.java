package io.runnel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {
    @Test
    void appliesToEveryHostIncludingLoopbackUnlessAPatternMatches() {
        ProxySettings p = ProxySettings.of("proxy.corp", 3128);
        assertThat(p.appliesTo("localhost")).isTrue();
        assertThat(p.appliesTo("127.0.0.1")).isTrue();
        ProxySettings bypassing = p.withNonProxyHosts("localhost| *.internal |10.*||[::1]|kinesis.*.amazonaws.com");
        assertThat(bypassing.nonProxyHosts()).containsExactly("localhost", "*.internal", "10.*", "[::1]",
                "kinesis.*.amazonaws.com");
        assertThat(bypassing.appliesTo("LOCALHOST")).isFalse();
        assertThat(bypassing.appliesTo("db.internal")).isFalse();
        assertThat(bypassing.appliesTo("internal")).isTrue(); // "*.internal" needs the dot
        assertThat(bypassing.appliesTo("10.1.2.3")).isFalse();
        assertThat(bypassing.appliesTo("110.1.2.3")).isTrue();
        assertThat(bypassing.appliesTo("::1")).isFalse();
        assertThat(bypassing.appliesTo("[::1]")).isFalse();
        assertThat(bypassing.appliesTo("kinesis.eu-west-1.amazonaws.com")).isFalse();
        assertThat(bypassing.appliesTo("sts.eu-west-1.amazonaws.com")).isTrue();
        assertThat(bypassing.appliesTo("localhost.evil.com")).isTrue(); // patterns match the whole name
        assertThat(p.withNonProxyHosts("").nonProxyHosts()).isEmpty();
    }

    @Test
    void regexCharactersInPatternsAreLiteral() {
        ProxySettings p = ProxySettings.of("proxy", 8080).withNonProxyHosts("a.b");
        assertThat(p.appliesTo("a.b")).isFalse();
        assertThat(p.appliesTo("axb")).isTrue();
    }

    @Test
    void credentialsAreOptionalAndThePasswordIsNeverPrinted() {
        ProxySettings p = ProxySettings.of("proxy", 8080).withBasicAuth("bob", "hunter2");
        assertThat(p.hasCredentials()).isTrue();
        assertThat(p.toString()).contains("proxy:8080", "bob").doesNotContain("hunter2");
        assertThat(new ProxySettings("proxy", 8080, "", "", List.of()).hasCredentials()).isFalse();
        assertThatThrownBy(() -> new ProxySettings("proxy", 8080, null, "pw", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user name");
        assertThatThrownBy(() -> ProxySettings.of("proxy", 0)).hasMessageContaining("port");
        assertThatThrownBy(() -> ProxySettings.of(" ", 80)).hasMessageContaining("host");
    }
}
