package io.runnel.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.StreamDescriptionSummary;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One backend for the class, two streams, the real producer writing through the injected configuration. */
@EmbeddedKinesis(streams = {"orders:4", "logs"})
class EmbeddedKinesisPerClassIT {
    private static EmbeddedKinesisBackend startedBeforeAll;

    @BeforeAll
    static void injectedBeforeAll(EmbeddedKinesisBackend kinesis) {
        startedBeforeAll = kinesis;
    }

    @Test
    void theStreamsAreActiveWithTheirShardsWhenTheTestStarts(KinesisClient client) {
        StreamDescriptionSummary orders = client.describeStreamSummary(
                new DescribeStreamSummaryRequest("orders", null)).join().streamDescriptionSummary();
        StreamDescriptionSummary logs = client.describeStreamSummary(
                new DescribeStreamSummaryRequest("logs", null)).join().streamDescriptionSummary();
        assertThat(orders.streamStatus()).isEqualTo("ACTIVE");
        assertThat(orders.openShardCount()).isEqualTo(4);
        assertThat(logs.streamStatus()).isEqualTo("ACTIVE");
        assertThat(logs.openShardCount()).isEqualTo(1);
    }

    @Test
    void whatTheProducerWritesIsReadBackDeaggregated(EmbeddedKinesisBackend kinesis, ProducerConfig config)
            throws Exception {
        assertThat(config.aggregationEnabled()).isTrue();
        List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
        try (KinesisProducer producer = new KinesisProducer(config, kinesis.credentials())) {
            for (int i = 0; i < 200; i++) {
                futures.add(producer.addUserRecord("orders", "customer-" + (i % 20), bytes("order-" + i)));
            }
            futures.add(producer.addUserRecord("logs", "web", bytes("started")));
            for (int i = 0; i < 10; i++) {
                futures.add(producer.addUserRecord("logs", "web", "42", bytes("hashed-" + i)));
            }
            producer.flushSync();
        }
        for (CompletableFuture<UserRecordResult> f : futures) {
            assertThat(f.get().successful()).isTrue();
        }

        assertThat(kinesis.dataAsStrings("orders")).containsExactlyInAnyOrderElementsOf(
                IntStream.range(0, 200).mapToObj(i -> "order-" + i).toList());
        assertThat(kinesis.dataAsStrings("logs")).hasSize(11).contains("started", "hashed-0", "hashed-9");

        List<ReceivedRecord> orders = kinesis.records("orders");
        assertThat(orders).anyMatch(ReceivedRecord::aggregated); // 20 keys, 4 shards: aggregates, not singles
        // In per-shard order: by sequence number, then sub-sequence number, one shard after the other.
        Map<String, List<ReceivedRecord>> byShard = orders.stream().collect(Collectors.groupingBy(
                ReceivedRecord::shardId, LinkedHashMap::new, Collectors.toList()));
        Comparator<ReceivedRecord> order = Comparator.<ReceivedRecord, BigInteger>comparing(
                r -> new BigInteger(r.sequenceNumber())).thenComparingLong(ReceivedRecord::subSequenceNumber);
        assertThat(byShard.keySet()).hasSizeBetween(2, 4).allMatch(id -> id.startsWith("shardId-"));
        byShard.values().forEach(shard -> assertThat(shard).isSortedAccordingTo(order));
        assertThat(orders).containsExactlyElementsOf(byShard.values().stream().flatMap(List::stream).toList());
        assertThat(orders).extracting(ReceivedRecord::stream).containsOnly("orders");

        // The explicit hash key travels in the aggregate's table (Kinesis does not return it for a single record).
        List<ReceivedRecord> logs = kinesis.records("logs");
        assertThat(logs).filteredOn(r -> r.dataAsString().startsWith("hashed-")).allSatisfy(r -> {
            assertThat(r.partitionKey()).isEqualTo("web");
            assertThat(r.explicitHashKey()).isEqualTo(r.aggregated() ? "42" : null);
            assertThat(r.approximateArrivalTimestamp()).isNotNull();
        }).anyMatch(ReceivedRecord::aggregated);
    }

    @Test
    void everyInjectedTypeIsTheSameBackendsForTheWholeClass(EmbeddedKinesisBackend kinesis, KinesisBackend backend,
            KinesisClient client, ProducerConfig config) {
        assertThat(kinesis).isSameAs(startedBeforeAll);
        assertThat(backend).isSameAs(kinesis.backend());
        assertThat(client).isSameAs(kinesis.client());
        assertThat(config).isEqualTo(kinesis.producerConfig());
        assertThat(config.get(io.runnel.producer.config.ConfigKeys.KINESIS_ENDPOINT_URL))
                .isEqualTo(kinesis.endpoint().toString());
        assertThat(kinesis.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(kinesis.region()).isEqualTo("us-east-1");
    }

    @Test
    void aStreamCreatedDuringATestIsActiveAtOnce(EmbeddedKinesisBackend kinesis) {
        kinesis.createStream("created-later", 2);
        try (KinesisProducer producer = kinesis.newProducer()) {
            producer.addUserRecord("created-later", "k", bytes("x"));
            producer.flushSync();
        }
        assertThat(kinesis.awaitRecords("created-later", 1, java.time.Duration.ofSeconds(30)))
                .extracting(ReceivedRecord::dataAsString).containsExactly("x");
    }

    @Nested
    class NestedClasses {
        @Test
        void shareTheirEnclosingClasssBackend(EmbeddedKinesisBackend kinesis) {
            assertThat(kinesis).isSameAs(startedBeforeAll);
        }
    }

    @Nested
    @EmbeddedKinesis(streams = {"nested:2", "orders:4"})
    class NestedClassWithItsOwnStreams {
        @Test
        void getsThemCreatedOnTheSharedBackend(EmbeddedKinesisBackend kinesis, KinesisClient client) {
            assertThat(kinesis).isSameAs(startedBeforeAll);
            assertThat(client.describeStreamSummary(new DescribeStreamSummaryRequest("nested", null)).join()
                    .streamDescriptionSummary().openShardCount()).isEqualTo(2);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
