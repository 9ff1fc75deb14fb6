package io.runnel.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.ProxySettings;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import io.runnel.wire.testing.ConnectProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our client to the backend's HTTPS port with certificate verification on, trusting the backend's self-signed
 * certificate through CaCertFile or CaCertPath (never trust-all), directly and through a CONNECT proxy.
 */
class ProxyAndCaCertIT {
    @TempDir
    Path dir;
    private TlsMaterial tls;
    private KinesisBackend backend;
    private Path pem;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        tls = TlsMaterial.selfSigned(dir.resolve("tls"));
        backend = KinesisBackend.builder().tls(0, tls).createStream("s", 2).start();
        pem = Files.writeString(dir.resolve("backend.pem"), tls.certificatePem());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        backend.close();
    }

    private NettyKinesisClient client(Consumer<NettyKinesisClient.Builder> more) {
        NettyKinesisClient.Builder b = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.tlsEndpoint(),
                "us-east-1")).credentialsProvider(CredentialsProvider.of(Credentials.of("A", "B")))
                .requestTimeout(Duration.ofSeconds(10));
        more.accept(b);
        NettyKinesisClient c = b.build();
        closeables.add(0, c);
        return c;
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(0, c);
        return c;
    }

    private static void putAndCheck(NettyKinesisClient c) {
        await().atMost(Duration.ofSeconds(60)).until(() -> c.describeStreamSummary(new DescribeStreamSummaryRequest(
                "s", null)).join().streamDescriptionSummary().streamStatus().equals("ACTIVE"));
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            entries.add(new PutRecordsRequestEntry(new byte[100], null, "k" + i));
        }
        assertThat(c.putRecords(new PutRecordsRequest("s", null, entries)).join().failedRecordCount()).isZero();
    }

    @Test
    void caCertFileThroughAProxyVerifiesTheBackendCertificate() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.open());
        NettyKinesisClient c = client(b -> b.proxy(ProxySettings.of(proxy.host(), proxy.port())).caCertFile(pem));
        putAndCheck(c);
        String target = backend.tlsEndpoint().getHost() + ":" + backend.tlsPort();
        assertThat(proxy.targets()).isNotEmpty().allMatch(target::equals);
    }

    @Test
    void caCertPathWithAnAuthenticatingProxy() throws Exception {
        Path certs = Files.createDirectory(dir.resolve("certs"));
        Files.copy(pem, certs.resolve("runnel-local.pem"));
        Files.writeString(certs.resolve("README"), "CA certificates for the producer");
        ConnectProxy proxy = closeLater(ConnectProxy.requiringBasicAuth("producer", "pw"));
        NettyKinesisClient c = client(b -> b.proxy(ProxySettings.of(proxy.host(), proxy.port())
                .withBasicAuth("producer", "pw")).caCertPath(certs));
        putAndCheck(c);
        assertThat(proxy.refused()).isEmpty();
        assertThat(proxy.tunnels()).isPositive();
    }

    @Test
    void withoutTheCaCertificateTheSelfSignedBackendFailsTls() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.open());
        NettyKinesisClient c = client(b -> b.proxy(ProxySettings.of(proxy.host(), proxy.port())));
        try {
            c.describeStreamSummary(new DescribeStreamSummaryRequest("s", null)).get(60, TimeUnit.SECONDS);
            throw new AssertionError("the self-signed certificate was trusted");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOfSatisfying(KinesisTransportException.class, t -> {
                assertThat(t.kind()).isEqualTo(KinesisTransportException.Kind.TLS_FAILED);
                assertThat(t.getMessage()).contains("TLS with", String.valueOf(backend.tlsPort()));
            });
        }
        assertThat(proxy.tunnels()).isPositive(); // the tunnel opened; TLS inside it refused the certificate
    }
}
