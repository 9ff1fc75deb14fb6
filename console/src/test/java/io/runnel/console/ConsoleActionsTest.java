package io.runnel.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.store.IteratorTokens;
import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.HashKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleActionsTest {
    private StreamStore store;
    private ConsoleActions actions;

    @BeforeEach
    void setUp() {
        store = new StreamStore(StoreSettings.defaults().withTransitionMillis(0), TimeSource.SYSTEM,
                new IteratorTokens());
        actions = new ConsoleActions(store);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private StreamState stream(String name) {
        return store.streams().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void createsProvisionedAndOnDemandStreams() {
        actions.createStream(json("{\"name\": \"orders\", \"shards\": 2}"));
        actions.createStream(json("{\"name\": \"clicks\", \"mode\": \"ON_DEMAND\"}"));

        assertThat(stream("orders").openShards()).hasSize(2);
        assertThat(stream("clicks").mode()).isEqualTo(StreamState.Mode.ON_DEMAND);
    }

    @Test
    void splitsInTheMiddleByDefaultMergesAndRescales() {
        actions.createStream(json("{\"name\": \"orders\", \"shards\": 1}"));
        String first = stream("orders").shards().get(0).shardId();

        actions.split("orders", json("{\"shardId\": \"" + first + "\"}"));

        var open = stream("orders").openShards();
        assertThat(open).hasSize(2);
        assertThat(open.get(1).hashKeyRange().startInclusive())
                .isEqualTo(HashKey.MAX.divide(2).add(HashKey.ONE));
        actions.merge("orders", json("{\"shardId\": \"" + open.get(0).shardId() + "\", \"adjacentShardId\": \""
                + open.get(1).shardId() + "\"}"));
        assertThat(stream("orders").openShards()).hasSize(1);
        actions.updateShardCount("orders", json("{\"target\": 2}"));
        assertThat(stream("orders").openShards()).hasSize(2);
        assertThatThrownBy(() -> actions.updateShardCount("orders", json("{\"target\": 8}")))
                .as("Kinesis' rule: half to double").hasMessageContaining("double");
    }

    @Test
    void putsATestRecordWhereItsKeyBelongs() {
        actions.createStream(json("{\"name\": \"orders\", \"shards\": 2}"));

        String done = actions.putRecord("orders", json("{\"partitionKey\": \"k\", \"data\": \"hello\"}"));

        HashKey key = HashKey.md5Of("k");
        ShardState expected = stream("orders").openShards().stream()
                .filter(shard -> shard.hashKeyRange().contains(key)).findFirst().orElseThrow();
        assertThat(done).contains(expected.shardId());
        assertThat(expected.written().records()).isEqualTo(1);
    }

    @Test
    void deletesAStream() {
        actions.createStream(json("{\"name\": \"orders\"}"));

        actions.deleteStream("orders");

        assertThatThrownBy(() -> actions.deleteStream("orders")).isInstanceOf(ConsoleApi.ApiException.class)
                .extracting(e -> ((ConsoleApi.ApiException) e).status()).isEqualTo(404);
    }

    @Test
    void refusesWhatKinesisRefusesWithItsMessage() {
        actions.createStream(json("{\"name\": \"orders\", \"shards\": 1}"));

        assertThatThrownBy(() -> actions.createStream(json("{\"name\": \"orders\"}")))
                .hasMessageContaining("ResourceInUseException");
        assertThatThrownBy(() -> actions.createStream(json("{\"name\": \"bad name\"}"))).hasMessageContaining("name");
        assertThatThrownBy(() -> actions.createStream(json("{\"name\": \"x\", \"mode\": \"FAST\"}")))
                .hasMessageContaining("FAST");
        assertThatThrownBy(() -> actions.createStream(json("[1]"))).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> actions.createStream(json("{nope"))).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> actions.split("orders", json("{\"shardId\": \"shardId-000000000007\"}")))
                .hasMessageContaining("shardId-000000000007");
        assertThatThrownBy(() -> actions.updateShardCount("orders", json("{\"target\": 0}")))
                .hasMessageContaining("target");
        assertThatThrownBy(() -> actions.putRecord("orders", json("{\"data\": \"x\"}")))
                .hasMessageContaining("partitionKey");
    }
}
