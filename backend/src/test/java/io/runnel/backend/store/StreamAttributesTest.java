package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static io.runnel.backend.store.StoreAssertions.assertRefused;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags, enhanced monitoring, encryption, stream mode, limits and consumers. */
class StreamAttributesTest {
    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime(1_764_000_000_000L);
    private final StreamStore store = new StreamStore(StoreSettings.defaults(), time, new IteratorTokens());

    private StreamState active(StreamStore s, String name) {
        StreamState stream = s.createStream(name, 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(s.settings().transitionMillis());
        return stream;
    }

    @Test
    void tagsAreAddedListedInPagesAndRemoved() {
        active(store, "s");
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            tags.put("k" + i, "v" + i);
        }
        store.addTags("s", null, tags);
        StreamStore.TagPage first = store.listTags("s", null, null, 4);
        assertThat(first.tags()).extracting(Map.Entry::getKey).containsExactly("k0", "k1", "k2", "k3");
        assertThat(first.hasMore()).isTrue();
        StreamStore.TagPage rest = store.listTags("s", null, "k3", null);
        assertThat(rest.tags()).hasSize(6);
        assertThat(rest.hasMore()).isFalse();
        store.removeTags("s", null, List.of("k0", "nope"));
        assertThat(store.stream("s", null).tags()).hasSize(9).doesNotContainKey("k0");
        assertRefused(() -> store.addTags("s", null, Map.of("aws:x", "y")), StoreException.INVALID_ARGUMENT, "aws:");
        for (int batch = 0; batch < 4; batch++) {
            Map<String, String> more = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                more.put("b" + batch + "-" + i, "");
            }
            store.addTags("s", null, more);
        }
        assertThat(store.stream("s", null).tags()).hasSize(49);
        assertRefused(() -> store.addTags("s", null, Map.of("one-more", "x", "and", "y")),
                StoreException.LIMIT_EXCEEDED, "50 tags");
    }

    @Test
    void enhancedMonitoringReportsCurrentAndDesired() {
        active(store, "s");
        StreamStore.MetricsChange on = store.setEnhancedMonitoring("s", null, List.of("IncomingBytes"), true);
        assertThat(on.current()).isEmpty();
        assertThat(on.desired()).containsExactly("IncomingBytes");
        StreamStore.MetricsChange all = store.setEnhancedMonitoring("s", null, List.of("ALL"), true);
        assertThat(all.desired()).hasSize(7);
        StreamStore.MetricsChange off = store.setEnhancedMonitoring("s", null, List.of("IncomingBytes"), false);
        assertThat(off.desired()).hasSize(6).doesNotContain("IncomingBytes");
        assertRefused(() -> store.setEnhancedMonitoring("s", null, List.of("Bogus"), true), StoreException.VALIDATION,
                "shardLevelMetrics");
    }

    @Test
    void encryptionAndModeChangesPassThroughUpdating() {
        StreamState s = active(store, "s");
        store.setEncryption("s", null, "KMS", "alias/aws/kinesis", true);
        assertThat(s.status(time.millis())).isEqualTo(StreamState.Status.UPDATING);
        assertThat(s.encryptionType()).isEqualTo("KMS");
        time.advanceMillis(store.settings().transitionMillis());
        store.setEncryption("s", null, "KMS", "alias/aws/kinesis", false);
        assertThat(s.encryptionType()).isEqualTo("NONE");
        assertThat(s.keyId()).isNull();
        time.advanceMillis(store.settings().transitionMillis());
        store.setMode(s.arn(), StreamState.Mode.ON_DEMAND);
        assertThat(s.mode()).isEqualTo(StreamState.Mode.ON_DEMAND);
        assertThat(store.limits().onDemandStreamCount()).isEqualTo(1);
        assertThat(store.limits().openShardCount()).isZero();
        assertRefused(() -> store.setMode(s.arn(), StreamState.Mode.PROVISIONED), StoreException.RESOURCE_IN_USE,
                "UPDATING");
    }

    @Test
    void consumersRegisterUpToTwentyAndBlockStreamDeletion() {
        StreamState s = active(store, "s");
        ConsumerState c = store.registerConsumer(s.arn(), "app");
        assertThat(c.arn()).startsWith(s.arn() + "/consumer/app:");
        assertThat(c.status(time.millis())).isEqualTo("CREATING");
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(store.consumer(null, null, c.arn()).getValue().status(time.millis())).isEqualTo("ACTIVE");
        assertThat(store.consumer(s.arn(), "app", null).getValue()).isEqualTo(c);
        assertRefused(() -> store.registerConsumer(s.arn(), "app"), StoreException.RESOURCE_IN_USE, "already exists");
        for (int i = 1; i < StreamStore.MAX_CONSUMERS; i++) {
            store.registerConsumer(s.arn(), "c" + i);
        }
        assertRefused(() -> store.registerConsumer(s.arn(), "one-too-many"), StoreException.LIMIT_EXCEEDED, "20");
        assertRefused(() -> store.deleteStream("s", null, false), StoreException.RESOURCE_IN_USE, "consumers");

        store.deregisterConsumer(null, null, c.arn());
        assertThat(store.consumer(s.arn(), "app", null).getValue().status(time.millis())).isEqualTo("DELETING");
        time.advanceMillis(store.settings().transitionMillis());
        assertRefused(() -> store.consumer(s.arn(), "app", null), StoreException.RESOURCE_NOT_FOUND, "app");
        assertThat(store.consumers(s.arn())).hasSize(19);
        store.deleteStream("s", null, true);
    }

    @Test
    void attributesSurviveARestart() {
        StreamStore durable = new StreamStore(StoreSettings.defaults(), time, new IteratorTokens(),
                new DataDirectory(dir, 1 << 20));
        StreamState s = active(durable, "s");
        durable.addTags("s", null, Map.of("team", "data"));
        durable.setEnhancedMonitoring("s", null, List.of("IncomingRecords"), true);
        durable.registerConsumer(s.arn(), "app");
        durable.setRetention("s", null, 48, true);
        durable.close();
        StreamStore again = new StreamStore(StoreSettings.defaults(), time, new IteratorTokens(),
                new DataDirectory(dir, 1 << 20));
        StreamState restored = again.stream("s", null);
        assertThat(restored.tags()).containsEntry("team", "data");
        assertThat(restored.shardLevelMetrics()).containsExactly("IncomingRecords");
        assertThat(restored.consumers()).extracting(ConsumerState::name).containsExactly("app");
        assertThat(restored.retentionHours()).isEqualTo(48);
        assertThat(restored.creationMillis()).isEqualTo(s.creationMillis());
        again.close();
    }
}
