package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsRateLimitPercentOfTheShardLimitsPerShard() {
        Limiter limiter = new Limiter(150, 1024 * 1024);
        int a = 0;
        int b = 0;
        for (int i = 0; i < 3000; i++) {
            if (limiter.tryAcquire("a", 10, 0)) {
                a++;
            }
            if (i < 100 && limiter.tryAcquire("b", 10, 0)) {
                b++;
            }
        }
        assertThat(a).isEqualTo(1500);
        assertThat(b).isEqualTo(100);
        long wait = limiter.nanosUntilAvailable("a", 10, 0);
        // One token's worth of time (1e9/1500 ns), give or take the nanosecond rounding of each token's cost.
        assertThat(wait).isBetween(SECOND / 1500 - 2_000, SECOND / 1500);
        assertThat(limiter.tryAcquire("a", 10, wait - 1)).isFalse();
        assertThat(limiter.tryAcquire("a", 10, wait)).isTrue();
    }

    @Test
    void bytesAreLimitedTooButALargeRecordCanAlwaysPass() {
        Limiter limiter = new Limiter(100, 5 * 1024 * 1024);
        assertThat(limiter.tryAcquire("s", 1024 * 1024, 0)).isTrue();
        assertThat(limiter.tryAcquire("s", 5 * 1024 * 1024, 0)).isFalse();
        long wait = limiter.nanosUntilAvailable("s", 5 * 1024 * 1024, 0);
        assertThat(wait).isEqualTo(SECOND);
        assertThat(limiter.tryAcquire("s", 5 * 1024 * 1024, wait)).isTrue();
    }

    @Test
    void forgetsShardsThatAreGone() {
        Limiter limiter = new Limiter(100, 1024 * 1024);
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("parent", 1, 0);
        }
        assertThat(limiter.tryAcquire("parent", 1, 0)).isFalse();
        limiter.retainOnly(java.util.List.of("child"));
        assertThat(limiter.tryAcquire("parent", 1, 0)).isTrue();
    }
}
