package io.runnel.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.firehose.NettyFirehoseClient;
import io.runnel.wire.testing.ConnectProxy;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's Firehose client leaves through the producer settings' proxy, as its Kinesis producer does. */
class AgentFirehoseProxyIT {
    private WireMockServer firehose;
    private ConnectProxy proxy;

    @BeforeEach
    void start() throws Exception {
        firehose = new WireMockServer(options().dynamicPort());
        firehose.start();
        firehose.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":\"r1\"}]}")));
        proxy = ConnectProxy.requiringBasicAuth("agent", "pw");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        firehose.stop();
    }

    @Test
    void firehoseRequestsGoThroughTheProducerSettingsProxy() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader("""
                Region = eu-west-1
                ProxyHost = %s
                ProxyPort = %d
                ProxyUserName = agent
                ProxyPassword = pw
                """.formatted(proxy.host(), proxy.port())));
        Endpoint endpoint = Endpoint.of("http://localhost:" + firehose.port(), "eu-west-1");
        try (NettyFirehoseClient client = Agent.firehoseClient(ProducerConfig.fromProperties(p), endpoint,
                CredentialsProvider.of(Credentials.of("AKIDTEST", "secret")))) {
            assertThat(client.putRecordBatch("logs", List.of("line\n".getBytes(StandardCharsets.UTF_8)))
                    .get(60, TimeUnit.SECONDS).failedPutCount()).isZero();
        }
        assertThat(proxy.targets()).containsExactly("localhost:" + firehose.port());
        assertThat(proxy.refused()).isEmpty();
    }
}
