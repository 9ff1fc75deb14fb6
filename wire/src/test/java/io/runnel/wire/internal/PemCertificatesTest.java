package io.runnel.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemCertificatesTest {
    private static List<X509Certificate> jdkCas;

    @TempDir
    Path dir;

    @BeforeAll
    static void someRealCertificates() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init((KeyStore) null);
        jdkCas = new ArrayList<>();
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                jdkCas.addAll(List.of(x.getAcceptedIssuers()));
            }
        }
        assertThat(jdkCas).hasSizeGreaterThan(2);
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void aFileMayHoldSeveralCertificatesWithTextAround() throws Exception {
        Path f = Files.writeString(dir.resolve("bundle.pem"), "Bag Attributes: ignored\n" + pem(jdkCas.get(0))
                + "subject=whatever\r\n" + pem(jdkCas.get(1)).replace("\n", "\r\n"));
        assertThat(PemCertificates.readFile(f)).containsExactly(jdkCas.get(0), jdkCas.get(1));
    }

    @Test
    void aDirectoryContributesEveryPemFileAndSkipsOthers() throws Exception {
        Files.writeString(dir.resolve("b.crt"), pem(jdkCas.get(1)));
        Files.writeString(dir.resolve("a.pem"), pem(jdkCas.get(0)) + pem(jdkCas.get(1)));
        Files.writeString(dir.resolve("README"), "not a certificate");
        Files.createDirectory(dir.resolve("nested"));
        assertThat(PemCertificates.readDirectory(dir)).containsExactly(jdkCas.get(0), jdkCas.get(1));
    }

    @Test
    void problemsNameTheFile() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here");
        assertThatThrownBy(() -> PemCertificates.readFile(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty.pem");
        Path broken = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> PemCertificates.readFile(broken)).hasMessageContaining("broken.pem")
                .hasMessageContaining("certificate 1 is invalid");
        Path cut = Files.writeString(dir.resolve("cut.pem"), pem(jdkCas.get(0)).substring(0, 200));
        assertThatThrownBy(() -> PemCertificates.readFile(cut)).hasMessageContaining("cut.pem")
                .hasMessageContaining("END CERTIFICATE");
        assertThatThrownBy(() -> PemCertificates.readFile(dir.resolve("missing.pem")))
                .hasMessageContaining("missing.pem");
        assertThatThrownBy(() -> PemCertificates.readDirectory(empty)).hasMessageContaining("not a directory");
        Path none = Files.createDirectory(dir.resolve("none"));
        assertThatThrownBy(() -> PemCertificates.readDirectory(none)).hasMessageContaining("no PEM certificate");
    }

    @Test
    void theTrustManagerKeepsTheJdkCasAndAddsTheExtraOnes() throws Exception {
        // Any certificate will do as the "extra" one: the JDK's first, which is trusted either way.
        TrustManagerFactory tmf = PemCertificates.trustingDefaultsAnd(List.of(jdkCas.get(0)));
        X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
        assertThat(tm.getAcceptedIssuers()).containsAll(jdkCas);
    }
}
