package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class TallyTest {
    @Test
    void countsOutcomesAndKeepsTheFirstError() {
        Tally t = new Tally();
        t.succeeded(2_000_000);
        t.succeeded(4_000_000);
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
}
