package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.KinesisBackend;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.testing.Faults;
import io.runnel.testing.FaultyProxy;
import io.runnel.testing.Seeds;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The producer with default settings through a proxy that resets connections at random byte counts: nothing is lost
 * and no key is reordered. A request whose connection closed may still have been stored, so a record can arrive
 * twice; order is judged by each record's first arrival, as a consumer that drops duplicates sees it.
 */
class ConnectionResetsIT {
    private static final int RECORDS = 20_000;
    private static final int KEYS = 100;

    static java.util.stream.LongStream seeds() {
        return Seeds.of(2);
    }

    static java.util.stream.LongStream seed() {
        return Seeds.of(1);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void resetConnectionsLoseNothingAndKeepEachKeysOrder(long seed) throws Exception {
        produceAndReadBack(Faults.resetAfterMeanBytes(200_000).withSeed(seed), seed);
    }

    /**
     * Behind a 100 ms round trip each shard starts with several lanes, so the first requests carry several aggregates
     * per shard, far more than the proxy passes between resets: they go again smaller, and nothing expires.
     */
    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seed")
    void aFarEndpointThatResetsConnectionsStillGetsEveryRecord(long seed) throws Exception {
        produceAndReadBack(Faults.resetAfterMeanBytes(200_000).withChunkDelayMillis(50).withSeed(seed), seed);
    }

    private static void produceAndReadBack(Faults faults, long seed) throws Exception {
        try (KinesisBackend backend = KinesisBackend.builder().createStream("resets", 4).start();
                FaultyProxy proxy = FaultyProxy.start(backend.endpoint().getHost(), backend.endpoint().getPort(),
                        faults);
                NettyKinesisClient reader = NettyKinesisClient.builder()
                        .endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                        .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build()) {
            ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                    .kinesisEndpointUrl("http://127.0.0.1:" + proxy.port()).build();
            List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
            try (KinesisProducer producer = new KinesisProducer(config,
                    CredentialsProvider.of(Credentials.of("a", "b")))) {
                for (int i = 0; i < RECORDS; i++) {
                    String data = i + "|" + ".".repeat(100);
                    futures.add(producer.addUserRecord("resets", "k" + (i % KEYS),
                            data.getBytes(StandardCharsets.US_ASCII)));
                }
                for (int i = 0; i < RECORDS; i++) {
                    assertThat(futures.get(i).get(120, TimeUnit.SECONDS).successful()).as("record %d (seed %d)", i,
                            seed).isTrue();
                }
            }
            assertThat(proxy.resetsInjected()).as("resets (seed %d)", seed).isPositive();

            BitSet seen = new BitSet(RECORDS);
            Map<String, Integer> last = new HashMap<>();
            int outOfOrder = 0;
            for (var shard : reader.listShards(new ListShardsRequest("resets", null, null, null, null, null, null))
                    .join().shards()) {
                List<DeaggregatedRecord> inShard = new ArrayList<>();
                String it = reader.getShardIterator(new GetShardIteratorRequest("resets", null, shard.shardId(),
                        "TRIM_HORIZON", null, null)).join().shardIterator();
                while (it != null) {
                    GetRecordsResponse r = reader.getRecords(new GetRecordsRequest(it, 10_000, null)).join();
                    for (StreamRecord rec : r.records()) {
                        inShard.addAll(Deaggregator.deaggregate(rec.partitionKey(), null, rec.data()));
                    }
                    it = r.records().isEmpty() ? null : r.nextShardIterator();
                }
                for (DeaggregatedRecord d : inShard) { // in the order the shard holds them
                    String text = new String(d.data(), StandardCharsets.US_ASCII);
                    int index = Integer.parseInt(text.substring(0, text.indexOf('|')));
                    if (seen.get(index)) {
                        continue; // a duplicate of a request whose answer the reset took
                    }
                    seen.set(index);
                    Integer before = last.put(d.partitionKey(), index);
                    if (before != null && before > index) {
                        outOfOrder++;
                    }
                }
            }
            assertThat(seen.cardinality()).as("records read back (seed %d, %s)", seed, proxy).isEqualTo(RECORDS);
            assertThat(outOfOrder).as("records first read after a later record of their key (seed %d, %s)", seed,
                    proxy).isZero();
            System.out.println("connection resets: " + proxy + ", 0 lost, 0 out of order");
        }
    }
}
