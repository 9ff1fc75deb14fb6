package io.runnel.wire;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.cloudwatch.Dimension;
import io.runnel.wire.cloudwatch.MetricDatum;
import io.runnel.wire.cloudwatch.NettyCloudWatchClient;
import io.runnel.wire.cloudwatch.PutMetricDataRequest;
import io.runnel.wire.cloudwatch.StatisticSet;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.firehose.NettyFirehoseClient;
import io.runnel.wire.firehose.PutRecordBatchResponse;
import io.runnel.wire.testing.ConnectProxy;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Firehose and CloudWatch clients leave the way the Kinesis client does: through a {@link ConnectProxy} (with
 * Basic authentication), and trusting a self-signed server through CaCertFile alone, never trust-all.
 */
class ServiceClientsTransportIT {
    private static final CredentialsProvider CREDENTIALS = CredentialsProvider.of(Credentials.of("AKIDTEST", "secret"));
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;
    private static Path store;
    private static Path caPem;
    private WireMockServer server;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** One self-signed certificate for {@code localhost} for all tests (keytool takes seconds). */
    @BeforeAll
    static void certificate() throws Exception {
        store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD),
                "-keypass", new String(PASSWORD))).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("keytool: %s", out).isTrue();
        caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, pem(store));
    }

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().dynamicHttpsPort().keystorePath(store.toString())
                .keystoreType("PKCS12").keystorePassword(new String(PASSWORD))
                .keyManagerPassword(new String(PASSWORD)));
        server.start();
        server.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("Firehose_20150804.PutRecordBatch")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"FailedPutCount\":0,\"Encrypted\":false,\"RequestResponses\":[{\"RecordId\":\"r1\"}]}")));
        server.stubFor(post(urlEqualTo("/")).withHeader("Content-Type", containing("x-www-form-urlencoded"))
                .willReturn(aResponse().withStatus(200).withBody("<PutMetricDataResponse><ResponseMetadata>"
                        + "<RequestId>cw-1</RequestId></ResponseMetadata></PutMetricDataResponse>")));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        server.stop();
    }

    private static String pem(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, PASSWORD);
        }
        byte[] der = ks.getCertificate("server").getEncoded();
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(0, c);
        return c;
    }

    private Endpoint https() {
        return Endpoint.of("https://localhost:" + server.httpsPort(), "eu-west-1");
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    private static PutMetricDataRequest metrics() {
        return new PutMetricDataRequest("KinesisProducerLibrary", List.of(new MetricDatum("UserRecordsPut",
                List.of(new Dimension("StreamName", "clicks")), Instant.parse("2026-12-02T10:00:00Z"), "Count",
                new StatisticSet(2, 2, 1, 1))));
    }

    @Test
    void firehoseGoesThroughAnAuthenticatingProxyAndTrustsTheCaCertFile() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.requiringBasicAuth("agent", "pw"));
        NettyFirehoseClient client = closeLater(NettyFirehoseClient.builder().endpoint(https())
                .credentialsProvider(CREDENTIALS).proxy(ProxySettings.of(proxy.host(), proxy.port())
                        .withBasicAuth("agent", "pw")).caCertFile(caPem).build());
        PutRecordBatchResponse r = get(client.putRecordBatch("logs",
                List.of("line\n".getBytes(StandardCharsets.UTF_8))));
        assertThat(r.failedPutCount()).isZero();
        assertThat(proxy.targets()).containsExactly("localhost:" + server.httpsPort());
        assertThat(proxy.refused()).isEmpty();
    }

    @Test
    void cloudWatchGoesThroughTheProxyOfItsTransportOptionsAndTrustsTheCaCertFile() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.open());
        TransportOptions options = TransportOptions.DEFAULT.withProxy(ProxySettings.of(proxy.host(), proxy.port()))
                .withCaCertFile(caPem);
        NettyCloudWatchClient client = closeLater(NettyCloudWatchClient.builder().endpoint(https())
                .credentialsProvider(CREDENTIALS).transportOptions(options).build());
        get(client.putMetricData(metrics()));
        assertThat(proxy.targets()).containsExactly("localhost:" + server.httpsPort());
    }

    @Test
    void nonProxyHostsAreReachedDirectlyByBothClients() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.open());
        ProxySettings settings = ProxySettings.of(proxy.host(), proxy.port()).withNonProxyHosts("local*|127.*");
        NettyFirehoseClient firehose = closeLater(NettyFirehoseClient.builder().endpoint(https())
                .credentialsProvider(CREDENTIALS).proxy(settings).caCertPath(caPem.getParent()).build());
        NettyCloudWatchClient cloudWatch = closeLater(NettyCloudWatchClient.builder().endpoint(https())
                .credentialsProvider(CREDENTIALS).proxy(settings).caCertFile(caPem).build());
        get(firehose.putRecordBatch("logs", List.of(new byte[] {1})));
        get(cloudWatch.putMetricData(metrics()));
        assertThat(proxy.targets()).isEmpty();
    }

    @Test
    void withoutTheCaCertificateTheSelfSignedServerFailsTlsForBoth() throws Exception {
        NettyFirehoseClient firehose = closeLater(NettyFirehoseClient.builder().endpoint(https())
                .credentialsProvider(CREDENTIALS).requestTimeout(Duration.ofSeconds(30)).build());
        NettyCloudWatchClient cloudWatch = closeLater(NettyCloudWatchClient.builder().endpoint(https())
                .credentialsProvider(CREDENTIALS).build());
        assertThat(failure(firehose.putRecordBatch("logs", List.of(new byte[] {1}))))
                .isInstanceOf(KinesisTransportException.class);
        assertThat(failure(cloudWatch.putMetricData(metrics()))).isInstanceOf(KinesisTransportException.class);
    }

    @Test
    void trustAllIsStillAvailableForLocalEndpoints() throws Exception {
        NettyCloudWatchClient cloudWatch = closeLater(NettyCloudWatchClient.builder().endpoint(https())
                .credentialsProvider(CREDENTIALS).trustAllCertificates(true).build());
        get(cloudWatch.putMetricData(metrics()));
        assertThatThrownBy(() -> NettyFirehoseClient.builder().credentialsProvider(CREDENTIALS).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("regionEndpoint");
    }
}
