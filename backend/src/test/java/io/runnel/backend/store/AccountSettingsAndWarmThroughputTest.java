package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static io.runnel.backend.store.StoreAssertions.assertRefused;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DescribeAccountSettings / UpdateAccountSettings, UpdateStreamWarmThroughput and stream ids. */
class AccountSettingsAndWarmThroughputTest {
    private static final long DAY = StreamStore.COMMITMENT_MINIMUM_MILLIS;

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime(1_764_000_000_000L);

    private StreamStore open() {
        return new StreamStore(StoreSettings.defaults(), time, new IteratorTokens(), new DataDirectory(dir, 4096));
    }

    private StreamState active(StreamStore s, String name, StreamState.Mode mode) {
        StreamState stream = s.createStream(name, mode == StreamState.Mode.ON_DEMAND ? null : 1, mode);
        time.advanceMillis(s.settings().transitionMillis());
        return stream;
    }

    @Test
    void aNewAccountHasNoCommitment() {
        StreamStore.Commitment c = open().commitment();
        assertThat(c.status()).isEqualTo(StreamStore.CommitmentStatus.DISABLED);
        assertThat(List.of(c.startedAtMillis(), c.endedAtMillis(), c.earliestAllowedEndMillis()))
                .containsOnly(-1L);
    }

    @Test
    void disablingBeforeTheEarliestAllowedEndKeepsTheCommitmentUntilThen() {
        StreamStore store = open();
        long start = time.millis();
        StreamStore.Commitment on = store.updateCommitment("ENABLED");
        assertThat(on).isEqualTo(new StreamStore.Commitment(StreamStore.CommitmentStatus.ENABLED, start, -1,
                start + DAY));
        time.advanceMillis(1000);
        assertThat(store.updateCommitment("ENABLED")).isEqualTo(on);
        StreamStore.Commitment ending = store.updateCommitment("DISABLED");
        assertThat(ending).isEqualTo(new StreamStore.Commitment(
                StreamStore.CommitmentStatus.ENABLED_UNTIL_EARLIEST_ALLOWED_END, start, start + DAY, start + DAY));
        assertThat(store.updateCommitment("DISABLED")).isEqualTo(ending);
        assertThat(store.updateCommitment("ENABLED")).isEqualTo(on);
        store.updateCommitment("DISABLED");
        time.advanceMillis(DAY);
        assertThat(store.commitment()).isEqualTo(new StreamStore.Commitment(StreamStore.CommitmentStatus.DISABLED,
                start, start + DAY, start + DAY));
        long again = time.millis();
        assertThat(store.updateCommitment("ENABLED")).isEqualTo(new StreamStore.Commitment(
                StreamStore.CommitmentStatus.ENABLED, again, -1, again + DAY));
    }

    @Test
    void disablingAfterTheEarliestAllowedEndEndsAtOnce() {
        StreamStore store = open();
        long start = time.millis();
        store.updateCommitment("ENABLED");
        time.advanceMillis(DAY + 5000);
        assertThat(store.updateCommitment("DISABLED")).isEqualTo(new StreamStore.Commitment(
                StreamStore.CommitmentStatus.DISABLED, start, time.millis(), start + DAY));
    }

    @Test
    void onlyEnabledAndDisabledAreAccepted() {
        StreamStore store = open();
        for (String bad : List.of("enabled", "ENABLED_UNTIL_EARLIEST_ALLOWED_END", "", "ON")) {
            assertRefused(() -> store.updateCommitment(bad), StoreException.VALIDATION,
                    "Member must satisfy enum value set: [ENABLED, DISABLED]");
        }
        assertRefused(() -> store.updateCommitment(null), StoreException.VALIDATION, "must not be null");
        assertThat(store.commitment().status()).isEqualTo(StreamStore.CommitmentStatus.DISABLED);
    }

    @Test
    void theCommitmentSurvivesARestart() {
        StreamStore store = open();
        long start = time.millis();
        store.updateCommitment("ENABLED");
        store.updateCommitment("DISABLED");
        store.close();
        assertThat(open().commitment()).isEqualTo(new StreamStore.Commitment(
                StreamStore.CommitmentStatus.ENABLED_UNTIL_EARLIEST_ALLOWED_END, start, start + DAY, start + DAY));
        assertThat(Files.exists(dir.resolve("account.json"))).isTrue();
        assertThat(new StreamStore(StoreSettings.defaults(), time, new IteratorTokens()).commitment().status())
                .isEqualTo(StreamStore.CommitmentStatus.DISABLED);
    }

    @Test
    void warmThroughputScalesAnOnDemandStreamAndIsReportedCurrentOnceUpdated() {
        StreamStore store = open();
        StreamState s = active(store, "s", StreamState.Mode.ON_DEMAND);
        assertThat(s.warmThroughput(time.millis())).isNull();
        assertRefused(() -> store.updateWarmThroughput("s", null, null, 100), StoreException.INVALID_ARGUMENT,
                "MinimumThroughputBillingCommitment");
        store.updateCommitment("ENABLED");
        StreamStore.WarmThroughput w = store.updateWarmThroughput(null, s.arn(), null, 100);
        assertThat(w.stream()).isSameAs(s);
        assertThat(List.of(w.targetMiBps(), w.currentMiBps())).containsExactly(100, 0);
        assertThat(s.status(time.millis())).isEqualTo(StreamState.Status.UPDATING);
        assertRefused(() -> store.updateWarmThroughput("s", null, null, 200), StoreException.RESOURCE_IN_USE,
                "not ACTIVE");
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(s.warmThroughput(time.millis())).containsExactly(100, 100);
        w = store.updateWarmThroughput("s", null, s.streamId(), 40);
        assertThat(List.of(w.targetMiBps(), w.currentMiBps())).containsExactly(40, 100);
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(s.warmThroughput(time.millis())).containsExactly(40, 40);
        store.updateWarmThroughput(null, null, s.streamId(), 0);
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(s.warmThroughput(time.millis())).containsExactly(0, 0);
    }

    @Test
    void warmThroughputIsRefusedWhereKinesisRefusesIt() {
        StreamStore store = open();
        store.updateCommitment("ENABLED");
        StreamState p = active(store, "p", StreamState.Mode.PROVISIONED);
        StreamState s = active(store, "s", StreamState.Mode.ON_DEMAND);
        assertRefused(() -> store.updateWarmThroughput("p", null, null, 10), StoreException.VALIDATION,
                "PROVISIONED");
        assertRefused(() -> store.updateWarmThroughput("s", null, null, -1), StoreException.VALIDATION,
                "greater than or equal to 0");
        assertRefused(() -> store.updateWarmThroughput("s", null, null, null), StoreException.VALIDATION,
                "must not be null");
        assertRefused(() -> store.updateWarmThroughput("s", null, null, 10_241), StoreException.LIMIT_EXCEEDED,
                "10240");
        assertRefused(() -> store.updateWarmThroughput("nope", null, null, 1), StoreException.RESOURCE_NOT_FOUND,
                "not found");
        assertRefused(() -> store.updateWarmThroughput(null, null, null, 1), StoreException.INVALID_ARGUMENT,
                "StreamName or StreamARN");
        assertRefused(() -> store.updateWarmThroughput(null, null, "NOT-AN-ID", 1), StoreException.VALIDATION,
                "streamId");
        assertRefused(() -> store.updateWarmThroughput("s", null, p.streamId(), 1), StoreException.INVALID_ARGUMENT,
                "StreamId");
        assertRefused(() -> store.updateWarmThroughput(null, null, "aaaaaaaaaaaaaaaaaaaa-aaa", 1),
                StoreException.RESOURCE_NOT_FOUND, "not found");
        store.updateWarmThroughput("s", null, null, 10_240);
        assertThat(s.warmThroughput(time.millis())).containsExactly(10_240, 0);
    }

    @Test
    void switchingToProvisionedDropsTheWarmThroughput() {
        StreamStore store = open();
        store.updateCommitment("ENABLED");
        StreamState s = active(store, "s", StreamState.Mode.ON_DEMAND);
        store.updateWarmThroughput("s", null, null, 50);
        time.advanceMillis(store.settings().transitionMillis());
        store.setMode(s.arn(), StreamState.Mode.PROVISIONED);
        assertThat(s.warmThroughput(time.millis())).isNull();
    }

    @Test
    void warmThroughputSurvivesARestart() {
        StreamStore store = open();
        store.updateCommitment("ENABLED");
        active(store, "s", StreamState.Mode.ON_DEMAND);
        store.updateWarmThroughput("s", null, null, 64);
        store.close();
        StreamState again = open().stream("s", null);
        assertThat(again.warmThroughput(time.millis())).containsExactly(64, 0);
        time.advanceMillis(StoreSettings.defaults().transitionMillis());
        assertThat(open().stream("s", null).warmThroughput(time.millis())).containsExactly(64, 64);
    }

    @Test
    void streamIdsFollowTheModelsPatternAreUniqueAndSurviveARestart() {
        StreamStore store = open();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            String id = store.createStream("s" + i, 1, StreamState.Mode.PROVISIONED).streamId();
            assertThat(id).matches("[a-z0-9]{20}-[a-z0-9]{3}");
            ids.add(id);
        }
        assertThat(ids).hasSize(20);
        String first = store.stream("s0", null).streamId();
        store.close();
        StreamStore again = open();
        assertThat(again.stream("s0", null).streamId()).isEqualTo(first);
        again.deleteStream("s0", null, false);
        time.advanceMillis(again.settings().transitionMillis());
        assertThat(again.createStream("s0", 1, StreamState.Mode.PROVISIONED).streamId()).isNotEqualTo(first);
    }

    @Test
    void aStreamSavedWithoutAnIdGetsAStableDerivedOne() throws Exception {
        StreamStore store = open();
        StreamState s = store.createStream("old", 1, StreamState.Mode.PROVISIONED);
        store.close();
        try (var dirs = Files.list(dir.resolve("streams"))) {
            Path meta = dirs.findFirst().orElseThrow().resolve("stream.json");
            String json = Files.readString(meta);
            Files.writeString(meta, json.replace("\"streamId\":\"" + s.streamId() + "\",", ""));
        }
        String derived = open().stream("old", null).streamId();
        assertThat(derived).matches("[a-z0-9]{20}-[a-z0-9]{3}")
                .isEqualTo(StreamStore.derivedStreamId(s.arn(), s.creationMillis()))
                .isEqualTo(open().stream("old", null).streamId());
    }

    @Test
    void createStreamTakesAWarmThroughputUnderTheSameRules() {
        StreamStore store = open();
        assertRefused(() -> store.createStream("w", null, StreamState.Mode.ON_DEMAND, null, null, 10),
                StoreException.INVALID_ARGUMENT, "MinimumThroughputBillingCommitment");
        store.updateCommitment("ENABLED");
        assertRefused(() -> store.createStream("w", 1, StreamState.Mode.PROVISIONED, null, null, 10),
                StoreException.VALIDATION, "PROVISIONED");
        assertRefused(() -> store.createStream("w", null, StreamState.Mode.ON_DEMAND, null, null, -5),
                StoreException.VALIDATION, "greater than or equal to 0");
        assertRefused(() -> store.createStream("w", null, StreamState.Mode.ON_DEMAND, null, null, 10_241),
                StoreException.LIMIT_EXCEEDED, "10240");
        assertThat(store.streams()).isEmpty();
        StreamState w = store.createStream("w", null, StreamState.Mode.ON_DEMAND, null, null, 30);
        assertThat(w.warmThroughput(time.millis())).containsExactly(30, 0);
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(w.warmThroughput(time.millis())).containsExactly(30, 30);
        assertThat(store.createStream("n", null, StreamState.Mode.ON_DEMAND, null, null, null)
                .warmThroughput(time.millis())).isNull();
    }
}
