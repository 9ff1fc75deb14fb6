package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.TlsMaterial;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Protocol;
import io.runnel.wire.auth.Credentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ChildShard;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEvent;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardEventStream;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardRequest;
import software.amazon.awssdk.services.kinesis.model.SubscribeToShardResponseHandler;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The AWS SDK v2's {@code KinesisAsyncClient.subscribeToShard} over its Netty HTTP/2 client against the backend:
 * plain-text h2 (prior knowledge) and TLS with ALPN, in CBOR (the SDK's default) and JSON.
 */
class SubscribeToShardIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** One event loop group for every SDK client of the class: closing a client then does not wait for its own. */
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
    void closeAll() throws Exception {
        // Backends first: their connections close, so no client waits for a subscription still streaming to it.
        for (AutoCloseable c : closeables) {
            if (c instanceof KinesisBackend) {
                c.close();
            }
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            if (!(closeables.get(i) instanceof KinesisBackend)) {
                closeables.get(i).close();
            }
        }
    }

    /** The backend's clock: a test ends subscriptions by moving it past their duration, instead of waiting. */
    private final SkippingTime time = new SkippingTime();

    private KinesisBackend backend(Duration subscriptionDuration, boolean tls) {
        KinesisBackend.Builder b = KinesisBackend.builder().settings(StoreSettings.defaults().withTransitionMillis(100))
                .subscriptionDuration(subscriptionDuration).time(time);
        if (tls) {
            // Over TLS, also require the SDK's SigV4 signatures: they must verify on HTTP/2 requests too.
            b.tls(0, TlsMaterial.selfSigned(tmp)).requireSignatures(Credentials.of("AKID", "SECRET"));
        }
        KinesisBackend backend = b.start();
        closeables.add(backend);
        return backend;
    }

    private KinesisAsyncClient client(URI endpoint, Protocol protocol) {
        return client(endpoint, protocol, "SECRET");
    }

    private KinesisAsyncClient client(URI endpoint, Protocol protocol, String secret) {
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                .protocol(software.amazon.awssdk.http.Protocol.HTTP2).eventLoopGroup(sdkLoops)
                .buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, true).build());
        closeables.add(http);
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", Boolean.toString(protocol == Protocol.CBOR));
        try {
            KinesisAsyncClient c = KinesisAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", secret)))
                    .httpClient(http).overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none())).build();
            closeables.add(c);
            return c;
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }

    /** Creates a stream over HTTP/2 (ordinary actions share the h2 connection) and registers an ACTIVE consumer. */
    private static String streamWithConsumer(KinesisAsyncClient kinesis, String stream, int shards) {
        kinesis.createStream(r -> r.streamName(stream).shardCount(shards)).join();
        await().atMost(WAIT).until(() -> kinesis.describeStreamSummary(r -> r.streamName(stream)).join()
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        String streamArn = kinesis.describeStreamSummary(r -> r.streamName(stream)).join().streamDescriptionSummary()
                .streamARN();
        String consumerArn = kinesis.registerStreamConsumer(r -> r.streamARN(streamArn).consumerName("app")).join()
                .consumer().consumerARN();
        assertThat(consumerArn).startsWith(streamArn + "/consumer/app:");
        await().atMost(WAIT).until(() -> kinesis.describeStreamConsumer(r -> r.consumerARN(consumerArn)).join()
                .consumerDescription().consumerStatus() == ConsumerStatus.ACTIVE);
        return consumerArn;
    }

    private static void put(KinesisAsyncClient kinesis, String stream, String prefix, int from, int to) {
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = from; i < to; i++) {
            entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + (i % 7))
                    .data(SdkBytes.fromString(prefix + i, StandardCharsets.UTF_8)).build());
        }
        assertThat(kinesis.putRecords(r -> r.streamName(stream).records(entries)).join().failedRecordCount()).isZero();
    }

    /** One running subscription: its events, and a future that completes when the event stream ends. */
    private record Subscription(List<SubscribeToShardEvent> events, CompletableFuture<Void> done) {
        List<String> data() {
            List<String> out = new ArrayList<>();
            for (SubscribeToShardEvent e : events) {
                for (Record r : e.records()) {
                    out.add(r.data().asUtf8String());
                }
            }
            return out;
        }

        SubscribeToShardEvent last() {
            return events.get(events.size() - 1);
        }
    }

    private static Subscription subscribe(KinesisAsyncClient kinesis, String consumerArn, String shardId,
            Consumer<software.amazon.awssdk.services.kinesis.model.StartingPosition.Builder> start) {
        List<SubscribeToShardEvent> events = new CopyOnWriteArrayList<>();
        SubscribeToShardResponseHandler handler = SubscribeToShardResponseHandler.builder()
                .subscriber(SubscribeToShardResponseHandler.Visitor.builder().onSubscribeToShardEvent(events::add)
                        .build())
                .build();
        CompletableFuture<Void> done = kinesis.subscribeToShard(SubscribeToShardRequest.builder()
                .consumerARN(consumerArn).shardId(shardId).startingPosition(start).build(), handler);
        return new Subscription(events, done);
    }

    private static List<String> expected(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyRecordPutBeforeAndDuringTheSubscriptionArrivesInOrder(Protocol protocol) throws Exception {
        KinesisBackend backend = backend(Duration.ofMinutes(5), false);
        KinesisAsyncClient kinesis = client(backend.endpoint(), protocol);
        String consumer = streamWithConsumer(kinesis, "fan", 1);
        put(kinesis, "fan", "r", 0, 300);

        Subscription s = subscribe(kinesis, consumer, "shardId-000000000000",
                p -> p.type(ShardIteratorType.TRIM_HORIZON));
        await().atMost(WAIT).until(() -> s.data().size() == 300);
        for (int batch = 300; batch < 600; batch += 50) {
            put(kinesis, "fan", "r", batch, batch + 50);
        }
        await().atMost(WAIT).until(() -> s.data().size() == 600);
        assertThat(s.data()).containsExactlyElementsOf(expected("r", 0, 600));
        List<Record> all = s.events().stream().flatMap(e -> e.records().stream()).toList();
        SubscribeToShardEvent last = s.last();
        assertThat(last.continuationSequenceNumber()).isEqualTo(all.get(all.size() - 1).sequenceNumber());
        assertThat(last.millisBehindLatest()).isZero();
        assertThat(last.childShards()).isEmpty();

        // The subscription ends after its duration (5 minutes, as on Kinesis, gone by in an instant on the backend's
        // clock), and the consumer may subscribe again where it left off.
        assertThat(s.done()).isNotDone();
        time.skip(Duration.ofMinutes(5));
        s.done().get(60, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 0);
        put(kinesis, "fan", "r", 600, 610);
        Subscription again = subscribe(kinesis, consumer, "shardId-000000000000",
                p -> p.type(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                        .sequenceNumber(last.continuationSequenceNumber()));
        await().atMost(WAIT).until(() -> again.data().size() == 10);
        assertThat(again.data()).containsExactlyElementsOf(expected("r", 600, 610));
        time.skip(Duration.ofMinutes(5));
        again.done().get(60, TimeUnit.SECONDS);
    }

    @Test
    void everyStartingPositionStartsWhereGetShardIteratorWould() throws Exception {
        KinesisBackend backend = backend(Duration.ofSeconds(30), false);
        KinesisAsyncClient kinesis = client(backend.endpoint(), Protocol.CBOR);
        String consumer = streamWithConsumer(kinesis, "positions", 1);
        put(kinesis, "positions", "p", 0, 10);
        String third = kinesis.getRecords(r -> r.shardIterator(kinesis.getShardIterator(i -> i.streamName("positions")
                .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join()
                .shardIterator())).join().records().get(2).sequenceNumber();
        String shard = "shardId-000000000000";

        Subscription at = subscribe(kinesis, consumer, shard, p -> p.type(ShardIteratorType.AT_SEQUENCE_NUMBER)
                .sequenceNumber(third));
        await().atMost(WAIT).until(() -> at.data().size() == 8);
        closeSubscription(backend, at);
        Subscription after = subscribe(kinesis, consumer, shard, p -> p.type(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                .sequenceNumber(third));
        await().atMost(WAIT).until(() -> after.data().size() == 7);
        closeSubscription(backend, after);
        Subscription stamp = subscribe(kinesis, consumer, shard, p -> p.type(ShardIteratorType.AT_TIMESTAMP)
                .timestamp(java.time.Instant.now().minusSeconds(60)));
        await().atMost(WAIT).until(() -> stamp.data().size() == 10);
        closeSubscription(backend, stamp);
        Subscription latest = subscribe(kinesis, consumer, shard, p -> p.type(ShardIteratorType.LATEST));
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 1 && !latest.events().isEmpty());
        put(kinesis, "positions", "p", 10, 12);
        await().atMost(WAIT).until(() -> latest.data().size() == 2);
        assertThat(at.data()).containsExactlyElementsOf(expected("p", 2, 10));
        assertThat(after.data()).containsExactlyElementsOf(expected("p", 3, 10));
        assertThat(latest.data()).containsExactly("p10", "p11");
        closeSubscription(backend, latest);
    }

    /** Cancels a subscription from the client side and waits until the backend let go of it. */
    private static void closeSubscription(KinesisBackend backend, Subscription s) {
        s.done().cancel(true);
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 0);
    }

    @Test
    void aClosedShardEndsWithItsChildShardsAndTheChildrenContinue() throws Exception {
        KinesisBackend backend = backend(Duration.ofSeconds(60), false);
        KinesisAsyncClient kinesis = client(backend.endpoint(), Protocol.CBOR);
        String consumer = streamWithConsumer(kinesis, "split", 1);
        put(kinesis, "split", "before", 0, 100);
        Subscription parent = subscribe(kinesis, consumer, "shardId-000000000000",
                p -> p.type(ShardIteratorType.TRIM_HORIZON));
        await().atMost(WAIT).until(() -> parent.data().size() == 100);

        kinesis.splitShard(r -> r.streamName("split").shardToSplit("shardId-000000000000")
                .newStartingHashKey("170141183460469231731687303715884105728")).join();
        parent.done().get(60, TimeUnit.SECONDS); // the parent's stream ends at once, without waiting for its duration
        SubscribeToShardEvent end = parent.last();
        assertThat(end.continuationSequenceNumber()).isNull();
        assertThat(end.childShards()).extracting(ChildShard::shardId)
                .containsExactly("shardId-000000000001", "shardId-000000000002");
        assertThat(end.childShards()).allSatisfy(c -> assertThat(c.parentShards())
                .containsExactly("shardId-000000000000"));
        assertThat(parent.data()).containsExactlyElementsOf(expected("before", 0, 100));

        await().atMost(WAIT).until(() -> kinesis.describeStreamSummary(r -> r.streamName("split")).join()
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
        List<Subscription> children = new ArrayList<>();
        for (ChildShard child : end.childShards()) {
            children.add(subscribe(kinesis, consumer, child.shardId(), p -> p.type(ShardIteratorType.TRIM_HORIZON)));
        }
        put(kinesis, "split", "after", 0, 200);
        await().atMost(WAIT).until(() -> children.get(0).data().size() + children.get(1).data().size() == 200);
        List<String> received = new ArrayList<>(children.get(0).data());
        received.addAll(children.get(1).data());
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected("after", 0, 200));
        for (Subscription child : children) {
            // Within a shard, records keep the order they were put in.
            List<Integer> order = child.data().stream().map(d -> Integer.parseInt(d.substring(5))).toList();
            assertThat(order).isSorted();
            assertThat(child.last().continuationSequenceNumber()).isNotNull();
        }
    }

    @Test
    void aSecondSubscriptionOfTheSameConsumerAndShardIsRefusedWhileTheFirstRuns() throws Exception {
        KinesisBackend backend = backend(Duration.ofSeconds(60), false);
        KinesisAsyncClient kinesis = client(backend.endpoint(), Protocol.JSON);
        String consumer = streamWithConsumer(kinesis, "busy", 2);
        Subscription first = subscribe(kinesis, consumer, "shardId-000000000000",
                p -> p.type(ShardIteratorType.LATEST));
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 1);

        Subscription second = subscribe(kinesis, consumer, "shardId-000000000000",
                p -> p.type(ShardIteratorType.TRIM_HORIZON));
        assertThat(causeOf(second.done())).isInstanceOf(ResourceInUseException.class);
        Subscription otherShard = subscribe(kinesis, consumer, "shardId-000000000001",
                p -> p.type(ShardIteratorType.LATEST));
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 2);
        assertThat(causeOf(subscribe(kinesis, consumer, "shardId-000000000009",
                p -> p.type(ShardIteratorType.LATEST)).done())).isInstanceOf(ResourceNotFoundException.class);
        // an unknown consumer: a well-formed ARN (another creation time), since one off the model's pattern is a
        // ValidationException before any consumer is looked up
        assertThat(causeOf(subscribe(kinesis, consumer + "0", "shardId-000000000000",
                p -> p.type(ShardIteratorType.LATEST)).done())).isInstanceOf(ResourceNotFoundException.class);
        assertThat(first.done()).isNotDone();
        assertThat(otherShard.done()).isNotDone();

        // Once the first one is gone, the consumer may subscribe to the shard again.
        otherShard.done().cancel(true);
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 1);
        closeSubscription(backend, first);
        Subscription third = subscribe(kinesis, consumer, "shardId-000000000000",
                p -> p.type(ShardIteratorType.TRIM_HORIZON));
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 1);
        List<PutRecordsRequestEntry> toShard0 = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            toShard0.add(PutRecordsRequestEntry.builder().partitionKey("k").explicitHashKey("0")
                    .data(SdkBytes.fromUtf8String("x" + i)).build());
        }
        kinesis.putRecords(r -> r.streamName("busy").records(toShard0)).join();
        await().atMost(WAIT).until(() -> third.data().size() == 20);
        assertThat(third.data()).containsExactlyElementsOf(expected("x", 0, 20));
    }

    @Test
    void overTlsWithAlpnTheSdkNegotiatesHttp2AndReceivesRecordsWithSignaturesChecked() throws Exception {
        KinesisBackend backend = backend(Duration.ofSeconds(60), true);
        KinesisAsyncClient kinesis = client(backend.tlsEndpoint(), Protocol.CBOR);
        String consumer = streamWithConsumer(kinesis, "secure", 1);
        Subscription s = subscribe(kinesis, consumer, "shardId-000000000000",
                p -> p.type(ShardIteratorType.LATEST));
        await().atMost(WAIT).until(() -> backend.activeSubscriptions() == 1 && !s.events().isEmpty());
        put(kinesis, "secure", "tls", 0, 100);
        await().atMost(WAIT).until(() -> s.data().size() == 100);
        assertThat(s.data()).containsExactlyElementsOf(expected("tls", 0, 100));

        KinesisAsyncClient forger = client(backend.tlsEndpoint(), Protocol.CBOR, "not-the-secret");
        Throwable refused = causeOf(subscribe(forger, consumer, "shardId-000000000001",
                p -> p.type(ShardIteratorType.LATEST)).done());
        assertThat(refused).isInstanceOfSatisfying(KinesisException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
    }

    private static Throwable causeOf(CompletableFuture<?> f) throws Exception {
        try {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the subscription succeeded");
    }
}
