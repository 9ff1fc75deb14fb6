package io.runnel.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.runnel.wire.auth.InstanceMetadata;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ADDEC2METADATA against a fake instance metadata service, with a clock moved by hand. */
class AddEc2MetadataTest {
    @RegisterExtension
    static final WireMockExtension imds = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    /** The example document of the EC2 user guide ("Instance identity documents"). */
    static final String DOCUMENT = """
            {
                "accountId" : "0123456789",
                "architecture" : "x86_64",
                "availabilityZone" : "us-west-2b",
                "billingProducts" : null,
                "devpayProductCodes" : null,
                "marketplaceProductCodes" : [ "1abc2defghijklm3nopqrs4tu" ],
                "imageId" : "ami-5fb8c835",
                "instanceId" : "i-1234567890abcdef0",
                "instanceType" : "t2.micro",
                "kernelId" : null,
                "pendingTime" : "2016-11-19T16:32:11Z",
                "privateIp" : "10.158.112.84",
                "ramdiskId" : null,
                "region" : "us-west-2",
                "version" : "2017-09-30"
            }""";

    /** A wall clock moved by hand. */
    static final class HandClock extends Clock {
        private volatile Instant now;
        private final ZoneId zone;

        HandClock(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new HandClock(now, z);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock(Instant.parse("2024-05-06T07:08:09.012Z"), ZoneOffset.UTC);

    @BeforeEach
    void reset() {
        imds.resetAll();
    }

    private void imdsServes(String document) {
        imds.stubFor(put(urlEqualTo("/latest/api/token"))
                .withHeader("X-aws-ec2-metadata-token-ttl-seconds", equalTo("21600"))
                .willReturn(aResponse().withStatus(200).withBody("tok")));
        imds.stubFor(get(urlEqualTo("/latest/dynamic/instance-identity/document"))
                .withHeader("X-aws-ec2-metadata-token", equalTo("tok"))
                .willReturn(aResponse().withStatus(200).withBody(document)));
    }

    /** The option as agent.json configures it, reading the service the environment names. */
    private Processing option(String json, Map<String, String> env) throws Exception {
        List<String> errors = new ArrayList<>();
        Processing p = Processing.parse(new ObjectMapper().readTree(json), "$", errors, AddEc2Metadata.Source.of(clock,
                new InstanceMetadata(env, Duration.ofSeconds(10), Duration.ofSeconds(10))));
        assertThat(errors).isEmpty();
        return p;
    }

    private Map<String, String> fake() {
        return new HashMap<>(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + imds.getPort()));
    }

    @Test
    void theIdentityIsAppendedToAJsonRecordInTheKinesisAgentsOrder() throws Exception {
        imdsServes(DOCUMENT);
        Processing p = option("{\"optionName\":\"ADDEC2METADATA\",\"logFormat\":\"RFC3339SYSLOG\"}", fake());
        // Expected: AddEC2MetadataConverter (awslabs/amazon-kinesis-agent) puts privateIp, availabilityZone,
        // instanceId, instanceType, accountId, amiId (the document's imageId), region and metadataTimestamp
        // (SimpleDateFormat "yyyy-MM-dd'T'HH:mm:ssZ", local zone) after the record's keys with putAll, so a key the
        // record has ("region") keeps its place and takes the instance's value; then a newline.
        assertThat(Processing.chain(List.of(p), "{\"msg\":\"hi\",\"region\":\"mine\",\"n\":1.50}", true))
                .isEqualTo("{\"msg\":\"hi\",\"region\":\"us-west-2\",\"n\":1.5,\"privateIp\":\"10.158.112.84\","
                        + "\"availabilityZone\":\"us-west-2b\",\"instanceId\":\"i-1234567890abcdef0\","
                        + "\"instanceType\":\"t2.micro\",\"accountId\":\"0123456789\",\"amiId\":\"ami-5fb8c835\","
                        + "\"metadataTimestamp\":\"2024-05-06T07:08:09+0000\"}\n");
        // Not a JSON object: the Kinesis Agent falls back to the raw record; so do we, and count it.
        assertThat(Processing.chain(List.of(p), "plain text", true)).isEqualTo("plain text\n");
        assertThat(Processing.chain(List.of(p), "[1,2]", false)).isEqualTo("[1,2]");
        assertThat(p.unmatched()).isEqualTo(2);
        imds.verify(1, putRequestedFor(urlEqualTo("/latest/api/token")));
        imds.verify(1, getRequestedFor(urlEqualTo("/latest/dynamic/instance-identity/document")));
    }

    @Test
    void theMetadataIsReadAgainOnceOlderThanItsTtl() throws Exception {
        imdsServes(DOCUMENT);
        Processing p = option("{\"optionName\":\"ADDEC2METADATA\",\"metadataTTL\":60}", fake());
        assertThat(p.apply("{}")).contains("\"metadataTimestamp\":\"2024-05-06T07:08:09+0000\"");
        clock.advance(Duration.ofSeconds(60));
        assertThat(p.apply("{}")).contains("\"metadataTimestamp\":\"2024-05-06T07:08:09+0000\""); // not past it yet
        imds.verify(1, getRequestedFor(urlEqualTo("/latest/dynamic/instance-identity/document")));
        clock.advance(Duration.ofMillis(1));
        imdsServes(DOCUMENT.replace("t2.micro", "m7g.large"));
        assertThat(p.apply("{}")).contains("\"instanceType\":\"m7g.large\"",
                "\"metadataTimestamp\":\"2024-05-06T07:09:09+0000\"");
        // A refresh that fails keeps what was read before.
        clock.advance(Duration.ofSeconds(61));
        imds.resetAll();
        imds.stubFor(put(urlEqualTo("/latest/api/token")).willReturn(aResponse().withStatus(500)));
        assertThat(p.apply("{}")).contains("\"instanceType\":\"m7g.large\"");
    }

    @Test
    void theDefaultTtlIsTheKinesisAgentsHour() {
        // AddEC2MetadataConverter: metadataTTL = 1000 * 60 * 60 ms unless "metadataTTL" (seconds) is given.
        assertThat(AddEc2Metadata.DEFAULT_TTL).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void offEc2RecordsGoUnchangedAndTheServiceIsNotAskedAgainBeforeTheTtl() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Processing unreachable = option("{\"optionName\":\"ADDEC2METADATA\"}",
                Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + closed));
        assertThat(unreachable.apply("{\"a\":1}")).isEqualTo("{\"a\":1}");
        assertThat(unreachable.apply("{\"a\":2}")).isEqualTo("{\"a\":2}");
        assertThat(Processing.chain(List.of(unreachable), "{\"a\":3}", true)).isEqualTo("{\"a\":3}\n");

        imdsServes(DOCUMENT);
        Map<String, String> env = fake();
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Processing disabled = option("{\"optionName\":\"ADDEC2METADATA\"}", env);
        assertThat(disabled.apply("{\"a\":1}")).isEqualTo("{\"a\":1}");
        imds.verify(0, putRequestedFor(urlEqualTo("/latest/api/token")));
    }
}
