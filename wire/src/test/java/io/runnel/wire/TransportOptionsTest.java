package io.runnel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportOptionsTest {
    @TempDir
    Path dir;

    @Test
    void caCertificatesAccumulateWithoutDuplicatesAndSurviveAProxyChange() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        X509Certificate ca = ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()[0];
        Path file = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder().encodeToString(ca.getEncoded()) + "\n-----END CERTIFICATE-----\n");
        TransportOptions o = TransportOptions.DEFAULT.withCaCertFile(file).withCaCertPath(dir)
                .withProxy(ProxySettings.of("proxy", 3128).withBasicAuth("u", "secret"));
        assertThat(o.caCertificates()).containsExactly(ca);
        assertThat(o.proxy().host()).isEqualTo("proxy");
        assertThat(o.toString()).contains("1 extra CA").doesNotContain("secret");
        assertThat(TransportOptions.DEFAULT.proxy()).isNull();
        assertThatThrownBy(() -> TransportOptions.DEFAULT.withCaCertFile(dir.resolve("nope.pem")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.pem");
    }
}
