package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TallyTest {
    @Test
    void countsOutcomesAndKeepsTheFirstError() {
        Tally t = new Tally();
        t.succeeded(0, 2_000_000);
        t.succeeded(0, 4_000_000);
        t.failed("first");
        t.failed("second");
        t.putRecordsCalls(3);
        t.retried(5);
        t.throttled(2);

        assertThat(t.ok()).isEqualTo(2);
        assertThat(t.failed()).isEqualTo(2);
        assertThat(t.completed()).isEqualTo(4);
        assertThat(t.firstError()).isEqualTo("first");
        assertThat(t.putRecordsCalls()).isEqualTo(3);
        assertThat(t.retries()).isEqualTo(5);
        assertThat(t.throttles()).isEqualTo(2);
        Histogram h = t.takeLatencyMicros();
        assertThat(h.getTotalCount()).isEqualTo(2);
        assertThat(h.getMaxValue()).isBetween(3_990L, 4_010L);
    }

    @Test
    void theSteadyStateHasOnlyTheRecordsHandedOverFromItsStartOn() {
        Tally t = new Tally();
        t.succeeded(0, 9_000_000); // before steadyFrom is known: start-up only
        t.steadyFrom(5_000_000_000L);
        t.succeeded(4_999_000_000L, 5_100_000_000L); // handed over before the steady state
        t.succeeded(5_000_000_000L, 5_002_000_000L);
        t.succeeded(6_000_000_000L, 6_003_000_000L);

        assertThat(t.takeLatencyMicros().getTotalCount()).isEqualTo(4);
        Histogram steady = t.takeSteadyLatencyMicros();
        assertThat(steady.getTotalCount()).isEqualTo(2);
        assertThat(steady.getMaxValue()).isBetween(2_990L, 3_010L);
    }

    @Test
    void mergesTheLatenciesOfEveryReportingThread() throws InterruptedException {
        Tally t = new Tally();
        t.steadyFrom(0);
        Thread[] threads = new Thread[4];
        for (int i = 0; i < threads.length; i++) {
            long micros = (i + 1) * 1_000L;
            threads[i] = new Thread(() -> {
                for (int n = 0; n < 1_000; n++) {
                    t.succeeded(0, micros * 1_000);
                }
            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }

        Histogram all = t.takeLatencyMicros();
        assertThat(all.getTotalCount()).isEqualTo(4_000);
        assertThat(all.getMinValue()).isBetween(995L, 1_005L);
        assertThat(all.getMaxValue()).isBetween(3_990L, 4_010L);
        assertThat(t.takeSteadyLatencyMicros().getTotalCount()).isEqualTo(4_000);
        assertThat(t.ok()).isEqualTo(4_000);
    }

    @Test
    void aLatencyOverAnHourCountsAsAnHour() {
        Tally t = new Tally();
        t.succeeded(0, java.util.concurrent.TimeUnit.HOURS.toNanos(3));

        Histogram h = t.takeLatencyMicros();
        assertThat(h.getTotalCount()).isEqualTo(1);
        assertThat(h.highestEquivalentValue(h.getMaxValue())).isGreaterThanOrEqualTo(Tally.MAX_LATENCY_MICROS);
        assertThat(h.getMaxValue()).isLessThanOrEqualTo(h.highestEquivalentValue(Tally.MAX_LATENCY_MICROS));
    }

    @Test
    void aThreadThatReportsAfterAnotherGetsItsOwnHistograms() throws InterruptedException {
        Tally t = new Tally();
        t.succeeded(0, 1_000_000);
        Thread other = new Thread(() -> t.succeeded(0, 7_000_000));
        other.start();
        other.join();
        t.succeeded(0, 2_000_000);

        assertThat(t.ok()).isEqualTo(3);
        Histogram h = t.takeLatencyMicros();
        assertThat(h.getTotalCount()).isEqualTo(3);
        assertThat(h.getMaxValue()).isBetween(6_990L, 7_010L);
    }
}
