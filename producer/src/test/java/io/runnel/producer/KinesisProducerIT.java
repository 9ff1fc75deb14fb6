package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.KinesisBackend;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.testing.ManualClock;
import io.runnel.producer.errors.BufferFullException;
import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.producer.errors.ProducerClosedException;
import io.runnel.producer.errors.RecordRejectedException;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.error.ResourceNotFoundException;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The producer end to end against the bundled backend: every record arrives exactly once, or fails typed. */
class KinesisProducerIT {
    private KinesisBackend backend;
    private NettyKinesisClient reader;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private void start(boolean limits, String... streams) {
        KinesisBackend.Builder b = KinesisBackend.builder().limits(limits)
                .settings(io.runnel.backend.store.StoreSettings.defaults().withTransitionMillis(0)
                        .withLimits(limits));
        for (String s : streams) {
            String[] parts = s.split(":");
            b.createStream(parts[0], Integer.parseInt(parts[1]));
        }
        backend = b.start();
        reader = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (reader != null) {
            reader.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private KinesisProducer producer(ProducerConfig.Builder config) {
        KinesisProducer p = new KinesisProducer(config.region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).build(),
                CredentialsProvider.of(Credentials.of("a", "b")));
        toClose.add(p);
        return p;
    }

    /** {@code real}, with each PutRecords call counted in {@code puts} and made once {@code gate} completes. */
    private static io.runnel.wire.KinesisClient putRecordsThrough(io.runnel.wire.KinesisClient real,
            java.util.concurrent.atomic.AtomicInteger puts, CompletableFuture<?> gate) {
        return new io.runnel.wire.KinesisClient() {
            @Override
            public <R extends Record> CompletableFuture<R> execute(io.runnel.wire.codec.Operation operation,
                    Record request, Class<R> responseType) {
                if (operation != io.runnel.wire.codec.Operation.PUT_RECORDS) {
                    return real.execute(operation, request, responseType);
                }
                puts.incrementAndGet();
                return gate.thenCompose(open -> real.execute(operation, request, responseType));
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }

    /** Every user record in the stream, keyed by "shard/sequence/subsequence". */
    private Map<String, DeaggregatedRecord> readAll(String stream) {
        Map<String, DeaggregatedRecord> out = new HashMap<>();
        for (var shard : reader.listShards(new ListShardsRequest(stream, null, null, null, null, null, null)).join()
                .shards()) {
            String it = reader.getShardIterator(new GetShardIteratorRequest(stream, null, shard.shardId(),
                    "TRIM_HORIZON", null, null)).join().shardIterator();
            while (it != null) {
                GetRecordsResponse r;
                try {
                    r = reader.getRecords(new GetRecordsRequest(it, 10_000, null)).join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (!(e.getCause() instanceof io.runnel.wire.error.ProvisionedThroughputExceededException)) {
                        throw e;
                    }
                    try {
                        Thread.sleep(300); // limits on: reads are limited too
                    } catch (InterruptedException interrupted) {
                        throw new IllegalStateException(interrupted);
                    }
                    continue;
                }
                for (StreamRecord rec : r.records()) {
                    for (DeaggregatedRecord d : Deaggregator.deaggregate(rec.partitionKey(), null, rec.data())) {
                        DeaggregatedRecord previous = out.put(shard.shardId() + "/" + rec.sequenceNumber() + "/"
                                + d.subSequenceNumber(), d);
                        assertThat(previous).isNull();
                    }
                }
                if (r.records().isEmpty()) {
                    break;
                }
                it = r.nextShardIterator();
            }
        }
        return out;
    }

    private static void assertDeliveredExactlyOnce(Map<String, DeaggregatedRecord> stored,
            Map<String, UserRecordResult> results) {
        assertThat(stored).hasSameSizeAs(results);
        results.forEach((data, r) -> {
            assertThat(r.successful()).isTrue();
            DeaggregatedRecord d = stored.get(r.shardId() + "/" + r.sequenceNumber() + "/" + r.subSequenceNumber());
            assertThat(d).as(data).isNotNull();
            assertThat(new String(d.data(), StandardCharsets.UTF_8)).isEqualTo(data);
        });
    }

    private static Map<String, UserRecordResult> awaitAll(Map<String, CompletableFuture<UserRecordResult>> futures)
            throws Exception {
        Map<String, UserRecordResult> out = new HashMap<>();
        for (var e : futures.entrySet()) {
            out.put(e.getKey(), e.getValue().get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    void thePipelineSleepsUntilItsNextDeadlineAndAFlushOrRecordWakesIt() throws Exception {
        start(false, "quiet:2");
        // an hour's RecordMaxBufferedTime: a record stays in its aggregate until the flush
        KinesisProducer producer = producer(ProducerConfig.builder().set(ConfigKeys.RECORD_MAX_BUFFERED_TIME,
                TimeUnit.HOURS.toMillis(1)).set(ConfigKeys.RECORD_TTL, TimeUnit.HOURS.toMillis(2)));
        // nothing buffered, nothing to wait for: the pipeline thread sleeps past its tick
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(producer::pipelinesIdle);
        CompletableFuture<UserRecordResult> first = producer.addUserRecord("quiet", "k", new byte[] {1});
        // a record whose deadline is an hour away: once routed and with nothing else coming, it sleeps again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(producer::pipelinesIdle);
        assertThat(first).isNotDone();
        producer.flush();
        assertThat(first.get(60, TimeUnit.SECONDS).successful()).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(producer::pipelinesIdle);
        CompletableFuture<UserRecordResult> second = producer.addUserRecord("quiet", "k", new byte[] {2});
        producer.flush();
        assertThat(new java.math.BigInteger(second.get(60, TimeUnit.SECONDS).sequenceNumber()))
                .isGreaterThan(new java.math.BigInteger(first.join().sequenceNumber()));
        assertThat(producer.getOutstandingRecordsCount()).isZero();
    }

    @Test
    void thePipelineSleepsWhileARequestIsOutAndTheAnswerWakesIt() throws Exception {
        start(false, "held:1");
        // a client whose PutRecords calls reach the backend only once the gate opens: a request stays out meanwhile
        CompletableFuture<Void> gate = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger puts = new java.util.concurrent.atomic.AtomicInteger();
        ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString())
                .set(ConfigKeys.RECORD_MAX_BUFFERED_TIME, TimeUnit.HOURS.toMillis(1))
                .set(ConfigKeys.RECORD_TTL, TimeUnit.HOURS.toMillis(2)).build();
        io.runnel.wire.KinesisClient real = KinesisProducer.clientFor(config,
                CredentialsProvider.of(Credentials.of("a", "b")));
        io.runnel.wire.KinesisClient held = putRecordsThrough(real, puts, gate);
        KinesisProducer producer = new KinesisProducer(config, held, true, io.runnel.producer.internal.Clock.SYSTEM,
                null);
        toClose.add(producer);
        CompletableFuture<UserRecordResult> first = producer.addUserRecord("held", "k", new byte[] {1});
        CompletableFuture<UserRecordResult> second;
        try {
            producer.flush();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> puts.get() == 1);
            // The request is out and nothing else is due: the pipeline thread sleeps (it used to tick every 2 ms
            // until the answer came: at the shard limit, with a request out nearly all the time, ~550 ticks a second).
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(producer::pipelinesIdle);
            assertThat(first).isNotDone();
            // a record added meanwhile waits for its deadline (an hour) like any other; the answer completes the first
            second = producer.addUserRecord("held", "k", new byte[] {2});
        } finally {
            gate.complete(null); // else closing would wait for an answer that never comes
        }
        assertThat(first.get(60, TimeUnit.SECONDS).successful()).isTrue();
        assertThat(second).isNotDone();
        producer.flush();
        assertThat(new java.math.BigInteger(second.get(60, TimeUnit.SECONDS).sequenceNumber()))
                .isGreaterThan(new java.math.BigInteger(first.join().sequenceNumber()));
        assertThat(puts.get()).isEqualTo(2);
        assertThat(producer.getOutstandingRecordsCount()).isZero();
    }

    /**
     * A record that waits in the ring while the pipeline thread is busy or lingers loses no time for it: its
     * RecordMaxBufferedTime counts from when it was added. (It counted from when the pipeline routed it, so a record
     * routed late was sent late by as much.)
     */
    @Test
    void aRecordsLingerCountsFromWhenItWasAddedNotFromWhenItWasRouted() throws Exception {
        start(false, "late:1");
        ManualClock clock = new ManualClock();
        ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).recordMaxBufferedTime(Duration.ofMillis(100))
                .build();
        KinesisProducer producer = new KinesisProducer(config, KinesisProducer.clientFor(config,
                CredentialsProvider.of(Credentials.of("a", "b"))), true, clock, null);
        toClose.add(producer);
        // the shard map first (a record that waits for it lingers anew once it comes)
        CompletableFuture<UserRecordResult> first = producer.addUserRecord("late", "k", new byte[] {1});
        producer.flush();
        assertThat(first.get(60, TimeUnit.SECONDS).successful()).isTrue();
        // the pipeline thread held in a task while a record is added and its 100 ms pass
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Boolean> task = producer.runWhenNoRequestIsInFlight(() -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<UserRecordResult> second;
        try {
            second = producer.addUserRecord("late", "k", new byte[] {2});
            clock.advance(Duration.ofMillis(100));
        } finally {
            release.countDown();
        }
        assertThat(task.get(60, TimeUnit.SECONDS)).isTrue();
        // routed when its 100 ms had passed: it goes at once, though the clock does not move again
        assertThat(second.get(60, TimeUnit.SECONDS).successful()).isTrue();
        assertThat(producer.getOutstandingRecordsCount()).isZero();
    }

    /**
     * A few records on each of many shards (a producer among many writing to a large stream): when the first shard's
     * aggregate reaches its deadline and goes, the others go in the same request, not each in one of its own at its
     * own deadline.
     */
    @Test
    void whenOneShardsRecordsAreDueTheOtherShardsGoInTheSameRequest() throws Exception {
        int shards = 40;
        start(false, "wide:" + shards);
        ManualClock clock = new ManualClock();
        java.util.concurrent.atomic.AtomicInteger puts = new java.util.concurrent.atomic.AtomicInteger();
        ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).recordMaxBufferedTime(Duration.ofMillis(100))
                .build();
        io.runnel.wire.KinesisClient real = KinesisProducer.clientFor(config,
                CredentialsProvider.of(Credentials.of("a", "b")));
        io.runnel.wire.KinesisClient counting = putRecordsThrough(real, puts, CompletableFuture.completedFuture(null));
        KinesisProducer producer = new KinesisProducer(config, counting, true, clock, null);
        toClose.add(producer);
        java.math.BigInteger width = java.math.BigInteger.ONE.shiftLeft(128).divide(java.math.BigInteger.valueOf(
                shards));
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            // two records inside shard i's hash key range, 2 ms after shard i - 1's: deadlines 2 ms apart
            for (int j = 1; j <= 2; j++) {
                String hashKey = width.multiply(java.math.BigInteger.valueOf(i)).add(java.math.BigInteger.valueOf(j))
                        .toString();
                futures.add(producer.addUserRecord("wide", "k" + i + "-" + j, hashKey, new byte[] {(byte) i}));
            }
            assertThat(producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofMillis(2)))
                    .get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(puts.get()).as("nothing is due before the first shard's deadline").isZero();
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        for (int step = 0; !all.isDone(); step++) {
            assertThat(step).as("steps of 2 ms until every record is put").isLessThan(100_000);
            producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofMillis(2))).get(60, TimeUnit.SECONDS);
        }
        assertThat(futures).allSatisfy(f -> assertThat(f.join().successful()).isTrue());
        assertThat(futures.stream().map(f -> f.join().shardId()).distinct()).hasSize(shards);
        assertThat(puts.get()).as("PutRecords calls for %d shards' records", shards).isEqualTo(1);
        assertThat(readAll("wide")).hasSize(2 * shards);
    }

    @Test
    void everyRecordArrivesExactlyOnceWhereItsResultSays() throws Exception {
        start(false, "events:4");
        KinesisProducer producer = producer(ProducerConfig.builder());
        Map<String, CompletableFuture<UserRecordResult>> futures = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            String data = "event-" + i;
            futures.put(data, producer.addUserRecord("events", "user-" + (i % 997),
                    data.getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, UserRecordResult> results = awaitAll(futures);
        assertThat(producer.getOutstandingRecordsCount()).isZero();
        assertThat(producer.bufferedBytes()).as("buffer space given back by the completed records").isZero();
        Map<String, DeaggregatedRecord> stored = readAll("events");
        assertDeliveredExactlyOnce(stored, results);
        assertThat(stored.values()).allSatisfy(d -> assertThat(d.aggregated()).isTrue());
        assertThat(results.values().stream().map(UserRecordResult::shardId).distinct()).hasSize(4);
        ProducerStats stats = producer.stats();
        assertThat(stats.userRecordsPut()).isEqualTo(20_000);
        assertThat(stats.kinesisRecordsPut()).isEqualTo(results.values().stream()
                .map(r -> r.shardId() + r.sequenceNumber()).distinct().count());
        assertThat(stats.userRecordsPerKinesisRecord()).isGreaterThan(10);
        assertThat(stats.putRecordsRequests()).isPositive();
    }

    @Test
    void aCallbackGetsEachOutcomeOnceOnTheCallbackThreadEvenWhenAnotherCallbackThrows() throws Exception {
        start(false, "called:2");
        KinesisProducer producer = producer(ProducerConfig.builder());
        int n = 5_000;
        Map<String, CompletableFuture<UserRecordResult>> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Map<String, long[]> calledBetween = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            String data = "called-" + i;
            CompletableFuture<UserRecordResult> seen = new CompletableFuture<>();
            outcomes.put(data, seen);
            boolean throwing = i % 100 == 0;
            long before = System.nanoTime();
            calledBetween.put(data, new long[] {before, 0});
            producer.addUserRecord("called", "k" + (i % 50), data.getBytes(StandardCharsets.UTF_8),
                    (result, error) -> {
                        calls.incrementAndGet();
                        threads.add(Thread.currentThread().getName());
                        if (error != null) {
                            seen.completeExceptionally(error);
                        } else if (!seen.complete(result)) {
                            seen.obtrudeException(new AssertionError("called twice for " + data));
                        }
                        if (throwing) {
                            throw new IllegalStateException("a callback that throws");
                        }
                    });
            calledBetween.get(data)[1] = System.nanoTime();
        }
        Map<String, UserRecordResult> results = awaitAll(outcomes);
        // each result says when its record was added (the producer's clock is System.nanoTime here): during its call
        results.forEach((data, r) -> assertThat(r.addedAtNanos()).as(data)
                .isBetween(calledBetween.get(data)[0], calledBetween.get(data)[1]));
        producer.flushSync();
        assertThat(calls.get()).isEqualTo(n);
        assertThat(threads).containsExactly("runnel-callback");
        assertThat(producer.getOutstandingRecordsCount()).isZero();
        assertThat(producer.stats().userRecordsPut()).isEqualTo(n);
        assertDeliveredExactlyOnce(readAll("called"), results);
    }

    @Test
    void aCallbackGetsTheFailureAndBadInputThrowsWithoutCallingIt() throws Exception {
        start(false, "refusing:1");
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMinutes(1))
                .recordTtl(Duration.ofMinutes(2)));
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        assertThatThrownBy(() -> producer.addUserRecord("refusing", "", new byte[1],
                (r, e) -> calls.incrementAndGet())).isInstanceOf(InvalidUserRecordException.class);
        assertThatThrownBy(() -> producer.addUserRecord("refusing", "k", new byte[1], null))
                .isInstanceOf(NullPointerException.class);
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        producer.addUserRecord(new UserRecord("refusing", "k", null, new byte[10]), (result, error) -> {
            calls.incrementAndGet();
            failure.complete(error);
        });
        producer.shutdownNow(); // the record waits for its linger: it fails as closed
        assertThat(failure.get(60, TimeUnit.SECONDS)).isInstanceOf(ProducerClosedException.class);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(producer.getOutstandingRecordsCount()).isZero();
    }

    /** Two pipeline threads on three shards: the middle shard's keys are split between them. */
    @ParameterizedTest(name = "PipelineThreads {0}")
    @ValueSource(ints = {1, 2})
    void recordsOfAKeyArriveInTheOrderTheyWereAddedFromManyThreads(int pipelineThreads) throws Exception {
        start(false, "ordered:3");
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMillis(5))
                .set(ConfigKeys.PIPELINE_THREADS, (long) pipelineThreads));
        int threads = 4;
        int perThread = 15_000;
        List<List<CompletableFuture<UserRecordResult>>> byThread = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<CompletableFuture<UserRecordResult>> mine = new ArrayList<>();
            byThread.add(mine);
            int thread = t;
            workers.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    // each thread owns its keys, so "added order" per key is well defined
                    mine.add(producer.addUserRecord("ordered", "t" + thread + "-k" + (i % 50),
                            new byte[] {(byte) i}));
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        int reordered = 0;
        for (List<CompletableFuture<UserRecordResult>> mine : byThread) {
            Map<Integer, UserRecordResult> lastByKey = new HashMap<>();
            for (int i = 0; i < mine.size(); i++) {
                UserRecordResult r = mine.get(i).get(60, TimeUnit.SECONDS);
                UserRecordResult previous = lastByKey.put(i % 50, r);
                if (previous != null) {
                    assertThat(r.shardId()).isEqualTo(previous.shardId());
                    int c = new java.math.BigInteger(r.sequenceNumber())
                            .compareTo(new java.math.BigInteger(previous.sequenceNumber()));
                    if (c < 0 || (c == 0 && r.subSequenceNumber() <= previous.subSequenceNumber())) {
                        reordered++;
                    }
                }
            }
        }
        assertThat(reordered).isZero();
        assertThat(producer.getOutstandingRecordsCount()).isZero();
        // each shard once in the stats, with what every pipeline thread put into it
        List<ShardStats> shards = producer.shardStats();
        assertThat(shards).extracting(ShardStats::shardId).doesNotHaveDuplicates().hasSize(3);
        assertThat(shards.stream().mapToLong(ShardStats::kinesisRecords).sum())
                .isEqualTo(producer.stats().kinesisRecordsPut());
        if (pipelineThreads > 1) {
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .contains("runnel-pipeline-0", "runnel-pipeline-1");
        }
    }

    /** Per key, how many results are not after the one before (by sequence number, then sub-sequence number). */
    private static int reorderings(List<String> keys, List<UserRecordResult> results) {
        Map<String, UserRecordResult> lastByKey = new HashMap<>();
        int reordered = 0;
        for (int i = 0; i < results.size(); i++) {
            UserRecordResult r = results.get(i);
            UserRecordResult previous = lastByKey.put(keys.get(i), r);
            if (previous != null && previous.shardId().equals(r.shardId())) {
                int c = new java.math.BigInteger(r.sequenceNumber())
                        .compareTo(new java.math.BigInteger(previous.sequenceNumber()));
                if (c < 0 || (c == 0 && r.subSequenceNumber() <= previous.subSequenceNumber())) {
                    reordered++;
                }
            }
        }
        return reordered;
    }

    /** Three pipeline threads on two shards: each shard's keys are split between two of them. */
    @ParameterizedTest(name = "PipelineThreads {0}")
    @ValueSource(ints = {1, 3})
    void strictOrderingKeepsEachKeyInOrderThroughThrottlingRetries(int pipelineThreads) throws Exception {
        start(true, "strict:2");
        // The client-side limiter far above the shard limits: Kinesis throttles often, records are retried.
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMillis(5))
                .set(ConfigKeys.PIPELINE_THREADS, (long) pipelineThreads)
                .set(ConfigKeys.RATE_LIMIT, 1_000L).set(ConfigKeys.STRICT_ORDERING, true)
                .aggregationMaxSize(262_144)); // 4 MB as ~16 aggregates: more than the shards take per second
        List<String> keys = new ArrayList<>();
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        byte[] filler = new byte[200];
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + (i % 40);
            keys.add(key);
            byte[] data = filler.clone();
            byte[] index = Integer.toString(i).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(index, 0, data, 0, index.length);
            futures.add(producer.addUserRecord("strict", key, data));
        }
        List<UserRecordResult> results = new ArrayList<>();
        for (CompletableFuture<UserRecordResult> f : futures) {
            results.add(f.get(120, TimeUnit.SECONDS));
        }
        assertThat(producer.stats().retries()).as("throttled and retried").isPositive();
        assertThat(results).anySatisfy(r -> assertThat(r.attempts().get(0).errorCode())
                .isEqualTo("ProvisionedThroughputExceededException"));
        assertThat(reorderings(keys, results)).isZero();
        assertThat(readAll("strict")).hasSize(20_000);
    }

    /** Two pipeline threads: each paces half the shard's keys, at half its rate. */
    @ParameterizedTest(name = "PipelineThreads {0}")
    @ValueSource(ints = {1, 2})
    void withLimitsOnTheLimiterKeepsThrottlingRare(int pipelineThreads) throws Exception {
        // One clock for the producer and the backend, moved only while no request is in flight: both sides see each
        // request at the same instant however slow this machine is, so what is throttled comes from how the producer
        // counts against the shard's limits, not from the timing of threads.
        ManualClock clock = new ManualClock();
        backend = KinesisBackend.builder().time(new io.runnel.backend.store.TimeSource() {
            @Override
            public long millis() {
                return clock.wallMillis();
            }

            @Override
            public long nanos() {
                return clock.nanoTime();
            }
        }).settings(io.runnel.backend.store.StoreSettings.defaults().withTransitionMillis(0).withLimits(true))
                .createStream("limited", 1).start();
        reader = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
        ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).recordMaxBufferedTime(Duration.ofMillis(20))
                .set(ConfigKeys.RATE_LIMIT, 100L).aggregationMaxSize(16_384)
                .set(ConfigKeys.PIPELINE_THREADS, (long) pipelineThreads).build();
        KinesisProducer producer = new KinesisProducer(config, KinesisProducer.clientFor(config,
                CredentialsProvider.of(Credentials.of("a", "b"))), true, clock, null);
        toClose.add(producer);
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        byte[] data = new byte[500];
        for (int i = 0; i < 5_000; i++) { // 2.5 MB into one 1 MiB/s shard: the limiter paces it
            futures.add(producer.addUserRecord("limited", "k" + (i % 100), data));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new));
        long stepsWithoutProgress = 0;
        while (!all.isDone()) {
            boolean moved = producer.runWhenNoRequestIsInFlight(() -> clock.advance(Duration.ofMillis(2)))
                    .get(60, TimeUnit.SECONDS);
            stepsWithoutProgress = moved ? 0 : stepsWithoutProgress + 1;
            assertThat(stepsWithoutProgress).as("a request stays in flight").isLessThan(1_000_000);
        }
        long throttled = 0;
        for (CompletableFuture<UserRecordResult> f : futures) {
            throttled += f.get(60, TimeUnit.SECONDS).attempts().stream()
                    .filter(a -> "ProvisionedThroughputExceededException".equals(a.errorCode())).count();
        }
        ProducerStats stats = producer.stats();
        assertThat(stats.kinesisRecordsPut()).isGreaterThan(100);
        // Throttled user-record attempts, against every user record sent. The byte accounting alone (the limiter's
        // burst is one maximum record above the shard's) predicts one refused aggregate: 31 user records, as most
        // runs show; some runs show ~340 — a source of extra throttles that issue 14 (adaptive rate control) is to
        // find. With real clocks this test asserted < 2 % and passed or failed with the machine's speed.
        assertThat(throttled).as("throttled attempts of %d records", futures.size()).isLessThan(futures.size() / 10);
        System.out.println("limits on, clocks shared: " + throttled + " throttled attempts of " + futures.size()
                + " records, " + stats.kinesisRecordsPut() + " Kinesis records");
    }

    /** Three pipeline threads: the parent and both children cross slice boundaries. */
    @ParameterizedTest(name = "PipelineThreads {0}")
    @ValueSource(ints = {1, 3})
    void aSplitDuringTheRunIsFollowedAndNothingIsLost(int pipelineThreads) throws Exception {
        start(false, "resharded:2");
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMillis(10))
                .set(ConfigKeys.PIPELINE_THREADS, (long) pipelineThreads));
        Map<String, CompletableFuture<UserRecordResult>> futures = new HashMap<>();
        for (int i = 0; i < 30_000; i++) {
            if (i == 10_000) {
                producer.flushSync();
                reader.splitShard(new io.runnel.wire.model.SplitShardRequest("resharded", null,
                        "shardId-000000000000", io.runnel.wire.HashKey.of(0x4000_0000_0000_0000L, 0)
                        .toDecimalString())).join();
            }
            String data = "r-" + i;
            futures.put(data, producer.addUserRecord("resharded", "key-" + (i % 500),
                    data.getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, UserRecordResult> results = awaitAll(futures);
        assertThat(results.values()).allSatisfy(r -> assertThat(r.successful()).isTrue());
        assertThat(results.values().stream().map(UserRecordResult::shardId).distinct())
                .contains("shardId-000000000002", "shardId-000000000003"); // the children got records
        // Count what a KCL consumer sees: a shard's consumer drops an aggregate whole when any of its user records
        // hashes outside the shard's range.
        Map<String, io.runnel.wire.HashKeyRange> ranges = new HashMap<>();
        for (var shard : reader.listShards(new ListShardsRequest("resharded", null, null, null, null, null, null))
                .join().shards()) {
            ranges.put(shard.shardId(), io.runnel.wire.HashKeyRange.parse(shard.hashKeyRange().startingHashKey(),
                    shard.hashKeyRange().endingHashKey()));
        }
        Map<String, List<DeaggregatedRecord>> aggregates = new HashMap<>(); // by shard/sequence number
        readAll("resharded").forEach((where, d) -> aggregates.computeIfAbsent(
                where.substring(0, where.lastIndexOf('/')), k -> new ArrayList<>()).add(d));
        Map<String, Integer> copies = new HashMap<>();
        aggregates.forEach((where, users) -> {
            io.runnel.wire.HashKeyRange range = ranges.get(where.substring(0, where.indexOf('/')));
            if (users.stream().allMatch(d -> range.contains(io.runnel.wire.HashKey.md5Of(d.partitionKey())))) {
                users.forEach(d -> copies.merge(new String(d.data(), StandardCharsets.UTF_8), 1, Integer::sum));
            }
        });
        assertThat(copies.keySet()).containsAll(futures.keySet()); // nothing lost
        assertThat(copies.values().stream().filter(c -> c > 1).count()).isZero(); // and no duplicates for the KCL
        results.forEach((data, r) -> assertThat(ranges.get(r.shardId()).contains(io.runnel.wire.HashKey.md5Of(
                "key-" + (Integer.parseInt(data.substring(2)) % 500)))).isTrue());
    }

    @Test
    void withoutAggregationAndWithExplicitHashKeys() throws Exception {
        start(false, "plain:2");
        KinesisProducer producer = producer(ProducerConfig.builder().aggregationEnabled(false));
        Map<String, CompletableFuture<UserRecordResult>> futures = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            futures.put("p" + i, producer.addUserRecord("plain", "k", i % 2 == 0 ? "0"
                    : "340282366920938463463374607431768211455", ("p" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Map<String, UserRecordResult> results = awaitAll(futures);
        results.forEach((data, r) -> assertThat(r.shardId()).isEqualTo(
                Integer.parseInt(data.substring(1)) % 2 == 0 ? "shardId-000000000000" : "shardId-000000000001"));
        Map<String, DeaggregatedRecord> stored = readAll("plain");
        assertDeliveredExactlyOnce(stored, results);
        assertThat(stored.values()).noneSatisfy(d -> assertThat(d.aggregated()).isTrue());
    }

    @Test
    void tinyRecordsAreHeldBackByTheShardsRecordCountBeforeAnyExpires() throws Exception {
        // 10-byte records without aggregation: the shard takes 1,000 a second, and a byte budget would let far more
        // in than it can send within RecordTtl. The caller is held back once what waits would take a quarter of
        // RecordTtl to send, so every record it was let add makes it.
        start(true, "tiny:1");
        KinesisProducer producer = producer(ProducerConfig.builder().recordTtl(Duration.ofSeconds(8))
                .aggregationEnabled(false)
                .set(io.runnel.producer.config.ConfigKeys.BACKPRESSURE_POLICY, "FAIL"));
        List<CompletableFuture<UserRecordResult>> accepted = new ArrayList<>();
        BufferFullException refused = null;
        for (int i = 0; i < 40_000 && refused == null; i++) { // 40 seconds of the shard's records
            try {
                accepted.add(producer.addUserRecord("tiny", "k" + (i % 100), new byte[10]));
            } catch (BufferFullException e) {
                refused = e;
            }
            if (i % 50 == 0) {
                Thread.sleep(1); // an application's pace, not a loop that fills the ring before the pipeline looks
            }
        }
        assertThat(refused).as("held back by the record count").isNotNull();
        assertThat(refused.getMessage()).contains("of its shard have waited a quarter of RecordTtl");
        producer.flushSync();
        for (CompletableFuture<UserRecordResult> f : accepted) {
            assertThat(f.get(2, TimeUnit.MINUTES).successful()).isTrue();
        }
    }

    @Test
    void aShardThatFallsBehindHoldsBackTheCallersOfItsKeysOnly() throws Exception {
        // Limits on, two shards. One caller keeps shard 0's share of the buffer full (4 MiB: four seconds of the
        // shard's 1 MiB/s); once shard 0's records have waited a quarter of RecordTtl (2 s), its callers are refused
        // for that (FAIL) — while another caller's records for shard 1 are taken, and none of them expire.
        start(true, "skew:2");
        KinesisProducer producer = producer(ProducerConfig.builder().recordTtl(Duration.ofSeconds(8))
                .set(io.runnel.producer.config.ConfigKeys.BACKPRESSURE_POLICY, "FAIL")
                .set(io.runnel.producer.config.ConfigKeys.MAX_BUFFERED_BYTES, 4L << 20));
        String shard0 = "0";
        String shard1 = io.runnel.wire.HashKey.MAX.toDecimalString();
        // the shard map known first: before it, what waits is counted against the whole stream
        producer.addUserRecord(new UserRecord("skew", "hot", shard0, new byte[1])).get(1, TimeUnit.MINUTES);
        List<CompletableFuture<UserRecordResult>> accepted = new ArrayList<>();
        byte[] data = new byte[10_000];
        String timeHold = "of its shard have waited a quarter of RecordTtl";
        boolean held = false;
        while (!held) {
            try {
                accepted.add(producer.addUserRecord(new UserRecord("skew", "hot", shard0, data)));
            } catch (BufferFullException e) {
                held = e.getMessage().contains(timeHold);
                if (!held) {
                    assertThat(e.getMessage()).contains("MaxBufferedBytes");
                    Thread.sleep(1); // the buffer is full: shard 0 takes it at its own pace
                }
            }
        }
        int cold = 0;
        while (cold < 20) {
            try {
                accepted.add(producer.addUserRecord(new UserRecord("skew", "cold", shard1, new byte[100])));
                cold++;
            } catch (BufferFullException e) {
                assertThat(e.getMessage()).as("shard 1's caller waits for bytes at most, never for shard 0")
                        .doesNotContain(timeHold);
                Thread.sleep(1);
            }
        }
        assertThatThrownBy(() -> producer.addUserRecord(new UserRecord("skew", "hot", shard0, data)))
                .isInstanceOf(BufferFullException.class).hasMessageContaining(timeHold);
        producer.flushSync();
        for (CompletableFuture<UserRecordResult> f : accepted) {
            assertThat(f.get(2, TimeUnit.MINUTES).successful()).isTrue();
        }
    }

    @Test
    void anotherWriterOnTheShardGetsTheProducerThrottledAndItRetriesInOrder() throws Exception {
        // The limiter counts only this producer's writes: another writer on the same shard (as when several hosts
        // produce to one stream) uses capacity it does not see, so Kinesis throttles it. Throttled records go again
        // ahead of everything later of their shard, so the order of each key holds.
        start(true, "shared:1");
        java.util.concurrent.atomic.AtomicLong otherBytes = new java.util.concurrent.atomic.AtomicLong();
        Thread other = new Thread(() -> {
            List<io.runnel.wire.model.PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                entries.add(new io.runnel.wire.model.PutRecordsRequestEntry(new byte[1000], null, "other-" + i));
            }
            while (otherBytes.get() < 5_000_000) { // about five seconds of the shard's capacity
                try {
                    var response = reader.putRecords(new io.runnel.wire.model.PutRecordsRequest("shared", null,
                            entries)).join();
                    otherBytes.addAndGet(1000L * (200
                            - (response.failedRecordCount() == null ? 0 : response.failedRecordCount())));
                } catch (java.util.concurrent.CompletionException throttledWhole) {
                    Thread.onSpinWait();
                }
            }
        }, "other-writer");
        other.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> otherBytes.get() > 500_000);
        KinesisProducer producer = producer(ProducerConfig.builder());
        Map<String, CompletableFuture<UserRecordResult>> futures = new HashMap<>();
        String filler = "|" + ".".repeat(200);
        for (int i = 0; i < 20_000; i++) { // 4 MB
            String data = i + filler;
            futures.put(data, producer.addUserRecord("shared", "k" + (i % 20),
                    data.getBytes(StandardCharsets.US_ASCII)));
        }
        Map<String, UserRecordResult> results = awaitAll(futures);
        other.join(120_000);
        assertThat(results.values()).as("records throttled, then put").anySatisfy(r -> assertThat(r.attempts())
                .hasSizeGreaterThan(1).first()
                .satisfies(a -> assertThat(a.errorCode()).isEqualTo("ProvisionedThroughputExceededException")));
        Map<String, DeaggregatedRecord> stored = readAll("shared");
        stored.values().removeIf(d -> d.partitionKey().startsWith("other-"));
        assertDeliveredExactlyOnce(stored, results);
        // per key, in the order the stream holds them (sequence number, then sub-sequence number)
        List<Map.Entry<String, DeaggregatedRecord>> inStream = new ArrayList<>(stored.entrySet());
        inStream.sort(java.util.Comparator.comparing((Map.Entry<String, DeaggregatedRecord> e) ->
                new java.math.BigInteger(e.getKey().split("/")[1])).thenComparing(e ->
                Long.parseLong(e.getKey().split("/")[2])));
        Map<String, Integer> last = new HashMap<>();
        int outOfOrder = 0;
        for (var e : inStream) {
            String text = new String(e.getValue().data(), StandardCharsets.US_ASCII);
            int index = Integer.parseInt(text.substring(0, text.indexOf('|')));
            Integer before = last.put(e.getValue().partitionKey(), index);
            if (before != null && before > index) {
                outOfOrder++;
            }
        }
        System.out.println("another writer on the shard: " + outOfOrder + " of " + stored.size()
                + " records out of order; " + producer.shardStats());
        assertThat(outOfOrder).as("records read after a later record of their key").isZero();
    }

    @Test
    void recordsForAMissingStreamFailAtOnceWithTheServicesErrorAsTheirCause() {
        start(false);
        // RecordTtl far away: only the producer's judgement that waiting cannot help can end these futures in time
        KinesisProducer producer = producer(ProducerConfig.builder().recordTtl(Duration.ofMinutes(10)));
        CompletableFuture<UserRecordResult> f = producer.addUserRecord("missing", "k", new byte[] {1});
        assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                    assertThat(e.result().lastAttempt().errorCode()).isEqualTo("ResourceNotFoundException");
                    assertThat(e).hasMessageContaining("missing");
                    assertThat(e.getCause()).isInstanceOfSatisfying(ResourceNotFoundException.class,
                            cause -> assertThat(cause.getMessage()).contains("missing"));
                });
        // The count drops right after the future's callbacks have run.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
                .until(() -> producer.getOutstandingRecordsCount() == 0);
        // a record added later asks again, and fails the same way
        CompletableFuture<UserRecordResult> later = producer.addUserRecord("missing", "k", new byte[] {2});
        assertThatThrownBy(() -> later.get(60, TimeUnit.SECONDS)).cause()
                .hasCauseInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aWrongSecretKeyFailsAtOnceWithTheSignatureErrorAsTheCause() {
        backend = KinesisBackend.builder().settings(io.runnel.backend.store.StoreSettings.defaults()
                .withTransitionMillis(0)).requireSignatures(Credentials.of("AKIDRIGHT", "right-secret"))
                .createStream("signed", 1).start();
        reader = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("AKIDRIGHT", "right-secret"))).build();
        KinesisProducer wrong = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).recordTtl(Duration.ofMinutes(10)).build(),
                CredentialsProvider.of(Credentials.of("AKIDRIGHT", "wrong-secret")));
        toClose.add(wrong);
        CompletableFuture<UserRecordResult> f = wrong.addUserRecord("signed", "k", new byte[] {1});
        assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                    assertThat(e.getCause()).isInstanceOfSatisfying(io.runnel.wire.error.AuthenticationException.class,
                            cause -> assertThat(cause.errorCode()).isEqualTo("InvalidSignatureException"));
                    assertThat(e).hasMessageContaining("InvalidSignatureException");
                });
        KinesisProducer right = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).build(),
                CredentialsProvider.of(Credentials.of("AKIDRIGHT", "right-secret")));
        toClose.add(right);
        assertThat(right.addUserRecord("signed", "k", new byte[] {1}).join().successful()).isTrue();
    }

    @Test
    void aClockTenMinutesBehindTheServicesIsRefusedOnceThenSignsWithTheServicesTime() {
        long ahead = Duration.ofMinutes(10).toMillis();
        backend = KinesisBackend.builder().settings(io.runnel.backend.store.StoreSettings.defaults()
                .withTransitionMillis(0)).time(new io.runnel.backend.store.TimeSource() {
                    @Override
                    public long millis() {
                        return System.currentTimeMillis() + ahead;
                    }

                    @Override
                    public long nanos() {
                        return System.nanoTime();
                    }
                }).requireSignatures(Credentials.of("AKIDRIGHT", "right-secret")).createStream("skewed", 2).start();
        reader = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("AKIDRIGHT", "right-secret"))).build();
        ListShardsRequest list = new ListShardsRequest("skewed", null, null, null, null, null, null);
        // a client: the first call is refused for its time, typed and retryable; the next one goes through
        assertThatThrownBy(() -> reader.listShards(list).join()).cause()
                .isInstanceOfSatisfying(io.runnel.wire.error.ClockSkewException.class, e -> {
                    assertThat(e.isRetryable()).isTrue();
                    assertThat(e.errorCode()).isEqualTo("InvalidSignatureException");
                    assertThat(e).hasMessageContaining("Signature expired");
                });
        assertThat(reader.listShards(list).join().shards()).hasSize(2);
        // the producer: its first calls are refused the same way and go again; every record is put
        KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).build(),
                CredentialsProvider.of(Credentials.of("AKIDRIGHT", "right-secret")));
        toClose.add(producer);
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(producer.addUserRecord("skewed", "k" + i, new byte[] {(byte) i}));
        }
        for (CompletableFuture<UserRecordResult> f : futures) {
            assertThat(f.join().successful()).isTrue();
        }
    }

    @Test
    void closingAProducerStopsEveryThreadItStarted() {
        start(false, "s:2");
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        for (int i = 0; i < 3; i++) {
            // with CloudWatch metrics on (to an endpoint that is not there) and three pipeline threads
            try (KinesisProducer p = producer(ProducerConfig.builder()
                    .set(io.runnel.producer.config.ConfigKeys.METRICS_LEVEL, "DETAILED")
                    .set(io.runnel.producer.config.ConfigKeys.CLOUDWATCH_ENDPOINT_URL, "http://127.0.0.1:9")
                    .set(io.runnel.producer.config.ConfigKeys.PIPELINE_THREADS, 3L))) {
                assertThat(p.addUserRecord("s", "k" + i, new byte[] {1}).join().successful()).isTrue();
                p.flushSync();
            }
        }
        // (the bundled backend starts its workers as requests come)
        org.awaitility.Awaitility.await().pollInSameThread().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !before.contains(t))
                        .map(Thread::getName).filter(name -> !name.startsWith("runnel-backend-")))
                        .as("threads left by closed producers").isEmpty());
    }

    @Test
    void badInputIsRefusedAtOnceAndClosedProducersRefuseEverything() throws Exception {
        start(false, "s:1");
        KinesisProducer producer = producer(ProducerConfig.builder());
        assertThatThrownBy(() -> producer.addUserRecord("s", "", new byte[1]))
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("PartitionKey");
        assertThatThrownBy(() -> producer.addUserRecord("s", "k", "01", new byte[1]))
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("ExplicitHashKey");
        assertThatThrownBy(() -> producer.addUserRecord("s", "k", (byte[]) null))
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("Data");
        assertThatThrownBy(() -> producer.addUserRecord(null, "k", new byte[1]))
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("StreamName");
        // without a key: only AUTO streams take it; on this USER_PARTITION_KEY stream its future fails, typed
        CompletableFuture<UserRecordResult> keyless = producer.addUserRecord("s", null, new byte[1]);
        assertThatThrownBy(() -> keyless.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("PartitionKey");
        assertThatThrownBy(() -> producer.addUserRecord("s", "k".repeat(257), new byte[1]))
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("257");
        assertThatThrownBy(() -> producer.addUserRecord("s", "k", new byte[1024 * 1024 + 1]))
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("MaxUserRecordSize");
        CompletableFuture<UserRecordResult> ok = producer.addUserRecord("s", "k", new byte[] {1});
        // a key the producer has seen is not checked again (it remembers its hash key), one it refused is, each time
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> producer.addUserRecord("s", "k\uD800", new byte[1]))
                    .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("unpaired surrogate");
            assertThatThrownBy(() -> producer.addUserRecord("s", "k", (byte[]) null))
                    .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("Data");
            assertThatThrownBy(() -> producer.addUserRecord("s", "k", "01", new byte[1]))
                    .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("ExplicitHashKey");
        }
        producer.close();
        assertThat(ok).isDone();
        assertThat(ok.get().successful()).isTrue();
        assertThatThrownBy(() -> producer.addUserRecord("s", "k", new byte[1]))
                .isInstanceOf(ProducerClosedException.class);
    }

    @Test
    void shutdownNowFailsWhatIsPendingAndAFullBufferRefusesMore() {
        start(false, "held:1");
        // records held for a minute before they go: they fill the buffer
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMinutes(1))
                .recordTtl(Duration.ofMinutes(2)).set(ConfigKeys.MAX_BUFFERED_BYTES, 1_048_576L)
                .set(ConfigKeys.BACKPRESSURE_POLICY, "FAIL"));
        List<CompletableFuture<UserRecordResult>> pending = new ArrayList<>();
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                pending.add(producer.addUserRecord("held", "k", new byte[100_000]));
            }
        }).isInstanceOf(BufferFullException.class).hasMessageContaining("MaxBufferedBytes");
        assertThat(pending).hasSizeBetween(9, 11);
        assertThat(producer.getOldestRecordTimeInMillis()).isPositive();
        producer.shutdownNow();
        assertThat(pending).allSatisfy(f -> assertThatThrownBy(() -> f.get(60, TimeUnit.SECONDS))
                .cause().isInstanceOf(ProducerClosedException.class));
        assertThat(producer.getOutstandingRecordsCount()).isZero();
    }

    @Test
    void reportsToAMicrometerRegistry() throws Exception {
        start(false, "metered:2");
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).build(),
                CredentialsProvider.of(Credentials.of("a", "b")), registry);
        toClose.add(producer);
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(producer.addUserRecord("metered", "k" + i, new byte[10]));
        }
        for (CompletableFuture<UserRecordResult> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        double put = registry.get("UserRecordsPut").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        assertThat(put).isEqualTo(1000);
        assertThat(registry.get("UserRecordsPut").counters()).hasSize(2); // one per shard
        assertThat(registry.get("UserRecordsPending").gauge().value()).isBetween(0.0, 1000.0);
    }

    @Test
    void whatIsBufferedGoesWithoutWaitingForItsDeadlineWhileCallersWaitForRoom() throws Exception {
        start(false, "full:2");
        // RecordMaxBufferedTime of an hour: nothing leaves by its deadline in this test. MaxBufferedBytes takes about
        // 26 of these records: the caller waits for room again and again, and each time the pipeline must send what
        // it has (nothing more can come until something completes) or the caller would wait out the hour.
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofHours(1))
                .recordTtl(Duration.ofHours(2)).set(ConfigKeys.MAX_BUFFERED_BYTES, 1L << 20));
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(producer.addUserRecord("full", "k" + (i % 7), new byte[20_000]));
        }
        // the caller got room for the last ones because the earlier ones completed, with no flush
        assertThat(futures.get(150).get(60, TimeUnit.SECONDS).successful()).isTrue();
        producer.flushSync();
        for (CompletableFuture<UserRecordResult> f : futures) {
            assertThat(f.get(60, TimeUnit.SECONDS).successful()).isTrue();
        }
        assertThat(readAll("full")).hasSize(200);
    }

    @Test
    void flushSyncWaitsForEveryFuture() {
        start(false, "flush:2");
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofSeconds(20))
                .recordTtl(Duration.ofSeconds(30)));
        long before = System.currentTimeMillis();
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            futures.add(producer.addUserRecord("flush", "k" + i, new byte[] {(byte) i}));
        }
        // buffered for up to 20 s: the oldest is one of these
        assertThat(producer.getOldestRecordTimeInMillis()).isBetween(before, System.currentTimeMillis());
        // a future the user completes themselves still counts once when the producer finishes the record
        futures.get(7).cancel(false);
        producer.flushSync();
        assertThat(futures).allSatisfy(f -> assertThat(f).isDone());
        assertThat(futures.get(8)).isCompleted();
        assertThat(producer.getOutstandingRecordsCount()).isZero();
        assertThat(producer.getOldestRecordTimeInMillis()).isZero();
        assertThat(producer.stats().userRecordsPut()).isEqualTo(100);
    }
}
