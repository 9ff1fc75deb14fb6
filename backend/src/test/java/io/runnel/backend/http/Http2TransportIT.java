package io.runnel.backend.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.TlsMaterial;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a client can reach the backend: HTTP/1.1, HTTP/2 by {@code Upgrade: h2c}, HTTP/2 by ALPN over TLS and
 * HTTP/1.1 over TLS, each serving ordinary actions (the JDK's HttpClient, which negotiates rather than assumes;
 * prior-knowledge h2c is what the AWS SDK's Netty client does, see the compat ITs).
 */
class Http2TransportIT {
    @TempDir
    static Path dir;
    private static KinesisBackend backend;

    @BeforeAll
    static void start() {
        backend = KinesisBackend.builder().tls(0, TlsMaterial.selfSigned(dir)).createStream("t", 1).start();
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static HttpRequest listStreams(URI endpoint) {
        return HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202.ListStreams")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
    }

    private static HttpClient client(HttpClient.Version version) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        return HttpClient.newBuilder().version(version).sslContext(trustAll).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void http11StaysHttp11() throws Exception {
        HttpResponse<String> r = client(HttpClient.Version.HTTP_1_1).send(listStreams(backend.endpoint()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"t\"");
    }

    @Test
    void plainTextUpgradesToH2c() throws Exception {
        HttpClient c = client(HttpClient.Version.HTTP_2);
        HttpResponse<String> first = c.send(listStreams(backend.endpoint()), HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"t\"");
        HttpResponse<String> second = c.send(listStreams(backend.endpoint()), HttpResponse.BodyHandlers.ofString());
        assertThat(second.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).contains("\"t\"");
    }

    @Test
    void tlsNegotiatesH2ByAlpnOrFallsBackToHttp11() throws Exception {
        HttpResponse<String> h2 = client(HttpClient.Version.HTTP_2).send(listStreams(backend.tlsEndpoint()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2.statusCode()).isEqualTo(200);
        assertThat(h2.body()).contains("\"t\"");
        HttpResponse<String> h1 = client(HttpClient.Version.HTTP_1_1).send(listStreams(backend.tlsEndpoint()),
                HttpResponse.BodyHandlers.ofString());
        assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(h1.statusCode()).isEqualTo(200);
    }

    @Test
    void errorsKeepTheirStatusAndTypeOverHttp2() throws Exception {
        HttpRequest bad = HttpRequest.newBuilder(backend.tlsEndpoint()).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "Kinesis_20131202.DescribeStreamSummary")
                .POST(HttpRequest.BodyPublishers.ofString("{\"StreamName\":\"missing\"}")).build();
        HttpResponse<String> r = client(HttpClient.Version.HTTP_2).send(bad, HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
        assertThat(r.body()).contains("ResourceNotFoundException");
    }

    /** Trusts the backend's self-signed certificate (test only). */
    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
