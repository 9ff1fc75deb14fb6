package io.runnel.wire;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.error.KinesisTransportException.Kind;
import io.runnel.wire.error.ProxyAuthenticationException;
import io.runnel.wire.model.DescribeLimitsRequest;
import io.runnel.wire.model.DescribeLimitsResponse;
import io.runnel.wire.testing.ConnectProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client through an HTTP CONNECT proxy written here ({@link ConnectProxy}) to WireMock: tunnels for HTTP and TLS,
 * Basic authentication, 407 as a typed non-retryable error, non-proxy hosts, a dead proxy; and MinConnections.
 */
class ProxyIT {
    private static final DescribeLimitsResponse LIMITS = new DescribeLimitsResponse(500, 3, 0, 50);
    private static final CredentialsProvider CREDENTIALS = CredentialsProvider.of(Credentials.of("AKIDTEST", "secret"));

    private WireMockServer wireMock;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        wireMock = new WireMockServer(options().dynamicPort().dynamicHttpsPort());
        wireMock.start();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        KinesisCodec.cbor().encodeResponse(Operation.DESCRIBE_LIMITS, LIMITS, body);
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", KinesisCodec.cbor().contentType()).withBody(body.toByteArray())));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        wireMock.stop();
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(0, c);
        return c;
    }

    private NettyKinesisClient client(String url, Consumer<NettyKinesisClient.Builder> more) {
        NettyKinesisClient.Builder b = NettyKinesisClient.builder().endpoint(Endpoint.of(url, "us-east-1"))
                .credentialsProvider(CREDENTIALS).connectTimeout(Duration.ofSeconds(10))
                .requestTimeout(Duration.ofSeconds(30));
        more.accept(b);
        return closeLater(b.build());
    }

    private static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    @Test
    void plainHttpAndTlsGoThroughAConnectTunnelEvenToLoopback() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.open());
        ProxySettings settings = ProxySettings.of(proxy.host(), proxy.port());
        NettyKinesisClient http = client("http://localhost:" + wireMock.port(), b -> b.proxy(settings));
        assertThat(http.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
        NettyKinesisClient https = client("https://localhost:" + wireMock.httpsPort(),
                b -> b.proxy(settings).trustAllCertificates(true));
        assertThat(https.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
        assertThat(https.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
        // The proxy is asked for the destination by name (it resolves it), once per connection.
        assertThat(proxy.targets()).containsExactly("localhost:" + wireMock.port(),
                "localhost:" + wireMock.httpsPort());
        assertThat(proxy.tunnels()).isEqualTo(2);
    }

    @Test
    void basicCredentialsOpenAnAuthenticatingProxy() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.requiringBasicAuth("runnel", "s3cret:with colon"));
        NettyKinesisClient client = client("https://localhost:" + wireMock.httpsPort(),
                b -> b.proxy(ProxySettings.of(proxy.host(), proxy.port()).withBasicAuth("runnel", "s3cret:with colon"))
                        .trustAllCertificates(true));
        assertThat(client.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
        assertThat(proxy.refused()).isEmpty();
        assertThat(proxy.tunnels()).isEqualTo(1);
    }

    @Test
    void proxyAuthenticationRequiredIsATypedErrorNotRetried() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.requiringBasicAuth("runnel", "right"));
        String proxyName = proxy.host() + ":" + proxy.port();
        NettyKinesisClient anonymous = client("http://localhost:" + wireMock.port(),
                b -> b.proxy(ProxySettings.of(proxy.host(), proxy.port())));
        assertThat(failure(anonymous.describeLimits(new DescribeLimitsRequest())))
                .isInstanceOfSatisfying(ProxyAuthenticationException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.credentialsSent()).isFalse();
                    assertThat(e.proxy()).isEqualTo(proxyName);
                    assertThat(e.getMessage()).contains(proxyName, "407", "no proxy user name and password");
                });
        NettyKinesisClient wrong = client("https://localhost:" + wireMock.httpsPort(),
                b -> b.proxy(ProxySettings.of(proxy.host(), proxy.port()).withBasicAuth("runnel", "wrong"))
                        .trustAllCertificates(true));
        assertThat(failure(wrong.describeLimits(new DescribeLimitsRequest())))
                .isInstanceOfSatisfying(ProxyAuthenticationException.class, e -> {
                    assertThat(e.isRetryable()).isFalse();
                    assertThat(e.credentialsSent()).isTrue();
                    assertThat(e.getMessage()).contains(proxyName, "refused");
                });
        assertThat(proxy.refused()).hasSize(2);
        assertThat(proxy.tunnels()).isZero();
    }

    @Test
    void nonProxyHostsAreReachedDirectly() throws Exception {
        ConnectProxy proxy = closeLater(ConnectProxy.open());
        NettyKinesisClient client = client("http://localhost:" + wireMock.port(),
                b -> b.proxy(ProxySettings.of(proxy.host(), proxy.port()).withNonProxyHosts("*.internal|LOCAL*")));
        assertThat(client.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
        assertThat(proxy.targets()).isEmpty();
    }

    @Test
    void anUnreachableProxyIsARetryableTransportErrorNamingIt() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        NettyKinesisClient client = client("http://localhost:" + wireMock.port(),
                b -> b.proxy(ProxySettings.of("127.0.0.1", deadPort)));
        assertThat(failure(client.describeLimits(new DescribeLimitsRequest())))
                .isInstanceOfSatisfying(KinesisTransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.PROXY_FAILED);
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.getMessage()).contains("127.0.0.1:" + deadPort, "localhost:" + wireMock.port());
                });
    }

    @Test
    void minConnectionsAreOpenedAtOnceAndReopenedWhenClosed() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept()); // held open, never answered
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "accept-counter");
            acceptor.setDaemon(true);
            acceptor.start();
            try {
                NettyKinesisClient client = client("http://127.0.0.1:" + server.getLocalPort(),
                        b -> b.minConnections(3).maxConnections(5));
                await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == 3);
                await().atMost(Duration.ofSeconds(30)).until(() -> client.openConnections() == 3);
                accepted.get(0).close(); // the server drops one: it is opened again
                await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == 4);
                await().atMost(Duration.ofSeconds(30)).until(() -> client.openConnections() == 3);
                assertThat(client.connectionsOpened()).isEqualTo(4);
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }
}
