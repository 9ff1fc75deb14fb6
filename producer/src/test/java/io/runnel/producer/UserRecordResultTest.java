package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserRecordResultTest {
    @Test
    void successCarriesWhereTheRecordWentAndFailureItsAttempts() {
        Attempt throttled = Attempt.failure(Duration.ZERO, Duration.ofMillis(3),
                "ProvisionedThroughputExceededException", "Rate exceeded");
        Attempt ok = Attempt.success(Duration.ofMillis(50), Duration.ofMillis(2));
        List<Attempt> attempts = new ArrayList<>(List.of(throttled, ok));
        UserRecordResult r = UserRecordResult.success("shardId-000000000001", "4123", 7, attempts);
        attempts.clear();
        assertThat(r.attempts()).containsExactly(throttled, ok);
        assertThat(r.lastAttempt()).isEqualTo(ok);
        assertThat(UserRecordResult.failure(List.of(throttled)).successful()).isFalse();
        assertThat(UserRecordResult.failure(List.of()).lastAttempt()).isNull();
    }

    @Test
    void inconsistentValuesAreRefused() {
        assertThatThrownBy(() -> UserRecordResult.success(null, "1", 0, List.of())).hasMessageContaining("shard id");
        assertThatThrownBy(() -> new Attempt(Duration.ZERO, Duration.ZERO, "X", null, true))
                .hasMessageContaining("no error code");
        assertThatThrownBy(() -> new Attempt(Duration.ZERO, Duration.ZERO, null, null, false))
                .hasMessageContaining("needs an error code");
    }

    @Test
    void aSuccessWithItsLastAttemptAsNanosEqualsTheOneBuiltFromAttempts() {
        Attempt throttled = Attempt.failure(Duration.ZERO, Duration.ofMillis(3),
                "ProvisionedThroughputExceededException", "Rate exceeded");
        UserRecordResult lazy = UserRecordResult.success("shardId-000000000001", "4123", 7, List.of(throttled),
                50_000_000, 2_000_000, 123);
        UserRecordResult eager = UserRecordResult.success("shardId-000000000001", "4123", 7,
                List.of(throttled, Attempt.success(Duration.ofMillis(50), Duration.ofMillis(2))));
        assertThat(lazy).isEqualTo(eager).hasSameHashCodeAs(eager).hasToString(eager.toString());
        assertThat(lazy.attempts()).isSameAs(lazy.attempts()).hasSize(2);
        assertThat(lazy.lastAttempt().successful()).isTrue();
        assertThat(UserRecordResult.success("s", "1", 0, List.of(), 0, 5, 0).attempts())
                .containsExactly(Attempt.success(Duration.ZERO, Duration.ofNanos(5)));
        assertThatThrownBy(() -> UserRecordResult.success("s", "1", 0, List.of(), -1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void attemptCountIsTheSizeOfTheAttemptsEveryWayAResultIsMade() {
        Attempt throttled = Attempt.failure(Duration.ZERO, Duration.ofMillis(3),
                "ProvisionedThroughputExceededException", "Rate exceeded");
        List<UserRecordResult> results = List.of(
                UserRecordResult.success("s", "1", 0, List.of(), 0, 5, 0),
                UserRecordResult.success("s", "1", 0, List.of(throttled, throttled), 0, 5, 0),
                UserRecordResult.success("s", "1", 0,
                        List.of(throttled, Attempt.success(Duration.ZERO, Duration.ZERO))),
                UserRecordResult.failure(List.of()),
                UserRecordResult.failure(List.of(throttled, throttled, throttled)));
        assertThat(results).extracting(UserRecordResult::attemptCount).containsExactly(1, 3, 2, 0, 3);
        for (UserRecordResult r : results) {
            assertThat(r.attemptCount()).isEqualTo(r.attempts().size());
        }
    }

    @Test
    void aResultTellsWhenItsRecordWasAddedOrThatNoProducerMadeIt() {
        assertThat(UserRecordResult.success("s", "1", 0, List.of(), 0, 5, 42).addedAtNanos()).isEqualTo(42);
        assertThat(UserRecordResult.failure(List.of(), -7).addedAtNanos()).isEqualTo(-7);
        assertThat(UserRecordResult.success("s", "1", 0, List.of()).addedAtNanos())
                .isEqualTo(UserRecordResult.NOT_ADDED);
        assertThat(UserRecordResult.failure(List.of()).addedAtNanos()).isEqualTo(UserRecordResult.NOT_ADDED);
        // a time, not an outcome: two results of one record at different times are equal
        assertThat(UserRecordResult.success("s", "1", 0, List.of(), 0, 5, 42))
                .isEqualTo(UserRecordResult.success("s", "1", 0, List.of(), 0, 5, 43));
    }
}
