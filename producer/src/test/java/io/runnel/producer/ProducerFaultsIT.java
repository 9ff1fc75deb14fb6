package io.runnel.producer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.RecordRejectedException;
import io.runnel.producer.testing.ManualClock;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.model.ListShardsResponse;
import io.runnel.wire.model.PutRecordsResponse;
import io.runnel.wire.model.PutRecordsResultEntry;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The producer against scripted failures: resets, 500s, partial PutRecords failures, non-retryable errors. */
class ProducerFaultsIT {
    private static final String PUT = "Kinesis_20131202.PutRecords";
    private WireMockServer wireMock;

    @BeforeEach
    void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
        byte[] shards = KinesisCodec.cbor().encode(new ListShardsResponse(List.of(new Shard("shardId-000000000000",
                null, null, new ShardHashKeyRange("0", "340282366920938463463374607431768211455"),
                new SequenceNumberRange("1", null))), null));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("Kinesis_20131202.ListShards"))
                .willReturn(aResponse().withStatus(200).withBody(shards)));
    }

    @AfterEach
    void stop() {
        wireMock.stop();
    }

    private KinesisProducer producer() {
        return new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(wireMock.baseUrl()).aggregationEnabled(false)
                .recordMaxBufferedTime(Duration.ofMillis(20)).set(ConfigKeys.REQUEST_TIMEOUT, 2_000L).build(),
                CredentialsProvider.of(Credentials.of("a", "b")));
    }

    private static byte[] ok(int n, int throttledIndex) {
        List<PutRecordsResultEntry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            entries.add(i == throttledIndex
                    ? new PutRecordsResultEntry(null, null, "ProvisionedThroughputExceededException", "Rate exceeded")
                    : new PutRecordsResultEntry("49" + i, "shardId-000000000000", null, null));
        }
        return KinesisCodec.cbor().encode(new PutRecordsResponse(throttledIndex < 0 ? 0 : 1, entries, null));
    }

    private static byte[] error(String type, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KinesisCodec.cbor().encodeError(type, message, out);
        return out.toByteArray();
    }

    @Test
    void resetsServerErrorsAndThrottledRecordsAreRetriedUntilPut() throws Exception {
        String s = "faults";
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("reset")
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs("reset").willSetStateTo("error")
                .willReturn(aResponse().withStatus(500).withBody(error("InternalFailure", "try again"))));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs("error").willSetStateTo("partial")
                .willReturn(aResponse().withStatus(200).withBody(ok(1, 0))));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs("partial")
                .willReturn(aResponse().withStatus(200).withBody(ok(1, -1))));
        try (KinesisProducer producer = producer()) {
            UserRecordResult result = producer.addUserRecord("faults", "k", new byte[] {1}).get(60, TimeUnit.SECONDS);
            assertThat(result.successful()).isTrue();
            assertThat(result.attempts()).extracting(Attempt::errorCode).containsExactly("CONNECTION_CLOSED",
                    "InternalFailure", "ProvisionedThroughputExceededException", null);
            assertThat(result.attempts().get(3).delay()).isPositive(); // backoff before the retry
            assertThat(producer.stats().retries()).isEqualTo(3);
        }
    }

    @Test
    void nonRetryableErrorsRejectAtOnceAndFailIfThrottledRejectsThrottledRecords() throws Exception {
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT))
                .willReturn(aResponse().withStatus(400).withBody(error("AccessDeniedException", "not allowed"))));
        try (KinesisProducer producer = producer()) {
            CompletableFuture<UserRecordResult> f = producer.addUserRecord("faults", "k", new byte[] {1});
            assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                        assertThat(e.result().attempts()).hasSize(1);
                        assertThat(e.result().lastAttempt().errorCode()).isEqualTo("AccessDeniedException");
                        assertThat(e.userRecord()).isNull(); // ReturnUserRecordOnFailure is off by default
                    });
        }
        // ReturnUserRecordOnFailure: the failure carries the record, to keep or send elsewhere
        try (KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(wireMock.baseUrl()).aggregationEnabled(false)
                .recordMaxBufferedTime(Duration.ofMillis(20)).set(ConfigKeys.RETURN_USER_RECORD_ON_FAILURE, true)
                .build(), CredentialsProvider.of(Credentials.of("a", "b")))) {
            CompletableFuture<UserRecordResult> f = producer.addUserRecord("faults", "key-7", new byte[] {7, 8});
            assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(RecordRejectedException.class, e -> assertThat(e.userRecord())
                            .isEqualTo(new UserRecord("faults", "key-7", null, new byte[] {7, 8})));
        }
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT))
                .willReturn(aResponse().withStatus(200).withBody(ok(1, 0))));
        try (KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(wireMock.baseUrl()).set(ConfigKeys.FAIL_IF_THROTTLED, true).build(),
                CredentialsProvider.of(Credentials.of("a", "b")))) {
            CompletableFuture<UserRecordResult> f = producer.addUserRecord("faults", "k", new byte[] {1});
            assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(RecordRejectedException.class)
                    .hasMessageContaining("ProvisionedThroughputExceededException");
        }
    }

    @Test
    void serviceUnavailableTimeoutsAndMalformedBodiesAreRetriedUntilPut() throws Exception {
        String s = "more-faults";
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("slow")
                .willReturn(aResponse().withStatus(503).withBody(error("ServiceUnavailable", "busy"))));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs("slow").willSetStateTo("garbled")
                .willReturn(aResponse().withStatus(200).withFixedDelay(12_000).withBody(ok(1, -1))));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs("garbled").willSetStateTo("empty")
                .willReturn(aResponse().withStatus(200).withBody(new byte[] {(byte) 0xbf, 0x61, 0x52})));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs("empty").willSetStateTo("good")
                .willReturn(aResponse().withStatus(200)));
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT)).inScenario(s)
                .whenScenarioStateIs("good")
                .willReturn(aResponse().withStatus(200).withBody(ok(1, -1))));
        try (KinesisProducer producer = producer()) {
            UserRecordResult result = producer.addUserRecord("faults", "k", new byte[] {1}).get(120, TimeUnit.SECONDS);
            assertThat(result.successful()).isTrue();
            assertThat(result.attempts()).hasSize(5);
            assertThat(result.attempts().get(0).errorCode()).isEqualTo("ServiceUnavailable");
            assertThat(result.attempts().get(1).errorCode()).isEqualTo("REQUEST_TIMEOUT");
            assertThat(result.attempts().get(1).duration()).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
            assertThat(result.attempts().get(2).errorCode()).isEqualTo("MALFORMED_RESPONSE");
            assertThat(result.attempts().get(3).errorCode()).isEqualTo("MALFORMED_RESPONSE"); // an empty body
            assertThat(result.attempts().get(4).errorCode()).isNull();
        }
    }

    /** {@code real} reporting {@code roundTripNanos} as its recent round trip (0: none, the default). */
    private static KinesisClient reportingRoundTrip(KinesisClient real, long roundTripNanos) {
        return new KinesisClient() {
            @Override
            public <R extends Record> CompletableFuture<R> execute(io.runnel.wire.codec.Operation operation,
                    Record request, Class<R> responseType) {
                return real.execute(operation, request, responseType);
            }

            @Override
            public long recentRoundTripNanos() {
                return roundTripNanos;
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    /** What {@link #untilEveryRecordExpires} saw: the futures, first record first, and PutRecords calls. */
    private record Expiries(List<CompletableFuture<UserRecordResult>> futures, long putsBeforeTtl, long putsAfterTtl) {
    }

    /**
     * Against a service that answers every PutRecords with a 503: one record, then 200 behind it, while a manual
     * clock moves in 20 steps of 50 ms (each once no request is in flight: well inside RecordTtl, past backoffs of at
     * most 100, 200 and 400 ms), then past every record's TTL. The client reports {@code roundTripNanos} before the
     * first answer, which sets how many lanes the shard starts with (0: one; the manual clock keeps the measured
     * round trip at 0 after that).
     */
    private Expiries untilEveryRecordExpires(long roundTripNanos) throws Exception {
        serviceUnavailable();
        ManualClock clock = new ManualClock();
        ProducerConfig config = ProducerConfig.builder().region("us-east-1").kinesisEndpointUrl(wireMock.baseUrl())
                .recordMaxBufferedTime(Duration.ofMillis(20)).recordTtl(Duration.ofMillis(2_000)).build();
        KinesisClient client = reportingRoundTrip(
                KinesisProducer.clientFor(config, CredentialsProvider.of(Credentials.of("a", "b"))), roundTripNanos);
        try (KinesisProducer producer = new KinesisProducer(config, client, true, clock, null)) {
            List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
            futures.add(producer.addUserRecord("faults", "first", new byte[] {1}));
            producer.flush();
            awaitRetries(producer, 1); // the shard map is there and a first put failed
            for (int i = 0; i < 200; i++) {
                futures.add(producer.addUserRecord("faults", "k" + i, new byte[] {(byte) i}));
            }
            producer.flush();
            for (int steps = 0; steps < 20;) {
                if (producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofMillis(50)))
                        .get(60, TimeUnit.SECONDS)) {
                    steps++;
                    producer.flush();
                }
                Thread.sleep(5);
            }
            long[] putsBefore = new long[1];
            while (!producer.runWhenNoRequestIsInFlight(() -> {
                putsBefore[0] = puts();
                clock.advance(Duration.ofMillis(2_000)); // past every record's TTL
            }).get(60, TimeUnit.SECONDS)) {
                Thread.sleep(5);
            }
            for (CompletableFuture<UserRecordResult> f : futures) {
                assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).cause()
                        .isInstanceOfSatisfying(io.runnel.producer.errors.RecordExpiredException.class,
                                e -> assertThat(e.result().lastAttempt().errorCode()).isEqualTo("Expired"));
            }
            assertThat(producer.getOutstandingRecordsCount()).isZero();
            assertThat(producer.bufferedBytes()).as("failed records give their buffer space back too").isZero();
            assertThat(producer.stats().userRecordsFailed()).isEqualTo(201);
            return new Expiries(futures, putsBefore[0], puts() - putsBefore[0]);
        }
    }

    private long puts() {
        return wireMock.getAllServeEvents().stream()
                .filter(e -> PUT.equals(e.getRequest().getHeader("X-Amz-Target"))).count();
    }

    @Test
    void whileTheServiceKeepsFailingEveryRecordExpiresAtItsTtlWithItsAttempts() throws Exception {
        // One lane: the refused first record and the one aggregate behind it go out together each time.
        Expiries run = untilEveryRecordExpires(0);
        for (CompletableFuture<UserRecordResult> f : run.futures()) {
            assertThatThrownBy(f::get).cause()
                    .isInstanceOfSatisfying(io.runnel.producer.errors.RecordExpiredException.class, e -> {
                        assertThat(e.result().attempts()).hasSizeGreaterThan(1);
                        assertThat(e.result().attempts().get(0).errorCode()).isEqualTo("ServiceUnavailable");
                        // the failure names what kept it from going in, and carries it as its cause
                        assertThat(e).hasMessageContaining("the last error: ServiceUnavailable: busy");
                        assertThat(e.getCause()).isInstanceOfSatisfying(
                                io.runnel.wire.error.KinesisServiceException.class,
                                cause -> assertThat(cause.errorCode()).isEqualTo("ServiceUnavailable"));
                    });
        }
        // the first record, always at the head, was tried again and again until its TTL
        Throwable first = org.assertj.core.api.Assertions.catchThrowable(() -> run.futures().get(0).get()).getCause();
        assertThat(((io.runnel.producer.errors.RecordExpiredException) first).result().attempts())
                .hasSizeGreaterThan(3);
        assertThat(run.putsAfterTtl()).as("PutRecords calls after the TTL").isZero();
    }

    @Test
    void aWideStartBehindAFailingServiceSendsNothingAfterTheTtl() throws Exception {
        // 500 ms before the first answer: the shard starts with several lanes, each aggregate of a lane behind the
        // lane's refused one; those wait (nothing later of a lane passes a refused record) and expire at their TTL,
        // some never sent — but none goes out once its TTL has passed.
        Expiries run = untilEveryRecordExpires(500_000_000L);
        for (CompletableFuture<UserRecordResult> f : run.futures()) {
            assertThatThrownBy(f::get).cause()
                    .isInstanceOfSatisfying(io.runnel.producer.errors.RecordExpiredException.class, e -> {
                        List<Attempt> attempts = e.result().attempts();
                        for (Attempt a : attempts.subList(0, attempts.size() - 1)) {
                            assertThat(a.errorCode()).isEqualTo("ServiceUnavailable");
                        }
                    });
        }
        assertThat(run.putsBeforeTtl()).isGreaterThan(1);
        assertThat(run.putsAfterTtl()).as("PutRecords calls after the TTL").isZero();
    }

    @Test
    void userRecordTimeoutFailsTheFutureWhileTheProducerKeepsTrying() throws Exception {
        serviceUnavailable();
        ManualClock clock = new ManualClock();
        ProducerConfig config = ProducerConfig.builder().region("us-east-1").kinesisEndpointUrl(wireMock.baseUrl())
                .recordMaxBufferedTime(Duration.ofMillis(20)).recordTtl(Duration.ofSeconds(30))
                .set(io.runnel.producer.config.ConfigKeys.USER_RECORD_TIMEOUT_IN_MILLIS, 500L).build();
        try (KinesisProducer producer = producer(config, clock)) {
            CompletableFuture<UserRecordResult> f = producer.addUserRecord("faults", "k", new byte[] {1});
            producer.flush();
            awaitRetries(producer, 1);
            assertThat(f).isNotDone();
            while (!f.isDone()) { // 100 ms at a time, between requests, to past the timeout
                producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofMillis(100)))
                        .get(60, TimeUnit.SECONDS);
                Thread.sleep(5);
            }
            assertThatThrownBy(() -> f.get()).cause().isInstanceOfSatisfying(
                    io.runnel.producer.errors.RecordTimeoutException.class, e -> {
                        assertThat(e).hasMessageContaining("UserRecordTimeoutInMillis 500 ms")
                                .hasMessageContaining("may still be put")
                                .hasMessageContaining("the last error: ServiceUnavailable: busy");
                        assertThat(e.result().attempts()).isNotEmpty();
                    });
            assertThat(clock.nanoTime()).as("failed at the timeout, not at RecordTtl")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
            // once its future has failed, the record is not tried again
            long before = producer.stats().retries();
            for (int i = 0; i < 10; i++) {
                producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofMillis(500)))
                        .get(60, TimeUnit.SECONDS);
            }
            producer.flushSync();
            assertThat(producer.stats().retries()).isLessThanOrEqualTo(before + 1);
            assertThat(producer.stats().userRecordsFailed()).isEqualTo(1);
        }
    }

    @Test
    void aRecordThatWaitedForRoomCountsItsLatencyFromTheCallAndItsTtlFromItsArrival() throws Exception {
        serviceUnavailable();
        ManualClock clock = new ManualClock();
        // 1 MiB of buffer: ten records of 100,000 bytes (not aggregated: larger than an aggregate) fit, an eleventh
        // waits for room; nothing is ever put, so room comes only when records expire (RecordTtl, on this clock)
        ProducerConfig config = ProducerConfig.builder().region("us-east-1").kinesisEndpointUrl(wireMock.baseUrl())
                .recordMaxBufferedTime(Duration.ofMillis(20)).recordTtl(Duration.ofSeconds(30))
                .set(ConfigKeys.MAX_BUFFERED_BYTES, 1L << 20).set(ConfigKeys.MAX_BLOCK_MS, 600_000L).build();
        try (KinesisProducer producer = producer(config, clock)) {
            long calledAt = clock.nanoTime();
            List<CompletableFuture<UserRecordResult>> first = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                first.add(producer.addUserRecord("faults", "k" + i, new byte[100_000]));
            }
            CompletableFuture<CompletableFuture<UserRecordResult>> eleventh = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    eleventh.complete(producer.addUserRecord("faults", "k10", new byte[100_000]));
                } catch (RuntimeException e) {
                    eleventh.completeExceptionally(e);
                }
            }, "eleventh");
            caller.start();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> caller.getState()
                    == Thread.State.TIMED_WAITING || caller.getState() == Thread.State.WAITING);
            assertThat(eleventh).isNotDone();
            // past the first ten's TTL: they expire, and the eleventh gets their room, 60 s after it was called
            producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofSeconds(60))).get(60, TimeUnit.SECONDS);
            CompletableFuture<UserRecordResult> waited = eleventh.get(60, TimeUnit.SECONDS);
            for (CompletableFuture<UserRecordResult> f : first) {
                assertThatThrownBy(f::get).cause().isInstanceOfSatisfying(
                        io.runnel.producer.errors.RecordExpiredException.class,
                        e -> assertThat(e.result().addedAtNanos()).isEqualTo(calledAt));
            }
            // its TTL counts from its arrival, after the wait: 10 s on (70 s after the call) it is still tried
            long retries = producer.stats().retries();
            producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofSeconds(10))).get(60, TimeUnit.SECONDS);
            awaitRetries(producer, retries + 1, producer::flush);
            assertThat(waited).isNotDone();
            while (!waited.isDone()) { // then past it
                producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofSeconds(5)))
                        .get(60, TimeUnit.SECONDS);
                Thread.sleep(5);
            }
            // its latency counts from the call: its result says it was added when it was called, not when it got room
            assertThatThrownBy(waited::get).cause().isInstanceOfSatisfying(
                    io.runnel.producer.errors.RecordExpiredException.class,
                    e -> assertThat(e.result().addedAtNanos()).isEqualTo(calledAt));
        }
    }

    /** Every PutRecords is answered 503 ServiceUnavailable: records stay buffered, retried, until their TTL. */
    private void serviceUnavailable() {
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(PUT))
                .willReturn(aResponse().withStatus(503).withBody(error("ServiceUnavailable", "busy"))));
    }

    /** A producer of {@code config} against WireMock, on {@code clock}. */
    private static KinesisProducer producer(ProducerConfig config, ManualClock clock) {
        return new KinesisProducer(config,
                KinesisProducer.clientFor(config, CredentialsProvider.of(Credentials.of("a", "b"))), true, clock,
                null);
    }

    private static void awaitRetries(KinesisProducer producer, long atLeast) {
        awaitRetries(producer, atLeast, () -> { });
    }

    /** Waits until {@code atLeast} retries were counted, running {@code nudge} (e.g. a flush) before each look. */
    private static void awaitRetries(KinesisProducer producer, long atLeast, Runnable nudge) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            nudge.run();
            assertThat(producer.stats().retries()).as("retries").isGreaterThanOrEqualTo(atLeast);
        });
    }
}
