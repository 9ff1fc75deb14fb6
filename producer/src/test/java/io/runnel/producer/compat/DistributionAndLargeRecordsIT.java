package io.runnel.producer.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.StreamModeDetails;
import io.runnel.wire.model.UpdateMaxRecordSizeRequest;
import io.runnel.wire.model.UpdateStreamRecordDistributionStrategyRequest;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Service-managed distribution (AUTO) and large records against the bundled backend, read back with the AWS SDK v2
 * and deaggregated the way the KCL does: every record arrives exactly once, and none is dropped by deaggregation.
 */
class DistributionAndLargeRecordsIT {
    private KinesisBackend backend;
    private NettyKinesisClient admin;
    private KinesisAsyncClient sdk;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void start() {
        backend = KinesisBackend.builder().settings(StoreSettings.defaults().withTransitionMillis(0)
                .withLimits(false)).start();
        admin = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
        sdk = KinesisAsyncClient.builder().endpointOverride(URI.create(backend.endpoint().toString()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        sdk.close();
        admin.close();
        backend.close();
    }

    private KinesisProducer producer(ProducerConfig.Builder config) {
        KinesisProducer p = new KinesisProducer(config.region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString()).build(),
                CredentialsProvider.of(Credentials.of("a", "b")));
        toClose.add(p);
        return p;
    }

    private String arnOf(String stream) {
        return admin.describeStreamSummary(new DescribeStreamSummaryRequest(stream, null)).join()
                .streamDescriptionSummary().streamARN();
    }

    /** Every user record as a KCL record processor of each shard sees it (user records outside its range dropped). */
    private Map<String, Integer> readAsTheKcl(String stream) {
        Map<String, Integer> copies = new HashMap<>();
        AggregatorUtil kcl = new AggregatorUtil();
        for (Shard shard : sdk.listShards(r -> r.streamName(stream)).join().shards()) {
            String it = sdk.getShardIterator(r -> r.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator();
            List<KinesisClientRecord> raw = new ArrayList<>();
            while (it != null) {
                String from = it;
                GetRecordsResponse page = sdk.getRecords(r -> r.shardIterator(from).limit(10_000)).join();
                page.records().forEach(r -> raw.add(KinesisClientRecord.builder().partitionKey(r.partitionKey())
                        .sequenceNumber(r.sequenceNumber()).data(r.data().asByteBuffer()).build()));
                if (page.records().isEmpty()) {
                    break;
                }
                it = page.nextShardIterator();
            }
            for (KinesisClientRecord user : kcl.deaggregate(raw,
                    new BigInteger(shard.hashKeyRange().startingHashKey()),
                    new BigInteger(shard.hashKeyRange().endingHashKey()))) {
                ByteBuffer d = user.data();
                byte[] bytes = new byte[Math.min(d.remaining(), 16)];
                d.get(bytes);
                String id = new String(bytes, StandardCharsets.US_ASCII);
                copies.merge(id.substring(0, id.indexOf('|')), 1, Integer::sum);
            }
        }
        return copies;
    }

    private static byte[] record(int i, int size) {
        byte[] data = new byte[size];
        byte[] head = (i + "|").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, data, 0, head.length);
        return data;
    }

    @Test
    void aStrategySwitchDuringARunLosesNothingAndNothingReachesTheAutoStreamAggregated() throws Exception {
        admin.createStream(new CreateStreamRequest("switching", null, new StreamModeDetails("ON_DEMAND"), null, null,
                null)).join();
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMillis(50))
                .set(ConfigKeys.DESCRIBE_STREAM_SUMMARY_INTERVAL_MS, 1_000L));
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (i == 10_000) {
                // records are still buffered and in flight as the stream changes under the producer
                admin.updateStreamRecordDistributionStrategy(new UpdateStreamRecordDistributionStrategyRequest(
                        arnOf("switching"), null, "AUTO")).join();
            }
            if (i >= 10_000 && i % 1_000 == 0) {
                Thread.sleep(200); // spread the second half over the producer's next strategy check
            }
            if (i == 19_000) {
                // the last thousand go once the producer knows the stream is AUTO: it takes a keyless record only then
                int[] probe = {20_001};
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> producer.addUserRecord("switching",
                        record(probe[0]++, 100)).handle((r, e) -> e == null).get(60, TimeUnit.SECONDS));
            }
            futures.add(producer.addUserRecord("switching", "key-" + (i % 300), record(i, 100)));
        }
        for (CompletableFuture<UserRecordResult> f : futures) {
            assertThat(f.get(60, TimeUnit.SECONDS).successful()).isTrue();
        }
        // keyless records go to AUTO streams
        UserRecordResult keyless = producer.addUserRecord("switching", record(20_000, 100)).get(60, TimeUnit.SECONDS);
        assertThat(keyless.successful()).isTrue();
        Map<String, Integer> copies = readAsTheKcl("switching");
        for (int i = 0; i <= 20_000; i++) {
            assertThat(copies.getOrDefault(Integer.toString(i), 0)).as("record %d as the KCL sees it", i)
                    .isGreaterThanOrEqualTo(1);
        }
        assertThat(copies.values().stream().filter(c -> c > 1).count()).as("KCL duplicates").isZero();
        // the last records were sent after the producer learned AUTO: none of them inside an aggregate
        for (int i = 19_000; i < 20_000; i++) {
            assertThat(futures.get(i).get().subSequenceNumber()).as("record %d", i).isZero();
        }
    }

    @Test
    void aKeylessRecordOnAUserPartitionKeyStreamFailsTyped() {
        admin.createStream(new CreateStreamRequest("keyed", 2, null, null, null, null)).join();
        KinesisProducer producer = producer(ProducerConfig.builder());
        CompletableFuture<UserRecordResult> f = producer.addUserRecord("keyed", new byte[] {1});
        assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS)).cause().isInstanceOf(InvalidUserRecordException.class)
                .hasMessageContaining("USER_PARTITION_KEY");
        producer.flushSync(); // returns once the record is counted out too
        assertThat(producer.getOutstandingRecordsCount()).isZero();
    }

    @Test
    void smallAnd5MiBRecordsOnAStreamRaisedTo10MiBArriveExactlyOnce() throws Exception {
        admin.createStream(new CreateStreamRequest("large", 2, null, null, null, null)).join();
        KinesisProducer producer = producer(ProducerConfig.builder().recordMaxBufferedTime(Duration.ofMillis(50))
                .set(ConfigKeys.MAX_USER_RECORD_SIZE, 10_485_760L)
                .set(ConfigKeys.DESCRIBE_STREAM_SUMMARY_INTERVAL_MS, 1_000L));
        // a record above the stream's maximum fails at once, typed, without attempts
        CompletableFuture<UserRecordResult> tooBig = producer.addUserRecord("large", "k", new byte[2 * 1024 * 1024]);
        assertThatThrownBy(() -> tooBig.get(30, TimeUnit.SECONDS)).cause()
                .isInstanceOf(InvalidUserRecordException.class).hasMessageContaining("maximum record size");
        admin.updateMaxRecordSize(new UpdateMaxRecordSizeRequest(arnOf("large"), null, 10_240)).join();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> producer.addUserRecord("large", "probe",
                record(-1, 2 * 1024 * 1024)).handle((r, e) -> e == null).get()); // after the next summary
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        int large = 0;
        for (int i = 0; i < 3_000; i++) {
            boolean big = i % 500 == 7;
            large += big ? 1 : 0;
            futures.add(producer.addUserRecord("large", "k" + (i % 50), record(i, big ? 5 * 1024 * 1024 : 200)));
        }
        for (CompletableFuture<UserRecordResult> f : futures) {
            assertThat(f.get(120, TimeUnit.SECONDS).successful()).isTrue();
        }
        assertThat(large).isEqualTo(6);
        Map<String, Integer> copies = readAsTheKcl("large");
        for (int i = 0; i < 3_000; i++) {
            assertThat(copies.get(Integer.toString(i))).as("record %d", i).isEqualTo(1);
        }
        // and the SDK reads a 5 MiB record back whole
        String it = sdk.getShardIterator(r -> r.streamName("large").shardId(futures.get(7).join().shardId())
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER)
                .startingSequenceNumber(futures.get(7).join().sequenceNumber())).join().shardIterator();
        SdkBytes first = sdk.getRecords(r -> r.shardIterator(it).limit(1)).join().records().get(0).data();
        assertThat(first.asByteArray()).hasSize(5 * 1024 * 1024).startsWith("7|".getBytes(StandardCharsets.US_ASCII));
    }
}
