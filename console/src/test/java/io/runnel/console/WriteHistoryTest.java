package io.runnel.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.store.IteratorTokens;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.HashKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WriteHistoryTest {
    private StreamStore store;
    private WriteHistory history;

    @BeforeEach
    void setUp() {
        store = new StreamStore(StoreSettings.defaults().withTransitionMillis(0), TimeSource.SYSTEM,
                new IteratorTokens());
        history = new WriteHistory(store);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private List<double[]> stream(String name) {
        List<double[]> out = new ArrayList<>();
        history.stream(name, (second, a, b) -> out.add(new double[] {second, a, b}));
        return out;
    }

    @Test
    void ratesPerSecondBetweenSamplesForStreamsAndShards() {
        StreamState s = store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        history.sample(10_000);
        for (int i = 0; i < 6; i++) {
            store.put(s, HashKey.md5Of("k"), "k", new byte[9]); // 10 bytes with the key
        }
        history.sample(12_000); // two seconds later: 3 records and 30 bytes a second

        List<double[]> points = stream("orders");
        assertThat(points).hasSize(1);
        assertThat(points.get(0)).containsExactly(12, 3.0, 30.0);
        List<double[]> shard = new ArrayList<>();
        history.shard("orders", s.shards().get(0).shardId(), (second, a, b) -> shard.add(new double[] {a, b}));
        assertThat(shard.get(0)).containsExactly(3.0, 0.0);
    }

    @Test
    void keepsTheLastFiveMinutesAndForgetsDeletedStreams() {
        store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        for (int i = 0; i <= WriteHistory.POINTS + 10; i++) {
            history.sample(i * 1_000L);
        }
        List<double[]> points = stream("orders");
        assertThat(points).hasSize(WriteHistory.POINTS);
        assertThat(points.get(points.size() - 1)[0]).isEqualTo(WriteHistory.POINTS + 10);

        store.deleteStream("orders", null, false);
        store.streams().forEach(s -> { }); // gone (or DELETING) as the store says
        history.sample((WriteHistory.POINTS + 20) * 1_000L);
        if (store.streams().isEmpty()) {
            assertThat(stream("orders")).isEmpty();
        }
    }
}
