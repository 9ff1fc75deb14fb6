package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.wire.internal.TokenBucket;
import org.junit.jupiter.api.Test;

class LimiterTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1024 * 1024;

    @Test
    void startsAtTheShardLimitsEvenWhenRateLimitAllowsMore() {
        Limiter limiter = new Limiter(150, MIB);
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
        assertThat(a).isEqualTo(1000); // one second's burst of the shard limit, not 150% of it
        assertThat(b).isEqualTo(100);
        long wait = limiter.nanosUntilAvailable("a", 10, 0);
        assertThat(wait).isBetween(1L, SECOND / 1000 + 1);
        assertThat(limiter.tryAcquire("a", 10, wait)).isTrue();
        // Sent at the limit once: the rate has just begun to probe above it.
        assertThat(limiter.share("a")).isBetween(1.0, Math.exp(Limiter.SLOW_START / 1000) + 1e-9); // one 1 ms record
    }

    @Test
    void aRateLimitBelowOneHundredPercentIsWhereShardsStartAndStay() {
        Limiter limiter = new Limiter(50, 512 * 1024);
        int passed = 0;
        for (long t = 0; t < 10 * SECOND; t += SECOND / 1000) {
            while (limiter.tryAcquire("s", 10, t)) {
                passed++;
            }
        }
        // 500 records/s for 10 s after a burst of 500, with no additive increase beyond the ceiling.
        assertThat(passed).isBetween(5_000, 5_501);
        assertThat(limiter.share("s")).isEqualTo(0.5);
    }

    @Test
    void bytesAreLimitedTooAndTheBurstIsTheStreamsLargestRecord() {
        Limiter limiter = new Limiter(100, 5 * MIB);
        assertThat(limiter.tryAcquire("s", MIB, 0)).isTrue();
        assertThat(limiter.tryAcquire("s", 5 * MIB, 0)).isFalse();
        long wait = limiter.nanosUntilAvailable("s", 5 * MIB, 0);
        assertThat(wait).isBetween(SECOND - 1, SECOND + 1);
        assertThat(limiter.tryAcquire("s", 5 * MIB, wait + 1)).isTrue();
    }

    @Test
    void belowTheLimitItNeverAdmitsWhatTheServicesOwnBucketWouldRefuse() {
        // The service's model (the backend's ShardThrottle): a 1 MiB/s bucket with a one-second burst. Whatever the
        // limiter admits at or below its shard limit, the service admits too, however the records are sized.
        Limiter limiter = new Limiter(100, MIB);
        TokenBucket service = new TokenBucket(MIB, MIB);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long t = 0;
        long admitted = 0;
        for (int i = 0; i < 20_000; i++) {
            long bytes = 1 + random.nextInt(60_000);
            t += random.nextInt(2_000_000);
            if (limiter.tryAcquire("s", bytes, t)) {
                assertThat(service.tryTake(bytes, t)).as("record %d of %d bytes at %d ns", i, bytes, t).isTrue();
                admitted += bytes;
            }
        }
        assertThat(admitted).isGreaterThan(0);
    }

    @Test
    void untilTheFirstThrottleItGrowsFourfoldPerTenthOfASecondAtTheLimitThenSlowly() {
        Limiter limiter = new Limiter(1_000_000, MIB);
        long t = 0;
        long step = SECOND / 10_000;
        long sent = 0;
        // Always more to send: 8 KiB records offered as fast as the limiter lets them through. The first 1 MiB passes
        // as the burst; from then on it is at the limit.
        while (limiter.tryAcquire("s", 8 * 1024, t)) {
            sent += 8 * 1024;
        }
        for (long end = t + SECOND / 10; t < end; t += step) {
            while (limiter.tryAcquire("s", 8 * 1024, t)) {
                sent += 8 * 1024;
            }
        }
        assertThat(limiter.share("s")).isBetween(3.0, 5.0); // e^(SLOW_START * 0.1 s) = 4
        for (long end = t + SECOND / 10; t < end; t += step) {
            while (limiter.tryAcquire("s", 8 * 1024, t)) {
                sent += 8 * 1024;
            }
        }
        assertThat(limiter.share("s")).isBetween(12.0, 20.0); // 16 after 0.2 s
        limiter.throttled("s", t, t);
        double afterThrottle = limiter.share("s");
        // throttled above the documented limit: back to just under it
        assertThat(afterThrottle).isCloseTo(Limiter.DECREASE, org.assertj.core.data.Offset.offset(1e-9));
        for (long end = t + 20 * SECOND; t < end; t += step) {
            while (limiter.tryAcquire("s", 8 * 1024, t)) {
                sent += 8 * 1024;
            }
        }
        // 20 s at the limit after a throttle: additive, INCREASE of the shard limit per second
        assertThat(limiter.share("s") - afterThrottle).isCloseTo(20 * Limiter.INCREASE,
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(sent).isPositive();
    }

    @Test
    void neverAboveRateLimit() {
        Limiter limiter = new Limiter(150, MIB);
        for (long t = 0; t < 10 * SECOND; t += SECOND / 1000) {
            limiter.tryAcquire("s", 8 * 1024, t);
        }
        assertThat(limiter.share("s")).isEqualTo(1.5);
    }

    @Test
    void idleShardsDoNotProbe() {
        Limiter limiter = new Limiter(150, MIB);
        for (long t = 0; t < 100 * SECOND; t += SECOND / 10) {
            assertThat(limiter.tryAcquire("s", 1_000, t)).isTrue();
        }
        assertThat(limiter.share("s")).isEqualTo(1.0);
    }

    @Test
    void aThrottleDecreasesTheRateOncePerRoundTripAndEmptiesTheBudget() {
        Limiter limiter = new Limiter(150, MIB);
        limiter.tryAcquire("s", 1_000, 0);
        limiter.throttled("s", 0, 10);
        assertThat(limiter.share("s")).isEqualTo(Limiter.DECREASE);
        assertThat(limiter.tryAcquire("s", 1, 10)).isFalse();
        // Another record of a request sent before the decrease: the same congestion, no second decrease.
        limiter.throttled("s", 5, 20);
        assertThat(limiter.share("s")).isEqualTo(Limiter.DECREASE);
        // A request sent after the decrease was throttled too: decrease again.
        limiter.throttled("s", 30, 40);
        assertThat(limiter.share("s")).isEqualTo(Limiter.DECREASE * Limiter.DECREASE);
        for (int i = 0; i < 100; i++) {
            limiter.throttled("s", 100 + 2L * i, 101 + 2L * i);
        }
        assertThat(limiter.share("s")).isEqualTo(Limiter.FLOOR);
    }

    @Test
    void againstAServiceAtTheDocumentedLimitItConvergesNearItWithRareThrottles() {
        // The service grants exactly 1 MiB/s (one-second burst); the producer always has 50 KiB aggregates to send
        // and each request takes 5 ms. Throttles stay rare and the shard's capacity is used.
        Limiter limiter = new Limiter(150, MIB);
        TokenBucket service = new TokenBucket(MIB, MIB);
        long rtt = 5_000_000;
        long bytes = 50 * 1024;
        long accepted = 0;
        long throttled = 0;
        long sent = 0;
        long t = 0;
        long end = 300 * SECOND;
        while (t < end) {
            if (limiter.tryAcquire("s", bytes, t)) {
                sent++;
                if (service.tryTake(bytes, t + rtt / 2)) {
                    accepted += bytes;
                } else {
                    throttled++;
                    limiter.throttled("s", t, t + rtt);
                }
                t += rtt;
            } else {
                t += Math.max(1, limiter.nanosUntilAvailable("s", bytes, t));
            }
        }
        double utilization = accepted / (double) (MIB * 300);
        assertThat(utilization).as("utilization").isGreaterThan(0.95);
        assertThat(throttled).as("throttled of %d", sent).isLessThan(sent / 100);
        assertThat(throttled).as("it does probe").isGreaterThan(0);
    }

    @Test
    void forgetsShardsThatAreGone() {
        Limiter limiter = new Limiter(100, MIB);
        for (int i = 0; i < 1000; i++) {
            limiter.tryAcquire("parent", 1, 0);
        }
        assertThat(limiter.tryAcquire("parent", 1, 0)).isFalse();
        limiter.retainOnly(java.util.List.of("child"));
        assertThat(limiter.tryAcquire("parent", 1, 0)).isTrue();
    }
}
