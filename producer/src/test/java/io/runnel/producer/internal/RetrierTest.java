package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.producer.Attempt;
import io.runnel.producer.errors.RecordExpiredException;
import io.runnel.producer.errors.RecordRejectedException;
import io.runnel.producer.errors.RecordTimeoutException;
import io.runnel.producer.metrics.ProducerMetrics;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.KinesisTransportException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrierTest {
    private static final long TTL = 10_000;

    private long now;
    private final Clock clock = new Clock() {
        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long wallMillis() {
            return now / 1_000_000;
        }
    };
    private final Map<PendingUserRecord, Throwable> failed = new LinkedHashMap<>();
    /** The ceiling as the delay: no jitter, so the due times are known. */
    private final Retrier retrier = retrier(false);

    private Retrier retrier(boolean returnUserRecord) {
        return new Retrier(clock, ProducerMetrics.NOOP, new Backoff(100, 1_000, bound -> bound), returnUserRecord,
                (r, result, failure) -> {
                    if (r.claim(result, failure)) {
                        failed.put(r, failure);
                        return true;
                    }
                    return false;
                });
    }

    private PendingUserRecord record(String key) {
        return PendingUserRecord.create("s", key, null, key.getBytes(StandardCharsets.UTF_8), now, TTL, 64);
    }

    @Test
    void aRetriedRecordIsRoutedWhenItsBackoffIsOverInDueOrder() {
        PendingUserRecord a = record("a");
        PendingUserRecord b = record("b");
        List<PendingUserRecord> routed = new ArrayList<>();
        retrier.retry(a, "InternalFailure", "first", 0, 50); // first retry: 100 ns of backoff, due at 150
        now = 150;
        retrier.due(now, routed::add);
        assertThat(routed).containsExactly(a);
        routed.clear();
        retrier.retry(a, "InternalFailure", "second", 150, 200); // second retry: 200 ns, due at 400
        retrier.retry(b, "ProvisionedThroughputExceededException", "slow down", 0, 100); // due at 200

        now = 199;
        retrier.due(now, routed::add);
        assertThat(routed).isEmpty();
        now = 400;
        retrier.due(now, routed::add);

        assertThat(routed).containsExactly(b, a);
        assertThat(retrier.retries()).isEqualTo(3);
        assertThat(a.retries).isEqualTo(2);
        assertThat(a.attempts()).extracting(Attempt::errorMessage).containsExactly("first", "second");
        assertThat(failed).isEmpty();
    }

    @Test
    void aRecordWhoseTtlRunsOutWhileWaitingExpiresNamingTheLastError() {
        PendingUserRecord r = record("k");
        retrier.retry(r, "ServiceUnavailable", "try later", 0, TTL - 10); // due capped at its expiry

        now = TTL;
        retrier.due(now, x -> {
            throw new AssertionError("an expired record was routed");
        });

        assertThat(failed.get(r)).isInstanceOf(RecordExpiredException.class)
                .hasMessageContaining("while waiting to be retried")
                .hasMessageContaining("ServiceUnavailable: try later")
                .hasCauseInstanceOf(KinesisServiceException.class);
        assertThat(((RecordExpiredException) failed.get(r)).result().attempts()).hasSize(2);
    }

    @Test
    void anAttemptThatEndsAfterTheTtlExpiresTheRecordInsteadOfRetryingIt() {
        PendingUserRecord r = record("k");
        now = TTL + 5;

        assertThat(retrier.failedAttempt(r, "CONNECTION_CLOSED", "reset", 0, TTL + 5)).isFalse();

        assertThat(failed.get(r)).isInstanceOf(RecordExpiredException.class)
                .hasCauseInstanceOf(KinesisTransportException.class);
        retrier.due(Long.MAX_VALUE, x -> {
            throw new AssertionError("nothing should wait");
        });
        assertThat(retrier.retries()).isZero();
    }

    @Test
    void rejectAndTimeOutFailTheRecordOnceWithItsAttempts() {
        PendingUserRecord rejected = record("r");
        PendingUserRecord late = record("t");
        retrier.reject(rejected, "ValidationException", "too big", 0, 10, null);
        retrier.reject(rejected, "ValidationException", "again", 10, 20, null); // already failed: ignored
        retrier.retry(late, "InternalFailure", "oops", 0, 10);
        retrier.timeOut(late, 5_000_000);

        assertThat(failed.get(rejected)).isInstanceOf(RecordRejectedException.class)
                .hasMessage("ValidationException: too big");
        assertThat(((RecordRejectedException) failed.get(rejected)).result().attempts()).hasSize(1);
        assertThat(failed.get(late)).isInstanceOf(RecordTimeoutException.class)
                .hasMessageContaining("UserRecordTimeoutInMillis 5 ms after 1 attempts")
                .hasMessageContaining("InternalFailure: oops");
        List<PendingUserRecord> waiting = new ArrayList<>();
        retrier.forEach(waiting::add);
        assertThat(waiting).containsExactly(late); // still queued; due() skips nothing, the claim decides
        retrier.clear();
        waiting.clear();
        retrier.forEach(waiting::add);
        assertThat(waiting).isEmpty();
    }

    @Test
    void theUserRecordTravelsWithTheFailureOnlyWhenAsked() {
        Retrier returning = retrier(true);
        PendingUserRecord r = record("k");
        returning.reject(r, "AccessDeniedException", "no", 0, 1, null);
        PendingUserRecord s = record("l");
        retrier.reject(s, "AccessDeniedException", "no", 0, 1, null);

        assertThat(((RecordRejectedException) failed.get(r)).userRecord()).isNotNull()
                .satisfies(u -> assertThat(u.partitionKey()).isEqualTo("k"));
        assertThat(((RecordRejectedException) failed.get(s)).userRecord()).isNull();
    }
}
