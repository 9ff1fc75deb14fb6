package io.runnel.wire.firehose;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runnel.wire.Endpoint;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.ResourceNotFoundException;
import io.runnel.wire.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Firehose client against WireMock: request shape and signature, per-record failures, typed errors, limits. */
class NettyFirehoseClientIT {
    private WireMockServer wireMock;
    private NettyFirehoseClient client;

    @BeforeEach
    void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        client = NettyFirehoseClient.builder().endpoint(Endpoint.of("http://localhost:" + wireMock.port(), "eu-west-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("AKIDTEST", "secret")))
                .requestTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void stop() {
        client.close();
        wireMock.stop();
    }

    private void stub(String action, int status, String body) {
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Firehose_20150804." + action))
                .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
    }

    @Test
    void putRecordBatchIsSignedForFirehoseAndAnswersPerRecord() throws Exception {
        stub("PutRecordBatch", 200, """
                {"FailedPutCount": 1, "Encrypted": false, "RequestResponses": [{"RecordId": "id-1"},
                 {"ErrorCode": "ServiceUnavailableException", "ErrorMessage": "Slow down."}]}""");
        PutRecordBatchResponse r = client.putRecordBatch("logs", List.of("one\n".getBytes(StandardCharsets.UTF_8),
                "two\n".getBytes(StandardCharsets.UTF_8))).join();
        assertThat(r.failedPutCount()).isEqualTo(1);
        assertThat(r.requestResponses().get(0).recordId()).isEqualTo("id-1");
        assertThat(r.requestResponses().get(1).errorCode()).isEqualTo("ServiceUnavailableException");

        wireMock.verify(postRequestedFor(urlEqualTo("/"))
                .withHeader("Content-Type", equalTo("application/x-amz-json-1.1"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDTEST/\\d{8}/eu-west-1/firehose/"
                        + "aws4_request, .*")));
        LoggedRequest sent = wireMock.getAllServeEvents().get(0).getRequest();
        JsonNode body = new ObjectMapper().readTree(sent.getBody());
        assertThat(body.get("DeliveryStreamName").asText()).isEqualTo("logs");
        assertThat(body.get("Records")).hasSize(2);
        assertThat(Base64.getDecoder().decode(body.get("Records").get(1).get("Data").asText()))
                .isEqualTo("two\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void serviceErrorsAreTypedAndSayWhetherToRetry() {
        stub("PutRecordBatch", 400, "{\"__type\": \"ResourceNotFoundException\", \"message\": \"Firehose nope not"
                + " found under account 123.\"}");
        assertThatThrownBy(() -> client.putRecordBatch("nope", List.of(new byte[] {1})).join())
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> assertThat(e.isRetryable()).isFalse());
        wireMock.resetAll();
        stub("PutRecordBatch", 503, "{\"__type\": \"ServiceUnavailableException\", \"message\": \"Slow down.\"}");
        assertThatThrownBy(() -> client.putRecordBatch("logs", List.of(new byte[] {1})).join()).cause()
                .isInstanceOfSatisfying(KinesisServiceException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("ServiceUnavailableException");
                    assertThat(e.isRetryable()).isTrue();
                });
    }

    @Test
    void batchesBeyondTheLimitsFailBeforeAnyIo() {
        assertThatThrownBy(() -> client.putRecordBatch("logs", List.of()).join()).cause()
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> client.putRecordBatch("logs", Collections.nCopies(501, new byte[1])).join())
                .cause().isInstanceOf(ValidationException.class).hasMessageContaining("501");
        assertThatThrownBy(() -> client.putRecordBatch("logs", List.of(new byte[FirehoseClient.MAX_RECORD_BYTES + 1]))
                .join()).cause().isInstanceOf(ValidationException.class).hasMessageContaining("records.1.member.data");
        assertThatThrownBy(() -> client.putRecordBatch("logs",
                Collections.nCopies(5, new byte[FirehoseClient.MAX_RECORD_BYTES])).join()).cause()
                .isInstanceOf(ValidationException.class).hasMessageContaining("4194304");
        assertThat(wireMock.getAllServeEvents()).isEmpty();
    }

    @Test
    void describeDeliveryStream() {
        stub("DescribeDeliveryStream", 200, """
                {"DeliveryStreamDescription": {"DeliveryStreamName": "logs", "DeliveryStreamStatus": "ACTIVE",
                 "DeliveryStreamARN": "arn:aws:firehose:eu-west-1:1:deliverystream/logs",
                 "DeliveryStreamType": "DirectPut"}}""");
        assertThat(client.describeDeliveryStream("logs").join().status()).isEqualTo("ACTIVE");
    }

    @Test
    void theRegionEndpointIsFirehoses() {
        assertThat(NettyFirehoseClient.regionEndpoint("eu-west-1").uri().toString())
                .isEqualTo("https://firehose.eu-west-1.amazonaws.com");
        assertThat(NettyFirehoseClient.regionEndpoint("cn-north-1").host())
                .isEqualTo("firehose.cn-north-1.amazonaws.com.cn");
        assertThatThrownBy(() -> NettyFirehoseClient.regionEndpoint("nowhere"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
