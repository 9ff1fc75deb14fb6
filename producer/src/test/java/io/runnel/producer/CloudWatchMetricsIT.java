package io.runnel.producer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runnel.backend.KinesisBackend;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.internal.Clock;
import io.runnel.producer.metrics.CloudWatchUploader;
import io.runnel.producer.testing.ManualClock;
import io.runnel.wire.auth.AwsEnvironment;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.testing.QueryForms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/** The producer uploads the KPL's metrics to a (fake) CloudWatch each interval, on close, and retries failures. */
class CloudWatchMetricsIT {
    private static final Credentials CREDS = Credentials.of("AKIDMETRICS", "secret");
    private static final String OK = "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
            + "<ResponseMetadata><RequestId>ok</RequestId></ResponseMetadata></PutMetricDataResponse>";

    @TempDir
    Path home;

    private KinesisBackend backend;
    private WireMockServer cloudWatch;
    private final ManualClock metricsClock = new ManualClock();
    private final List<KinesisProducer> producers = new ArrayList<>();

    @BeforeEach
    void start() {
        backend = KinesisBackend.builder().settings(io.runnel.backend.store.StoreSettings.defaults()
                .withTransitionMillis(0)).createStream("clicks", 2).start();
        cloudWatch = new WireMockServer(wireMockConfig().dynamicPort());
        cloudWatch.start();
        cloudWatch.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody(OK)));
    }

    @AfterEach
    void stop() {
        for (KinesisProducer p : producers) {
            p.shutdownNow();
        }
        cloudWatch.stop();
        backend.close();
    }

    private KinesisProducer producer(boolean withCloudWatch) {
        ProducerConfig.Builder b = ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString());
        if (withCloudWatch) {
            b.set(ConfigKeys.CLOUDWATCH_ENDPOINT_URL, "http://127.0.0.1:" + cloudWatch.port());
        }
        ProducerConfig config = b.build();
        CredentialsProvider creds = CredentialsProvider.of(CREDS);
        KinesisProducer p = new KinesisProducer(config, KinesisProducer.clientFor(config, creds), true, Clock.SYSTEM,
                null, creds, new AwsEnvironment(Map.of(), new Properties(), home), metricsClock);
        producers.add(p);
        return p;
    }

    private static void put(KinesisProducer p, int n) {
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(p.addUserRecord("clicks", "key-" + i, ("record " + i).getBytes(StandardCharsets.UTF_8)));
        }
        p.flushSync();
        assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
    }

    private List<LoggedRequest> uploads() {
        return cloudWatch.findAll(postRequestedFor(urlEqualTo("/")));
    }

    private List<LoggedRequest> awaitUploads(int n) {
        await().atMost(30, TimeUnit.SECONDS).until(() -> uploads().size() >= n);
        return uploads();
    }

    private void nextInterval(KinesisProducer p) {
        metricsClock.advance(Duration.ofMillis(ProducerConfig.builder().build().get(ConfigKeys.METRICS_UPLOAD_DELAY)));
        p.cloudWatchUploader().wakeUp();
    }

    private static MetricDatum series(PutMetricDataRequest r, String name, String... dims) {
        return r.metricData().stream().filter(d -> d.metricName().equals(name)
                && d.dimensions().stream().map(x -> x.name() + "=" + x.value()).toList().equals(List.of(dims)))
                .findFirst().orElseThrow(() -> new AssertionError("no series " + name + List.of(dims)));
    }

    @Test
    void uploadsSignedKplMetricsEachIntervalAndTheLastOneOnClose() {
        KinesisProducer p = producer(true);
        put(p, 20);
        assertThat(uploads()).as("nothing before the interval ends").isEmpty();

        nextInterval(p);
        LoggedRequest first = awaitUploads(1).get(0);

        assertThat(first.getHeader("Authorization"))
                .contains("Credential=AKIDMETRICS/").contains("/us-east-1/monitoring/aws4_request");
        PutMetricDataRequest sent = QueryForms.putMetricData(first.getBodyAsString());
        assertThat(sent.namespace()).isEqualTo("KinesisProducerLibrary");
        assertThat(sent.metricData()).extracting(MetricDatum::metricName).contains("UserRecordsReceived",
                "UserRecordsPending", "UserRecordsPut", "UserRecordsDataPut", "KinesisRecordsPut",
                "KinesisRecordsDataPut", "AllErrors", "RetriesPerRecord", "BufferingTime", "RequestTime",
                "UserRecordsPerKinesisRecord", "KinesisRecordsPerPutRecordsRequest",
                "UserRecordsPerPutRecordsRequest");
        assertThat(sent.metricData()).allSatisfy(d -> {
            assertThat(d.unit()).isNotEqualTo(StandardUnit.UNKNOWN_TO_SDK_VERSION);
            assertThat(d.statisticValues().sampleCount()).isPositive();
            assertThat(d.timestamp()).isEqualTo(java.time.Instant.ofEpochMilli(metricsClock.wallMillis()));
        });
        assertThat(series(sent, "UserRecordsPut").statisticValues().sum()).isEqualTo(20.0);
        assertThat(series(sent, "UserRecordsPut", "StreamName=clicks").statisticValues().sum()).isEqualTo(20.0);
        double byShard = sent.metricData().stream().filter(d -> d.metricName().equals("UserRecordsPut")
                && d.dimensions().size() == 2).mapToDouble(d -> {
                    assertThat(d.dimensions().get(1).name()).isEqualTo("ShardId");
                    return d.statisticValues().sum();
                }).sum();
        assertThat(byShard).isEqualTo(20.0);
        assertThat(series(sent, "UserRecordsDataPut").unit()).isEqualTo(StandardUnit.BYTES);
        assertThat(series(sent, "BufferingTime").unit()).isEqualTo(StandardUnit.MILLISECONDS);

        put(p, 5);
        p.close();
        List<LoggedRequest> all = uploads();
        assertThat(all).hasSize(2);
        PutMetricDataRequest last = QueryForms.putMetricData(all.get(1).getBodyAsString());
        assertThat(series(last, "UserRecordsPut").statisticValues().sum()).isEqualTo(5.0);
    }

    @Test
    void aFailedUploadIsRetriedAndRecordsKeepFlowing() {
        cloudWatch.resetAll();
        cloudWatch.stubFor(post(urlEqualTo("/")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("<ErrorResponse><Error><Code>InternalServiceError"
                        + "</Code><Message>oops</Message></Error><RequestId>x</RequestId></ErrorResponse>"))
                .willSetStateTo("healthy"));
        cloudWatch.stubFor(post(urlEqualTo("/")).inScenario("flaky").whenScenarioStateIs("healthy")
                .willReturn(aResponse().withStatus(200).withBody(OK)));
        KinesisProducer p = producer(true);
        put(p, 10);

        nextInterval(p);
        String failedBody = awaitUploads(1).get(0).getBodyAsString();
        put(p, 10); // CloudWatch failing does not hold up records
        CloudWatchUploader u = p.cloudWatchUploader();
        await().atMost(30, TimeUnit.SECONDS).until(() -> u.failedAttempts() == 1); // its retry is scheduled

        metricsClock.advance(Duration.ofSeconds(1)); // the first backoff is at most a second
        p.cloudWatchUploader().wakeUp();
        List<LoggedRequest> all = awaitUploads(2);
        assertThat(all.get(1).getBodyAsString()).as("the same call again").isEqualTo(failedBody);
        await().atMost(30, TimeUnit.SECONDS).until(() -> u.succeededRequests() == 1);
        assertThat(u.droppedRequests()).isZero();
    }

    @Test
    void aLocalKinesisEndpointKeepsMetricsLocal() {
        KinesisProducer p = producer(false);
        put(p, 5);
        assertThat(p.cloudWatchUploader()).isNull();
        p.close();
        assertThat(uploads()).isEmpty();
    }
}
