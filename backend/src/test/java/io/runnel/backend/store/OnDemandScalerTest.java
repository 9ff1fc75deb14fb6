package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** On-demand scaling driven by a manual clock: splits under load, merges back when idle, never below the start. */
class OnDemandScalerTest {
    private static final long SECOND_MILLIS = 1000;

    private final ManualTime time = new ManualTime(1_764_000_000_000L);
    private final StreamStore store = new StreamStore(StoreSettings.defaults().withLimits(false), time,
            new IteratorTokens());
    private final OnDemandScaler scaler = new OnDemandScaler(store, OnDemandScaling.fast());

    private StreamState onDemand(String name) {
        StreamState s = store.createStream(name, null, StreamState.Mode.ON_DEMAND);
        time.advanceMillis(store.settings().transitionMillis());
        return s;
    }

    /** Writes {@code records} records of {@code bytes} bytes with keys that hash into {@code shard}'s range. */
    private void write(StreamState stream, ShardState shard, int records, int bytes) {
        write(store, stream, shard, records, bytes);
    }

    private static void write(StreamStore to, StreamState stream, ShardState shard, int records, int bytes) {
        HashKeyRange r = shard.hashKeyRange();
        HashKey key = r.startInclusive().add(r.endInclusive().subtract(r.startInclusive()).divide(3));
        for (int i = 0; i < records; i++) {
            to.put(stream, key, "k", new byte[bytes]);
        }
    }

    /** One second passes; the scaler looks. */
    private boolean second() {
        time.advanceMillis(SECOND_MILLIS);
        return scaler.poll(time.nanos());
    }

    @Test
    void aBusyShardSplitsInTheMiddleAndTheOthersStay() {
        StreamState s = onDemand("busy");
        assertThat(scaler.poll(time.nanos())).isFalse(); // first look: nothing measured yet
        ShardState hot = s.openShards().get(1);
        write(s, hot, 400, 10); // 40 % of 1,000 records/s: stays
        assertThat(second()).isFalse();
        write(s, hot, 600, 10); // 60 %: splits
        assertThat(second()).isTrue();
        List<ShardState> open = s.openShards();
        assertThat(open).hasSize(5).doesNotContain(hot);
        assertThat(s.status(time.millis())).isEqualTo(StreamState.Status.UPDATING);
        List<ShardState> children = store.childrenOf(s, hot);
        assertThat(children).hasSize(2);
        HashKeyRange parent = hot.hashKeyRange();
        assertThat(children.get(0).hashKeyRange().startInclusive()).isEqualTo(parent.startInclusive());
        assertThat(children.get(1).hashKeyRange().endInclusive()).isEqualTo(parent.endInclusive());
        assertThat(children.get(0).hashKeyRange().endInclusive().add(HashKey.ONE))
                .isEqualTo(children.get(1).hashKeyRange().startInclusive());
        assertThat(children.get(1).hashKeyRange().startInclusive().subtract(parent.startInclusive()))
                .isEqualTo(parent.endInclusive().subtract(children.get(1).hashKeyRange().startInclusive())
                        .add(HashKey.ONE)); // in the middle
    }

    @Test
    void bytesCountLikeRecords() {
        StreamState s = onDemand("bytes");
        scaler.poll(time.nanos());
        write(s, s.openShards().get(0), 10, 60 * 1024); // 600 KiB in a second: above half of 1 MiB/s
        assertThat(second()).isTrue();
        assertThat(s.openShards()).hasSize(5);
    }

    @Test
    void aStreamThatIsUpdatingIsJudgedOnlyOnceItIsActiveAgain() {
        StreamStore slow = new StreamStore(StoreSettings.defaults().withLimits(false).withTransitionMillis(3_000),
                time, new IteratorTokens());
        OnDemandScaler scaling = new OnDemandScaler(slow, OnDemandScaling.fast());
        StreamState s = slow.createStream("updating", null, StreamState.Mode.ON_DEMAND);
        time.advanceMillis(3_000);
        scaling.poll(time.nanos());
        ShardState last = s.openShards().get(3);
        slow.splitShard("updating", null, last.shardId(),
                last.hashKeyRange().startInclusive().add(HashKey.ONE).toDecimalString()); // UPDATING for 3 s
        ShardState busy = s.openShards().get(0);
        for (int second = 1; second <= 3; second++) {
            write(slow, s, busy, 900, 10);
            time.advanceMillis(SECOND_MILLIS);
            assertThat(scaling.poll(time.nanos())).as("second %d", second).isEqualTo(second == 3);
        }
        assertThat(s.openShards()).hasSize(6).doesNotContain(busy);
    }

    @Test
    void idleNeighboursMergeBackAfterTheIdleTimeButNeverBelowTheStartingShards() {
        StreamState s = onDemand("idle");
        scaler.poll(time.nanos());
        for (ShardState shard : s.openShards()) {
            write(s, shard, 700, 10);
        }
        assertThat(second()).isTrue();
        assertThat(s.openShards()).hasSize(8);
        // idle from now on: merges come only after 5 s, and stop at the 4 shards an on-demand stream starts with
        int seconds = 0;
        while (s.openShards().size() > 4 && seconds < 60) {
            second();
            seconds++;
        }
        assertThat(seconds).isGreaterThanOrEqualTo(5);
        assertThat(s.openShards()).hasSize(4);
        for (int i = 0; i < 30; i++) {
            assertThat(second()).isFalse();
        }
        assertThat(s.openShards()).hasSize(4);
        assertThat(s.openShards().get(0).hashKeyRange().startInclusive()).isEqualTo(HashKey.ZERO);
        assertThat(s.openShards().get(3).hashKeyRange().endInclusive()).isEqualTo(HashKey.MAX);
    }

    @Test
    void provisionedStreamsAreLeftAlone() {
        StreamState s = store.createStream("provisioned", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(store.settings().transitionMillis());
        scaler.poll(time.nanos());
        write(s, s.openShards().get(0), 1000, 10);
        assertThat(second()).isFalse();
        assertThat(s.openShards()).hasSize(1);
    }

    @Test
    void settingsAreParsedAndChecked() {
        assertThat(OnDemandScaling.parse("off")).isNull();
        assertThat(OnDemandScaling.parse("FAST").interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(OnDemandScaling.parse("normal").mergeAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> OnDemandScaling.parse("sometimes")).hasMessageContaining("sometimes");
        assertThatThrownBy(() -> new OnDemandScaling(Duration.ofSeconds(1), 0.5, 0.6, Duration.ZERO, 10))
                .hasMessageContaining("mergeBelow");
    }
}
