package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void ceilingDoublesUpToTheMaximumWithoutOverflow() {
        Backoff b = new Backoff(100, 5_000, bound -> bound);
        assertThat(b.ceilingNanos(1)).isEqualTo(100);
        assertThat(b.ceilingNanos(2)).isEqualTo(200);
        assertThat(b.ceilingNanos(6)).isEqualTo(3_200);
        assertThat(b.ceilingNanos(7)).isEqualTo(5_000);
        assertThat(b.ceilingNanos(70)).isEqualTo(5_000);
        assertThat(new Backoff(3, Long.MAX_VALUE, x -> x).ceilingNanos(64)).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> b.ceilingNanos(0)).hasMessageContaining("attempt");
    }

    @Test
    void jitterStaysWithinTheCeiling() {
        Backoff b = Backoff.withJitter(1_000, 1_000_000);
        for (int attempt = 1; attempt < 30; attempt++) {
            for (int i = 0; i < 100; i++) {
                assertThat(b.delayNanos(attempt)).isBetween(0L, b.ceilingNanos(attempt));
            }
        }
    }
}
