package io.runnel.wire.cloudwatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runnel.wire.Endpoint;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import io.runnel.wire.auth.StaticCredentialsProvider;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.ThrottlingException;
import io.runnel.wire.testing.QueryForms;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NettyCloudWatchClientIT {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");
    private static final Credentials CREDS = Credentials.of("AKIDCW", "secret");

    private WireMockServer server;
    private NettyCloudWatchClient client;

    @BeforeEach
    void start() {
        server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        client = NettyCloudWatchClient.builder().endpoint(Endpoint.of("http://127.0.0.1:" + server.port(),
                        "eu-west-1")).credentialsProvider(new StaticCredentialsProvider(CREDS))
                .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop();
    }

    private static PutMetricDataRequest request() {
        return new PutMetricDataRequest("KinesisProducerLibrary", List.of(new MetricDatum("UserRecordsPut",
                List.of(new Dimension("StreamName", "clicks")), NOW, "Count", new StatisticSet(2, 2, 1, 1))));
    }

    @Test
    void sendsASignedQueryRequest() throws Exception {
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody(
                "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata>"
                        + "<RequestId>r1</RequestId></ResponseMetadata></PutMetricDataResponse>")));

        client.putMetricData(request()).get(10, TimeUnit.SECONDS);

        LoggedRequest r = server.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
        assertThat(r.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        var sdk = QueryForms.putMetricData(r.getBodyAsString());
        assertThat(sdk.namespace()).isEqualTo("KinesisProducerLibrary");
        assertThat(sdk.metricData().get(0).metricName()).isEqualTo("UserRecordsPut");
        // Signed for monitoring in the endpoint's region, over exactly the bytes that arrived.
        String auth = r.getHeader("Authorization");
        assertThat(auth).contains("Credential=AKIDCW/20261202/eu-west-1/monitoring/aws4_request")
                .contains("SignedHeaders=content-type;host;x-amz-date");
        Map<String, String> expected = new SigV4Signer("eu-west-1", "monitoring").sign(new SignableRequest("POST",
                "/", null, List.of(Map.entry("Host", r.getHeader("Host")),
                        Map.entry("Content-Type", r.getHeader("Content-Type"))), ByteBuffer.wrap(r.getBody())),
                CREDS, NOW);
        assertThat(auth).as("Host %s, Content-Type %s", r.getHeader("Host"), r.getHeader("Content-Type"))
                .isEqualTo(expected.get("Authorization"));
    }

    @Test
    void throttlingIsRetryableAndValidationIsNot() {
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400).withBody(
                "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><Error><Type>Sender</Type>"
                        + "<Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                        + "<RequestId>r2</RequestId></ErrorResponse>")));
        Throwable t = client.putMetricData(request()).handle((v, e) -> e).join();
        assertThat(t).isInstanceOf(CompletionException.class).cause().isInstanceOf(ThrottlingException.class);
        assertThat(((KinesisServiceException) t.getCause()).isRetryable()).isTrue();
        assertThat(((KinesisServiceException) t.getCause()).requestId()).isEqualTo("r2");

        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400).withBody(
                "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>"
                        + "<Message>bad</Message></Error><RequestId>r3</RequestId></ErrorResponse>")));
        t = client.putMetricData(request()).handle((v, e) -> e).join().getCause();
        assertThat(((KinesisServiceException) t).errorCode()).isEqualTo("InvalidParameterValue");
        assertThat(((KinesisServiceException) t).isRetryable()).isFalse();

        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(503).withBody("<html>busy</html>")));
        t = client.putMetricData(request()).handle((v, e) -> e).join().getCause();
        assertThat(((KinesisServiceException) t).isRetryable()).isTrue();
    }

    @Test
    void regionalEndpoints() {
        assertThat(NettyCloudWatchClient.regionalEndpoint("eu-west-1", false).uri().toString())
                .isEqualTo("https://monitoring.eu-west-1.amazonaws.com");
        assertThat(NettyCloudWatchClient.regionalEndpoint("us-east-1", true).host())
                .isEqualTo("monitoring-fips.us-east-1.amazonaws.com");
        assertThat(NettyCloudWatchClient.regionalEndpoint("cn-north-1", false).host())
                .isEqualTo("monitoring.cn-north-1.amazonaws.com.cn");
    }
}
