package io.runnel.producer.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.StreamRecord;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The KCL, deaggregating each shard with that shard's hash key range (as its record processors do, dropping user
 * records outside it), gets back every record the producer put: the producer only aggregates records of one shard.
 */
class KclReadsProducerOutputIT {
    @Test
    void kclDeaggregationWithShardRangesKeepsEveryRecord() throws Exception {
        try (KinesisBackend backend = KinesisBackend.builder().settings(StoreSettings.defaults()
                .withTransitionMillis(0).withLimits(false)).createStream("kcl", 5).start();
                NettyKinesisClient reader = NettyKinesisClient.builder()
                        .endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                        .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
                KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                        .kinesisEndpointUrl(backend.endpoint().toString()).build(),
                        CredentialsProvider.of(Credentials.of("a", "b")))) {
            List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 5000; i++) {
                String data = "kcl-" + i;
                sent.add(data);
                futures.add(producer.addUserRecord("kcl", "user-" + i, data.getBytes(StandardCharsets.UTF_8)));
            }
            for (CompletableFuture<UserRecordResult> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS).successful()).isTrue();
            }
            Set<String> received = new HashSet<>();
            AggregatorUtil kcl = new AggregatorUtil();
            for (Shard shard : reader.listShards(new ListShardsRequest("kcl", null, null, null, null, null, null))
                    .join().shards()) {
                String it = reader.getShardIterator(new GetShardIteratorRequest("kcl", null, shard.shardId(),
                        "TRIM_HORIZON", null, null)).join().shardIterator();
                List<KinesisClientRecord> raw = new ArrayList<>();
                for (StreamRecord r : reader.getRecords(new GetRecordsRequest(it, 10_000, null)).join().records()) {
                    raw.add(KinesisClientRecord.builder().partitionKey(r.partitionKey())
                            .sequenceNumber(r.sequenceNumber()).data(ByteBuffer.wrap(r.data())).build());
                }
                for (KinesisClientRecord user : kcl.deaggregate(raw,
                        new BigInteger(shard.hashKeyRange().startingHashKey()),
                        new BigInteger(shard.hashKeyRange().endingHashKey()))) {
                    ByteBuffer d = user.data();
                    byte[] bytes = new byte[d.remaining()];
                    d.get(bytes);
                    assertThat(received.add(new String(bytes, StandardCharsets.UTF_8))).isTrue();
                }
            }
            assertThat(received).isEqualTo(sent);
        }
    }
}
