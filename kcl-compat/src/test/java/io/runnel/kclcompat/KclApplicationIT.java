package io.runnel.kclcompat;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.ProducerStats;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.UpdateShardCountRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.common.KinesisClientUtil;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.RetrievalConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * A real KCL 2.x consumer application (its {@link Scheduler}, leases in dynalite) reads what the producer writes to
 * the bundled backend while the stream goes from 4 to 8 shards, and sees every user record exactly once: with polling
 * (GetRecords) and with enhanced fan-out (SubscribeToShard over HTTP/2).
 *
 * <p>An aggregate built for a parent shard and put after the reshard lands on a child whose range does not hold all
 * its user records. The KCL drops such an aggregate whole when it checks the shard's range; the producer then sends
 * it again whole, so each user record reaches the application once. The KCL checks the range only of a shard in its
 * shard cache, and by default lists the shards again only after 1000 cache misses or when the cache is 30 s old: an
 * application that loaded its cache before the reshard deaggregates the children unchecked for up to 30 s, and then
 * sees the user records of such an aggregate twice (once unchecked, once resent; at-least-once, as Kinesis allows).
 * Here the cache is listed again on its first miss, so the outcome does not depend on when the KCL last listed the
 * shards.
 */
@Execution(ExecutionMode.CONCURRENT) // the two KCL bootstraps' random waits overlap (junit-platform.properties)
class KclApplicationIT {
    private static final int RECORDS = 20_000;
    private static final int KEYS = 1_000;
    private static final int RESHARD_AT = 8_000;
    private static final int SHARDS = 4;
    private static final int SHARDS_AFTER = 8;
    private static final Duration ALL_SEEN = Duration.ofSeconds(180);
    /** No user record delivered for this long after the last id was seen: stragglers (duplicates) had their chance. */
    private static final Duration QUIET = Duration.ofSeconds(2);
    private static final String REGION = "us-east-1";

    private static Dynalite dynalite;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private KinesisBackend backend;
    private NettyKinesisClient admin;

    @BeforeAll
    static void startDynalite() throws Exception {
        dynalite = Dynalite.start(Path.of(System.getProperty("runnel.kcl.dynalite.dir", "target/dynalite"))
                .toAbsolutePath());
    }

    @AfterAll
    static void stopDynalite() {
        if (dynalite != null) {
            dynalite.close();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closing(T c) {
        closeables.add(c);
        return c;
    }

    @Test
    void aPollingKclApplicationSeesEveryUserRecordOnceAcrossAReshard() throws Exception {
        run("polling");
    }

    @Test
    void anEnhancedFanOutKclApplicationSeesEveryUserRecordOnceAcrossAReshard() throws Exception {
        run("efo");
    }

    private void run(String mode) throws Exception {
        backend = closing(KinesisBackend.builder().settings(StoreSettings.defaults().withTransitionMillis(100)
                .withLimits(true)).start());
        admin = closing(NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), REGION))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build());
        String stream = "kcl-" + mode;
        admin.createStream(new CreateStreamRequest(stream, SHARDS, null, null, null, null)).join();
        awaitActive(stream);

        Tally tally = new Tally();
        Scheduler scheduler = scheduler(mode, stream, tally);
        Thread worker = new Thread(scheduler, "kcl-" + mode + "-scheduler");
        worker.setDaemon(true);
        long start = System.nanoTime();
        worker.start();
        closeables.add(() -> stop(scheduler, worker, tally));
        // A KCL 2.x worker that finds the lease table empty waits 1-30 s (at random) for another worker to fill it
        // before it lists the shards itself; the producer starts once the application reads every shard, so that it
        // reads the parents while they are written and resharded.
        Awaitility.await("the KCL application reading all " + SHARDS + " shards").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100)).until(() -> tally.initialized.size() >= SHARDS);
        long reading = System.nanoTime();

        List<UserRecordResult> results = new ArrayList<>(RECORDS);
        ProducerStats stats = produce(stream, results, tally);
        long produced = System.nanoTime();

        boolean allSeen = true;
        try {
            Awaitility.await("every user record seen by the KCL application").atMost(ALL_SEEN)
                    .pollInterval(Duration.ofMillis(200)).until(() -> tally.distinct.get() == RECORDS);
        } catch (ConditionTimeoutException e) {
            allSeen = false;
        }
        long seenAll = System.nanoTime();
        if (allSeen) {
            Awaitility.await("the KCL application quiet for " + QUIET).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> System.nanoTime() - tally.lastDelivery.get() >= QUIET.toNanos());
        }
        long quiet = System.nanoTime();
        int leasesLost = tally.leasesLost.get(); // before the shutdown, which ends every lease
        stop(scheduler, worker, tally);
        long stopped = System.nanoTime();
        // For the log only (nothing is asserted on time): where a slow run spent it.
        System.out.printf("kcl %s: reading after %d ms, produced after %d ms, all seen after %d ms, quiet after %d ms,"
                + " stopped in %d ms%n", mode, millis(start, reading), millis(start, produced), millis(start, seenAll),
                millis(start, quiet), millis(quiet, stopped));

        long seen = tally.deliveries.size();
        int distinct = tally.distinct.get();
        List<Integer> missing = new ArrayList<>();
        List<Integer> twice = new ArrayList<>();
        long duplicates = 0;
        for (int i = 0; i < RECORDS; i++) {
            int n = tally.counts.get(i);
            if (n == 0) {
                missing.add(i);
            } else if (n > 1) {
                twice.add(i);
                duplicates += n - 1;
            }
        }
        System.out.printf("kcl %s seen=%d distinct=%d missing=%d duplicates=%d%n", mode, seen, distinct,
                missing.size(), duplicates);
        System.out.printf("kcl %s: %s; shards ended %s, open %s; leases lost while reading %d, checkpoint"
                + " failures %d%n", mode, stats, new TreeSet<>(tally.ended), tally.open(), leasesLost,
                tally.checkpointFailures.get());
        if (!missing.isEmpty() || !twice.isEmpty() || tally.foreign.get() > 0) {
            System.out.println(diagnose(stream, tally, results, missing, twice));
        }
        assertThat(tally.foreign.get()).as("user records that carry no id of this run").isZero();
        assertThat(missing).as("user records the KCL application never saw").isEmpty();
        assertThat(twice).as("user records the KCL application saw more than once").isEmpty();
        assertThat(seen).isEqualTo(RECORDS);
    }

    /** Writes every record, resharding 4 → 8 part-way through; every future must succeed. */
    private ProducerStats produce(String stream, List<UserRecordResult> results, Tally tally) throws Exception {
        KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region(REGION)
                .kinesisEndpointUrl(backend.endpoint().toString()).recordMaxBufferedTime(Duration.ofMillis(50))
                .build(), CredentialsProvider.of(Credentials.of("a", "b")));
        try {
            List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>(RECORDS);
            for (int i = 0; i < RECORDS; i++) {
                if (i == RESHARD_AT) {
                    // while records are buffered, aggregated for the old shards and in flight
                    admin.updateShardCount(new UpdateShardCountRequest(stream, null, SHARDS_AFTER,
                            "UNIFORM_SCALING")).join();
                    awaitActive(stream);
                }
                futures.add(producer.addUserRecord(stream, partitionKey(i), data(i)));
                if (i == 0) {
                    // As with a producer and an application that have been running: the producer knows the 4-shard
                    // map (so records from 8,000 on are aggregated for the parents until it learns of the children)
                    // and the application is reading the parents when the stream reshards.
                    futures.get(0).get(60, TimeUnit.SECONDS);
                    Awaitility.await("record 0 seen by the KCL application").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(20)).until(() -> tally.distinct.get() >= 1);
                }
            }
            for (int i = 0; i < RECORDS; i++) {
                UserRecordResult r = futures.get(i).get(120, TimeUnit.SECONDS);
                assertThat(r.successful()).as("record %d", i).isTrue();
                results.add(r);
            }
            assertThat(producer.getOutstandingRecordsCount()).isZero();
            return producer.stats();
        } finally {
            producer.close();
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static String partitionKey(int i) {
        return "key-" + (i % KEYS);
    }

    /** 100 bytes: the id and a bar, then zeros. */
    private static byte[] data(int i) {
        byte[] data = new byte[100];
        byte[] id = (i + "|").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, data, 0, id.length);
        return data;
    }

    /** The id at the start of a user record's data, or -1 when there is none. */
    static int idOf(ByteBuffer data) {
        int id = 0;
        for (int p = data.position(), digits = 0; p < data.limit() && digits <= 9; p++, digits++) {
            byte b = data.get(p);
            if (b == '|') {
                return digits == 0 ? -1 : id;
            }
            if (b < '0' || b > '9') {
                return -1;
            }
            id = id * 10 + (b - '0');
        }
        return -1;
    }

    private Scheduler scheduler(String mode, String stream, Tally tally) {
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"));
        // As the KCL documents it: HTTP/2 with enough concurrency for a subscription per lease (used by both modes).
        KinesisAsyncClient kinesis = closing(KinesisClientUtil.createKinesisAsyncClient(KinesisAsyncClient.builder()
                .endpointOverride(URI.create(backend.endpoint().toString())).region(Region.of(REGION))
                .credentialsProvider(credentials)));
        DynamoDbAsyncClient dynamo = closing(DynamoDbAsyncClient.builder().endpointOverride(dynalite.endpoint())
                .region(Region.of(REGION)).credentialsProvider(credentials).build());
        // Metrics are off, so nothing is ever sent here.
        CloudWatchAsyncClient cloudWatch = closing(CloudWatchAsyncClient.builder()
                .endpointOverride(dynalite.endpoint()).region(Region.of(REGION)).credentialsProvider(credentials)
                .build());
        String application = "runnel-kcl-" + mode;
        ConfigsBuilder configs = new ConfigsBuilder(new SingleStreamTracker(stream,
                InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                application, kinesis, dynamo, cloudWatch, application + "-worker", () -> new Recorder(tally));
        RetrievalConfig retrieval = configs.retrievalConfig();
        if (mode.equals("polling")) {
            retrieval.retrievalSpecificConfig(new PollingConfig(stream, kinesis).idleTimeBetweenReadsInMillis(200));
        } // else the KCL's default: a FanOutConfig that registers a consumer named after the application
        return new Scheduler(
                configs.checkpointConfig(),
                configs.coordinatorConfig().parentShardPollIntervalMillis(200)
                        .shardConsumerDispatchPollIntervalMillis(100).schedulerInitializationBackoffTimeMillis(200),
                configs.leaseManagementConfig().failoverTimeMillis(3_000).shardSyncIntervalMillis(1_000)
                        .listShardsBackoffTimeInMillis(100)
                        // list the shards again on the first cache miss (see the class comment)
                        .maxCacheMissesBeforeReload(0),
                configs.lifecycleConfig().taskBackoffTimeMillis(100),
                configs.metricsConfig().metricsLevel(MetricsLevel.NONE),
                configs.processorConfig(),
                retrieval);
    }

    /**
     * Shuts the application down: gracefully first, so that each open shard's processor checkpoints in
     * shutdownRequested, then for good. KCL 2.x keeps the leases of ended parent shards until its lease cleanup deletes
     * them (5 minutes after the children started), and a graceful shutdown waits for them in vain; so it is only
     * awaited until every open shard's processor was asked to shut down, and then the scheduler is stopped.
     */
    private static void stop(Scheduler scheduler, Thread worker, Tally tally) throws InterruptedException {
        if (!worker.isAlive()) {
            return;
        }
        try {
            CompletableFuture<Boolean> graceful = scheduler.startGracefulShutdown();
            Awaitility.await("every open shard's processor asked to shut down").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> graceful.isDone()
                            || tally.shutdownRequested.containsAll(tally.open()));
        } catch (ConditionTimeoutException e) {
            System.out.println("KCL graceful shutdown: not every open shard's processor was asked to shut down: "
                    + tally.open() + " open, " + tally.shutdownRequested + " asked");
        } finally {
            scheduler.shutdown();
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void awaitActive(String stream) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeStreamSummary(
                new DescribeStreamSummaryRequest(stream, null)).join().streamDescriptionSummary().streamStatus()
                .equals("ACTIVE"));
    }

    /** Which shards the missing and repeated ids were written to and read from. */
    private String diagnose(String stream, Tally tally, List<UserRecordResult> results, List<Integer> missing,
            List<Integer> twice) {
        List<Shard> shards = admin.listShards(new ListShardsRequest(stream, null, null, null, null, null, null))
                .join().shards();
        StringBuilder out = new StringBuilder();
        out.append("shards: ").append(shards.stream().map(s -> s.shardId() + (s.parentShardId() == null ? ""
                : "<" + s.parentShardId()) + (s.sequenceNumberRange().endingSequenceNumber() == null ? "" : "(closed)"))
                .collect(Collectors.joining(", "))).append('\n');
        out.append("ended: ").append(new TreeSet<>(tally.ended)).append(", leases lost: ")
                .append(tally.leasesLost.get())
                .append(", checkpoint failures: ").append(tally.checkpointFailures.get()).append(", foreign: ")
                .append(tally.foreign.get()).append('\n');
        Map<String, Long> missingByShard = new TreeMap<>(missing.stream().collect(Collectors.groupingBy(
                i -> results.get(i).shardId() + " (key's shards " + shardsOf(shards, partitionKey(i)) + ")",
                Collectors.counting())));
        out.append("missing by the shard the producer reported: ").append(missingByShard).append('\n');
        out.append("first missing: ").append(missing.stream().limit(20).map(i -> i + "@" + results.get(i).shardId()
                + "/" + results.get(i).sequenceNumber() + "." + results.get(i).subSequenceNumber())
                .collect(Collectors.joining(", "))).append('\n');
        Map<Integer, List<String>> readFrom = new TreeMap<>();
        for (Delivery d : tally.deliveries) {
            if (d.id() >= 0 && tally.counts.get(d.id()) > 1) {
                readFrom.computeIfAbsent(d.id(), k -> new ArrayList<>()).add(d.shardId() + "/" + d.sequenceNumber()
                        + "." + d.subSequenceNumber());
            }
        }
        out.append("repeated by the shards they were read from: ").append(new TreeMap<>(readFrom.values().stream()
                .collect(Collectors.groupingBy(reads -> reads.stream().map(r -> r.substring(0, r.indexOf('/')))
                        .collect(Collectors.joining("+")), Collectors.counting())))).append('\n');
        out.append("first repeated: ").append(readFrom.entrySet().stream().limit(20).map(e -> e.getKey() + "@"
                + results.get(e.getKey()).shardId() + " read from " + e.getValue())
                .collect(Collectors.joining("; ")));
        return out.toString();
    }

    private static String shardsOf(List<Shard> shards, String partitionKey) {
        HashKey h = HashKey.md5Of(partitionKey);
        return shards.stream().filter(s -> HashKeyRange.parse(s.hashKeyRange().startingHashKey(),
                s.hashKeyRange().endingHashKey()).contains(h)).map(Shard::shardId).collect(Collectors.joining("+"));
    }

    /** One user record handed to a record processor. */
    record Delivery(int id, String shardId, String sequenceNumber, long subSequenceNumber) {
    }

    /** What the application saw, shared by its record processors. */
    static final class Tally {
        final AtomicIntegerArray counts = new AtomicIntegerArray(RECORDS);
        final AtomicInteger distinct = new AtomicInteger();
        final AtomicInteger foreign = new AtomicInteger();
        final AtomicInteger leasesLost = new AtomicInteger();
        final AtomicInteger checkpointFailures = new AtomicInteger();
        /** System.nanoTime() of the last user record delivered. */
        final AtomicLong lastDelivery = new AtomicLong(System.nanoTime());
        final Queue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
        final Set<String> initialized = ConcurrentHashMap.newKeySet();
        final Set<String> ended = ConcurrentHashMap.newKeySet();
        final Set<String> shutdownRequested = ConcurrentHashMap.newKeySet();

        /** Shards that a processor was started for and that did not end. */
        Set<String> open() {
            Set<String> open = new TreeSet<>(initialized);
            open.removeAll(ended);
            return open;
        }

        void record(Delivery d) {
            deliveries.add(d);
            if (d.id() < 0 || d.id() >= RECORDS) {
                foreign.incrementAndGet();
            } else if (counts.getAndIncrement(d.id()) == 0) {
                distinct.incrementAndGet();
            }
            lastDelivery.set(System.nanoTime());
        }
    }

    /** The application's record processor: notes each user record's id and checkpoints after every batch. */
    static final class Recorder implements ShardRecordProcessor {
        private final Tally tally;
        private String shardId;

        Recorder(Tally tally) {
            this.tally = tally;
        }

        @Override
        public void initialize(InitializationInput input) {
            shardId = input.shardId();
            tally.initialized.add(shardId);
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            for (KinesisClientRecord r : input.records()) {
                tally.record(new Delivery(idOf(r.data()), shardId, r.sequenceNumber(), r.subSequenceNumber()));
            }
            checkpoint(input.checkpointer());
        }

        @Override
        public void leaseLost(LeaseLostInput input) {
            tally.leasesLost.incrementAndGet();
        }

        @Override
        public void shardEnded(ShardEndedInput input) {
            tally.ended.add(shardId);
            checkpoint(input.checkpointer());
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            checkpoint(input.checkpointer());
            tally.shutdownRequested.add(shardId);
        }

        private void checkpoint(RecordProcessorCheckpointer checkpointer) {
            try {
                checkpointer.checkpoint();
            } catch (KinesisClientLibException e) { // ShutdownException too: the lease was lost meanwhile
                tally.checkpointFailures.incrementAndGet();
            }
        }
    }
}
