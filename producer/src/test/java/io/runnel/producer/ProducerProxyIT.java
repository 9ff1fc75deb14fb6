package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.TlsMaterial;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.error.ProxyAuthenticationException;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.testing.ConnectProxy;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer configured with the KPL's proxy and CA properties puts records through a CONNECT proxy (written in the
 * tests) to the backend's HTTPS port, verifying its certificate by CaCertFile.
 */
class ProducerProxyIT {
    @TempDir
    Path dir;
    private KinesisBackend backend;
    private Path pem;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        TlsMaterial tls = TlsMaterial.selfSigned(dir.resolve("tls"));
        backend = KinesisBackend.builder().tls(0, tls).createStream("proxied", 2).start();
        pem = Files.writeString(dir.resolve("backend.pem"), tls.certificatePem());
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        backend.close();
    }

    private KinesisProducer producer(ConnectProxy proxy, String more) throws Exception {
        Properties props = new Properties();
        props.load(new StringReader("""
                Region = us-east-1
                KinesisEndpointUrl = %s
                ProxyHost = %s
                ProxyPort = %d
                CaCertFile = %s
                VerifyCertificate = true
                MinConnections = 2
                RecordMaxBufferedTime = 20
                """.formatted(backend.tlsEndpoint(), proxy.host(), proxy.port(), pem) + more));
        KinesisProducer p = new KinesisProducer(ProducerConfig.fromProperties(props),
                CredentialsProvider.of(Credentials.of("a", "b")));
        toClose.add(0, p);
        return p;
    }

    @Test
    void recordsGoThroughAnAuthenticatingProxyToTheVerifiedBackend() throws Exception {
        ConnectProxy proxy = ConnectProxy.requiringBasicAuth("producer", "pw");
        toClose.add(proxy);
        KinesisProducer producer = producer(proxy, "ProxyUserName = producer\nProxyPassword = pw\n");
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(producer.addUserRecord("proxied", "key-" + i,
                    ("record " + i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flushSync();
        for (CompletableFuture<UserRecordResult> f : futures) {
            assertThat(f.get(60, TimeUnit.SECONDS).successful()).isTrue();
        }
        assertThat(proxy.refused()).isEmpty();
        assertThat(proxy.tunnels()).isGreaterThanOrEqualTo(2); // MinConnections, each a tunnel
        String target = backend.tlsEndpoint().getHost() + ":" + backend.tlsPort();
        assertThat(proxy.targets()).allMatch(target::equals);
        try (NettyKinesisClient direct = NettyKinesisClient.builder()
                .endpoint(Endpoint.of(backend.tlsEndpoint(), "us-east-1")).caCertFile(pem)
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build()) {
            assertThat(direct.listShards(new ListShardsRequest("proxied", null, null, null, null, null, null))
                    .get(60, TimeUnit.SECONDS).shards()).hasSize(2);
        }
    }

    @Test
    void aProxyWantingCredentialsFailsRecordsWithTheTypedError() throws Exception {
        ConnectProxy proxy = ConnectProxy.requiringBasicAuth("producer", "pw");
        toClose.add(proxy);
        // RecordTtl far away: only the producer's judgement that waiting cannot help can end the future in time
        KinesisProducer producer = producer(proxy, "RecordTtl = 600000\n");
        CompletableFuture<UserRecordResult> f = producer.addUserRecord("proxied", "k",
                "x".getBytes(StandardCharsets.UTF_8));
        producer.flush();
        try {
            f.get(60, TimeUnit.SECONDS);
            throw new AssertionError("the record was put without proxy credentials");
        } catch (ExecutionException e) {
            // Rejected at once (ListShards met the 407: waiting cannot help), the typed error as the cause, naming
            // the proxy.
            assertThat(e.getCause()).isInstanceOf(io.runnel.producer.errors.RecordRejectedException.class).cause()
                    .isInstanceOf(ProxyAuthenticationException.class)
                    .hasMessageContaining(proxy.host() + ":" + proxy.port());
        }
        assertThat(proxy.tunnels()).isZero();
    }
}
