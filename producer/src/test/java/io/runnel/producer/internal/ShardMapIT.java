package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.backend.KinesisBackend;
import io.runnel.wire.Endpoint;
import io.runnel.wire.HashKey;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.error.ResourceNotFoundException;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.PutRecordRequest;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import io.runnel.wire.model.SplitShardRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ShardMap against the bundled backend: predictions match where Kinesis puts records, before and after a split. */
class ShardMapIT {
    private static KinesisBackend backend;
    private static NettyKinesisClient client;

    @BeforeAll
    static void start() {
        backend = KinesisBackend.builder().limits(false).createStream("map", 4).createStream("split", 2).start();
        client = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
        for (String s : List.of("map", "split")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> client.describeStreamSummary(
                    new DescribeStreamSummaryRequest(s, null)).join().streamDescriptionSummary().streamStatus()
                    .equals("ACTIVE"));
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        backend.close();
    }

    private static String actualShard(String stream, String pk) {
        return client.putRecord(new PutRecordRequest(stream, null, new byte[] {1}, pk, null, null)).join().shardId();
    }

    @Test
    void predictsTheShardKinesisPicks() throws Exception {
        ShardMap map = new ShardMap("map", client);
        assertThat(map.snapshot()).isNull();
        ShardMap.Snapshot s = map.refresh().get(60, TimeUnit.SECONDS);
        assertThat(s.shardIds()).hasSize(4);
        for (int i = 0; i < 200; i++) {
            String pk = "key-" + i;
            assertThat(s.predict(HashKey.md5Of(pk))).as(pk).isEqualTo(actualShard("map", pk));
        }
        assertThat(s.predict(HashKey.ZERO)).isEqualTo("shardId-000000000000");
        assertThat(s.predict(HashKey.MAX)).isEqualTo("shardId-000000000003");
    }

    @Test
    void followsASplitAfterARefresh() throws Exception {
        ShardMap map = new ShardMap("split", client);
        ShardMap.Snapshot before = map.refresh().get(60, TimeUnit.SECONDS);
        client.splitShard(new SplitShardRequest("split", null, "shardId-000000000000",
                HashKey.of(0x4000_0000_0000_0000L, 0).toDecimalString())).join();
        ShardMap.Snapshot after = map.refresh().get(60, TimeUnit.SECONDS);
        assertThat(map.snapshot()).isSameAs(after);
        assertThat(before.shardIds()).hasSize(2);
        assertThat(after.shardIds()).containsExactly("shardId-000000000002", "shardId-000000000003",
                "shardId-000000000001");
        for (int i = 0; i < 100; i++) {
            String pk = "k" + i;
            assertThat(after.predict(HashKey.md5Of(pk))).isEqualTo(actualShard("split", pk));
        }
    }

    @Test
    void aMissingStreamFailsTheRefreshAndLeavesNoSnapshot() {
        ShardMap missing = new ShardMap("no-such-stream", client);
        CompletableFuture<ShardMap.Snapshot> a = missing.refresh();
        assertThatThrownBy(a::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ResourceNotFoundException.class);
        assertThat(missing.snapshot()).isNull();
    }
}
