package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.TlsMaterial;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.internal.HttpTransport;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producer over TLS with each engine the wire client can use: BoringSSL (netty-tcnative, on this module's test
 * class path as an application would add it) and the JDK's. Records arrive, the backend's certificate is checked, and
 * one the client does not trust fails the records.
 */
class ProducerTlsIT {
    @TempDir
    Path dir;
    private KinesisBackend backend;
    private Path pem;
    private final List<KinesisProducer> producers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir.resolve("tls"));
        backend = KinesisBackend.builder().tls(0, tls).createStream("secure", 2).start();
        pem = Files.writeString(dir.resolve("backend.pem"), tls.certificatePem());
    }

    @AfterEach
    void stop() {
        producers.forEach(p -> p.close(java.time.Duration.ofSeconds(10)));
        backend.close();
        System.clearProperty("runnel.tls.provider");
    }

    private KinesisProducer producer(String more) throws Exception {
        Properties props = new Properties();
        props.load(new StringReader("""
                Region = us-east-1
                KinesisEndpointUrl = %s
                VerifyCertificate = true
                RecordMaxBufferedTime = 20
                """.formatted(backend.tlsEndpoint()) + more));
        KinesisProducer p = new KinesisProducer(ProducerConfig.fromProperties(props),
                CredentialsProvider.of(Credentials.of("a", "b")));
        producers.add(p);
        return p;
    }

    private static void putAndCheck(KinesisProducer producer) throws Exception {
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            futures.add(producer.addUserRecord("secure", "k" + (i % 37), ("r" + i).getBytes(StandardCharsets.UTF_8)));
        }
        for (CompletableFuture<UserRecordResult> f : futures) {
            assertThat(f.get(30, TimeUnit.SECONDS).successful()).isTrue();
        }
    }

    @Test
    void overBoringSslRecordsArriveAndAnUntrustedCertificateFailsThem() throws Exception {
        Assumptions.assumeTrue(OpenSsl.isAvailable(), "netty-tcnative has no build for this platform");
        assertThat(HttpTransport.tlsProvider()).isEqualTo(SslProvider.OPENSSL);

        putAndCheck(producer("CaCertFile = " + pem + "\n"));

        KinesisProducer untrusting = producer("RecordTtl = 1500\n"); // the JDK's CAs only: the backend's is not one
        CompletableFuture<UserRecordResult> refused = untrusting.addUserRecord("secure", "k",
                "x".getBytes(StandardCharsets.UTF_8));
        ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> refused.get(30, TimeUnit.SECONDS), ExecutionException.class);
        assertThat(e).as("an untrusted certificate fails the record").isNotNull();
    }

    @Test
    void theJdksEngineWhenAsked() throws Exception {
        System.setProperty("runnel.tls.provider", "jdk");
        assertThat(HttpTransport.tlsProvider()).isEqualTo(SslProvider.JDK);

        putAndCheck(producer("CaCertFile = " + pem + "\n"));
    }
}
