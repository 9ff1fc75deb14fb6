package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Our signer and the AWS SDK v2's sign Kinesis-like requests identically. */
class SigV4SdkCrossCheckTest {
    private static final String[] REGIONS = {"us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1"};
    private static final String[] TARGETS = {"PutRecords", "ListShards", "GetRecords", "DescribeStreamSummary"};

    @Test
    void sameAuthorizationAsTheSdkForGeneratedRequests() {
        Random random = new Random(42);
        AwsV4HttpSigner sdk = AwsV4HttpSigner.create();
        for (int i = 0; i < 200; i++) {
            String region = REGIONS[random.nextInt(REGIONS.length)];
            String host = random.nextBoolean() ? "kinesis." + region + ".amazonaws.com"
                    : "localhost:" + (1024 + random.nextInt(60000));
            byte[] body = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(5000)];
            random.nextBytes(body);
            Instant now = Instant.ofEpochSecond(1_600_000_000L + random.nextInt(200_000_000));
            boolean session = random.nextBoolean();
            Credentials ours = session ? Credentials.of("AKID" + i, "secret/" + i, "token+" + i)
                    : Credentials.of("AKID" + i, "secret/" + i);
            String target = "Kinesis_20131202." + TARGETS[random.nextInt(TARGETS.length)];
            String contentType = random.nextBoolean() ? "application/x-amz-cbor-1.1" : "application/x-amz-json-1.1";

            SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                    .uri(URI.create("https://" + host + "/"))
                    .putHeader("Host", host).putHeader("Content-Type", contentType).putHeader("X-Amz-Target", target)
                    .build();
            AwsCredentialsIdentity identity = session
                    ? AwsSessionCredentialsIdentity.create(ours.accessKeyId(), ours.secretAccessKey(),
                            ours.sessionToken())
                    : AwsCredentialsIdentity.create(ours.accessKeyId(), ours.secretAccessKey());
            SignedRequest signed = sdk.sign(r -> r.identity(identity).request(request)
                    .payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kinesis")
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            headers.add(Map.entry("Host", host));
            headers.add(Map.entry("Content-Type", contentType));
            headers.add(Map.entry("X-Amz-Target", target));
            // The SDK's signer also signs the payload hash header it adds; give ours the same header set.
            headers.add(Map.entry("x-amz-content-sha256",
                    signed.request().firstMatchingHeader("x-amz-content-sha256").orElseThrow()));
            Map<String, String> added = new SigV4Signer(region, "kinesis").sign(
                    new SignableRequest("POST", "/", null, headers, ByteBuffer.wrap(body)), ours, now);

            assertThat(added.get("Authorization")).as("request %d", i)
                    .isEqualTo(signed.request().firstMatchingHeader("Authorization").orElseThrow());
            assertThat(added.get("X-Amz-Date")).isEqualTo(signed.request().firstMatchingHeader("X-Amz-Date")
                    .orElseThrow());
            if (session) {
                assertThat(added.get("X-Amz-Security-Token")).isEqualTo(ours.sessionToken());
            }
        }
    }
}
