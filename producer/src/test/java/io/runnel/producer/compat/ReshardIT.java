package io.runnel.producer.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.OnDemandScaling;
import io.runnel.backend.store.StoreSettings;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.ProducerStats;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.testing.KclView;
import io.runnel.testing.Faults;
import io.runnel.testing.FaultyProxy;
import io.runnel.wire.Endpoint;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.MergeShardsRequest;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.SplitShardRequest;
import io.runnel.wire.model.StreamModeDetails;
import io.runnel.wire.model.UpdateShardCountRequest;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * A stream resharded while the producer writes to it (UpdateShardCount up and down, SplitShard, MergeShards, several
 * in a row; the shard limits on and off): no user record may be lost to a KCL consumer, nor seen twice by one. Read
 * back with the KCL's own deaggregation and each shard's range, which drops an aggregate whole when any of its user
 * records lies outside the shard.
 */
class ReshardIT {
    private static final int RECORDS = 20_000;
    private static final int KEYS = 2_000;

    private KinesisBackend backend;
    private NettyKinesisClient admin;
    private KinesisAsyncClient sdk;
    private KinesisProducer producer;
    private FaultyProxy proxy; // between the producer and the backend, when the endpoint is far

    /** One reshard, done at record {@code at} of the run. */
    record Step(int at, String what, BiConsumer<ReshardIT, String> action) {
        @Override
        public String toString() {
            return what + " at " + at;
        }
    }

    static Stream<Arguments> reshards() {
        List<Arguments> out = new ArrayList<>();
        // Three pipeline threads: slices of the key space that the shards before and after cross.
        for (int threads : new int[] {1, 3}) {
            for (boolean limits : new boolean[] {false, true}) {
                out.add(Arguments.of(limits, 4, List.of(new Step(5_000, "UpdateShardCount 8", scale(8))), threads));
                out.add(Arguments.of(limits, 6, List.of(new Step(5_000, "UpdateShardCount 3", scale(3))), threads));
                out.add(Arguments.of(limits, 2, List.of(new Step(5_000, "SplitShard", ReshardIT::split)), threads));
                out.add(Arguments.of(limits, 4, List.of(new Step(5_000, "MergeShards", ReshardIT::merge)), threads));
                out.add(Arguments.of(limits, 3, List.of(new Step(3_000, "UpdateShardCount 6", scale(6)),
                        new Step(7_000, "SplitShard", ReshardIT::split), new Step(11_000, "MergeShards",
                                ReshardIT::merge), new Step(15_000, "UpdateShardCount 3", scale(3))), threads));
            }
        }
        return out.stream();
    }

    private static BiConsumer<ReshardIT, String> scale(int target) {
        return (test, stream) -> test.admin.updateShardCount(new UpdateShardCountRequest(stream, null, target,
                "UNIFORM_SCALING")).join();
    }

    private List<Shard> openShards(String stream) {
        return admin.listShards(new ListShardsRequest(stream, null, null, null, null, null, null)).join().shards()
                .stream().filter(s -> s.sequenceNumberRange().endingSequenceNumber() == null)
                .sorted(Comparator.comparing(s -> HashKey.parseDecimal(s.hashKeyRange().startingHashKey())))
                .toList();
    }

    private static HashKeyRange range(Shard s) {
        return HashKeyRange.parse(s.hashKeyRange().startingHashKey(), s.hashKeyRange().endingHashKey());
    }

    /** Splits the widest open shard a third of the way in (not in the middle, unlike UpdateShardCount). */
    private void split(String stream) {
        Shard widest = openShards(stream).stream().max(Comparator.comparing(s -> {
            HashKeyRange r = range(s);
            return r.endInclusive().subtract(r.startInclusive());
        })).orElseThrow();
        HashKeyRange r = range(widest);
        HashKey at = r.startInclusive().add(r.endInclusive().subtract(r.startInclusive()).divide(3));
        admin.splitShard(new SplitShardRequest(stream, null, widest.shardId(), at.toDecimalString())).join();
    }

    /** Merges the first two adjacent open shards. */
    private void merge(String stream) {
        List<Shard> open = openShards(stream);
        admin.mergeShards(new MergeShardsRequest(stream, null, open.get(0).shardId(), open.get(1).shardId())).join();
    }

    private void awaitActive(String stream) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeStreamSummary(
                new DescribeStreamSummaryRequest(stream, null)).join().streamDescriptionSummary().streamStatus()
                .equals("ACTIVE"));
    }

    /** One event loop group for the SDK clients of every test: closing a client then does not wait for its own. */
    private static SdkEventLoopGroup sdkLoops;

    @BeforeAll
    static void startLoops() {
        sdkLoops = SdkEventLoopGroup.builder().numberOfThreads(2).build();
    }

    @AfterAll
    static void stopLoops() {
        sdkLoops.eventLoopGroup().shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        sdk.close();
        admin.close();
        backend.close();
    }

    private void start(boolean limits, OnDemandScaling scaling, int pipelineThreads) {
        start(limits, scaling, pipelineThreads, 0);
    }

    /** With {@code delayMillis} above 0 the producer reaches the backend through a proxy that adds it each way. */
    private void start(boolean limits, OnDemandScaling scaling, int pipelineThreads, long delayMillis) {
        backend = KinesisBackend.builder().settings(StoreSettings.defaults().withTransitionMillis(100)
                .withLimits(limits)).onDemandScaling(scaling).start();
        String producerEndpoint = backend.endpoint().toString();
        if (delayMillis > 0) {
            proxy = FaultyProxy.start(backend.endpoint().getHost(), backend.endpoint().getPort(),
                    Faults.none().withChunkDelayMillis(delayMillis));
            producerEndpoint = "http://127.0.0.1:" + proxy.port();
        }
        admin = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
        sdk = KinesisAsyncClient.builder().endpointOverride(URI.create(backend.endpoint().toString()))
                .region(Region.US_EAST_1).httpClientBuilder(NettyNioAsyncHttpClient.builder().eventLoopGroup(sdkLoops))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
        producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(producerEndpoint).recordMaxBufferedTime(Duration.ofMillis(50))
                .set(io.runnel.producer.config.ConfigKeys.PIPELINE_THREADS, (long) pipelineThreads)
                .build(), CredentialsProvider.of(Credentials.of("a", "b")));
    }

    @ParameterizedTest(name = "limits {0}, {1} shards, {2}, PipelineThreads {3}")
    @MethodSource("reshards")
    void noUserRecordIsLostToKclConsumersAcrossAReshard(boolean limits, int shards, List<Step> steps,
            int pipelineThreads) throws Exception {
        start(limits, OnDemandScaling.OFF, pipelineThreads);
        String stream = "resharded";
        admin.createStream(new CreateStreamRequest(stream, shards, null, null, null, null)).join();
        awaitActive(stream);
        KclView view = writeAndCheck(stream, RECORDS, 100, steps,
                String.format("%s (limits %s, %d shards, %d pipeline threads)",
                steps, limits ? "on" : "off", shards, pipelineThreads));
        if (!limits) {
            // Nothing refused anything: a reshard alone must not reorder a key's records (with limits on, a throttled
            // record may land after later ones of its key unless StrictOrdering is set: see docs/producer.md)
            assertThat(outOfOrder(view)).as("records a KCL application reads after a later one of their key")
                    .isZero();
        }
    }

    /**
     * Behind a 100 ms round trip every shard starts with several lanes and keeps several aggregates in flight and
     * queued: a reshard re-packs them all for the new shards, and what was in flight lands on a closed shard's child.
     */
    @ParameterizedTest(name = "limits {0}")
    @ValueSource(booleans = {false, true})
    void aFarEndpointReshardedWhileItWritesLosesNothingToKclConsumers(boolean limits) throws Exception {
        start(limits, OnDemandScaling.OFF, 1, 50);
        String stream = "far";
        admin.createStream(new CreateStreamRequest(stream, 3, null, null, null, null)).join();
        awaitActive(stream);
        List<Step> steps = List.of(new Step(3_000, "UpdateShardCount 6", scale(6)),
                new Step(8_000, "SplitShard", ReshardIT::split), new Step(13_000, "MergeShards", ReshardIT::merge));
        KclView view = writeAndCheck(stream, RECORDS, 100, steps, String.format("%s behind 50 ms each way (limits %s)",
                steps, limits ? "on" : "off"));
        if (!limits) {
            assertThat(outOfOrder(view)).as("records a KCL application reads after a later one of their key")
                    .isZero();
        }
    }

    @ParameterizedTest(name = "PipelineThreads {0}")
    @ValueSource(ints = {1, 3})
    void anOnDemandStreamScalesUnderTheProducerAndNoUserRecordIsLost(int pipelineThreads) throws Exception {
        start(true, OnDemandScaling.fast(), pipelineThreads);
        String stream = "on-demand";
        admin.createStream(new CreateStreamRequest(stream, null, new StreamModeDetails("ON_DEMAND"), null, null,
                null)).join();
        awaitActive(stream);
        // 20 MB against 4 MiB/s of starting capacity: busy shards split while the run goes on, with no one asking
        writeAndCheck(stream, 20_000, 1_000, List.of(), "on-demand scaling (limits on)");
        // split while it ran (idle shards merge back within seconds, so count the closed ones too)
        assertThat(admin.listShards(new ListShardsRequest(stream, null, null, null, null, null, null)).join().shards())
                .as("shards, open and closed, after the run").hasSizeGreaterThan(4);
    }

    private static long outOfOrder(KclView view) {
        return view.outOfOrder(id -> "key-" + (Integer.parseInt(id) % KEYS), Long::parseLong);
    }

    /** Writes {@code records} records (resharding at each step), then checks them as a KCL consumer reads them. */
    private KclView writeAndCheck(String stream, int records, int size, List<Step> steps, String what)
            throws Exception {
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>(records);
        int next = 0;
        for (int i = 0; i < records; i++) {
            if (next < steps.size() && steps.get(next).at() == i) {
                // while records are buffered, aggregated for the old shards and in flight
                steps.get(next++).action().accept(this, stream);
                awaitActive(stream);
            }
            byte[] data = new byte[size]; // its id, then zeros
            byte[] id = (i + "|").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(id, 0, data, 0, id.length);
            futures.add(producer.addUserRecord(stream, "key-" + (i % KEYS), data));
        }
        Map<String, UserRecordResult> results = new HashMap<>();
        for (int i = 0; i < records; i++) {
            UserRecordResult r = futures.get(i).get(120, TimeUnit.SECONDS);
            assertThat(r.successful()).as("record %d", i).isTrue();
            results.put(Integer.toString(i), r);
        }

        KclView view = KclView.read(sdk, stream, ReshardIT::idOf);
        ProducerStats stats = producer.stats();
        for (int i = 0; i < records; i++) {
            assertThat(view.kcl().getOrDefault(Integer.toString(i), 0)).as("record %d as a KCL consumer sees it", i)
                    .isEqualTo(1);
        }
        assertThat(view.kcl()).hasSize(records);
        // each result names the shard where a KCL consumer reads it
        Map<String, HashKeyRange> ranges = new HashMap<>();
        admin.listShards(new ListShardsRequest(stream, null, null, null, null, null, null)).join().shards()
                .forEach(s -> ranges.put(s.shardId(), range(s)));
        results.forEach((i, r) -> assertThat(ranges.get(r.shardId()).contains(HashKey.md5Of(
                "key-" + (Integer.parseInt(i) % KEYS)))).as("record %s on %s", i, r.shardId()).isTrue());
        System.out.printf("reshard %s: %d user records, %d written twice to the raw stream (%d in aggregates the KCL"
                + " drops, %d aggregates sent again), none lost or seen twice by the KCL, %d out of key order; %d"
                + " shards in all%n", what, records, view.rawDuplicates(), view.dropped(), stats.aggregatesResent(),
                outOfOrder(view), ranges.size());
        assertThat(view.dropped()).as("user records in aggregates the KCL drops")
                .isLessThanOrEqualTo(view.rawDuplicates());
        return view;
    }

    private static String idOf(ByteBuffer data) {
        byte[] head = new byte[Math.min(data.remaining(), 12)];
        data.duplicate().get(head);
        String s = new String(head, StandardCharsets.US_ASCII);
        return s.substring(0, s.indexOf('|'));
    }
}
