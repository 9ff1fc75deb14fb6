package io.runnel.wire.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void startsFullRefillsAtTheRateAndSaysWhenTokensAreBack() {
        TokenBucket b = new TokenBucket(1000, 1000);
        assertThat(b.tryTake(1000, 0)).isTrue();
        assertThat(b.tryTake(1, 0)).isFalse();
        assertThat(b.nanosUntil(1, 0)).isEqualTo(SECOND / 1000);
        assertThat(b.tryTake(1, SECOND / 1000)).isTrue();
        assertThat(b.nanosUntil(500, SECOND / 1000)).isEqualTo(SECOND / 2);
        assertThat(b.tryTake(500, SECOND / 1000 + SECOND / 2)).isTrue();
    }

    @Test
    void hugeRatesAndBurstsDoNotOverflow() {
        TokenBucket b = new TokenBucket(10_485_760_000L, 10_485_760_000L); // 10,000 MiB/s
        assertThat(b.tryTake(5_000_000, 0)).isTrue();
        assertThat(b.tryTake(10_485_000_000L, 0)).isFalse(); // only 10,480,760,000 left
        assertThat(b.tryTake(10_485_000_000L, SECOND)).isTrue();
        assertThat(new TokenBucket(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2).tryTake(1, 0)).isTrue();
    }

    static LongStream seeds() {
        return Seeds.of(1000);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void neverAdmitsMoreThanBurstPlusRateOverAnyWindow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long rate = RandomData.longBetween(random, 1, 2_000_000);
        int steps = RandomData.intBetween(random, 1, 500);
        long step = RandomData.longBetween(random, 1, 50_000_000);
        TokenBucket b = new TokenBucket(rate, rate);
        long admitted = 0;
        long now = 0;
        long ask = Math.max(1, rate / 7);
        for (int i = 0; i < steps; i++) {
            while (b.tryTake(ask, now)) {
                admitted += ask;
            }
            now += step;
        }
        long elapsed = now - step;
        // burst + rate * elapsed, with one request of slack for integer rounding
        assertThat((double) admitted).as("seed %d", seed)
                .isLessThanOrEqualTo(rate + (double) rate * elapsed / SECOND + ask);
    }
}
