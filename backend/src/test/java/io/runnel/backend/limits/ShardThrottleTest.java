package io.runnel.backend.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardThrottleTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MIB = 1024 * 1024;

    @Test
    void admitsAThousandSmallRecordsPerSecondAndRefillsSmoothly() {
        ShardThrottle throttle = new ShardThrottle();
        long now = 5 * SECOND;
        int admitted = 0;
        for (int i = 0; i < 1500; i++) {
            if (throttle.tryWrite(10, now)) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(1000);
        assertThat(throttle.tryWrite(10, now + SECOND / 1000 - 1)).isFalse();
        assertThat(throttle.tryWrite(10, now + SECOND / 1000)).isTrue();
        // Over ten seconds of steady offers, the admitted count stays at the rate.
        int steady = 0;
        for (long t = now + SECOND; t < now + 11 * SECOND; t += SECOND / 2000) {
            if (throttle.tryWrite(10, t)) {
                steady++;
            }
        }
        assertThat(steady).isBetween(10_000, 11_001);
    }

    @Test
    void admitsAMebibytePerSecond() {
        ShardThrottle throttle = new ShardThrottle();
        long now = SECOND;
        assertThat(throttle.tryWrite(MIB / 2, now)).isTrue();
        assertThat(throttle.tryWrite(MIB / 2, now)).isTrue();
        assertThat(throttle.tryWrite(1, now)).isFalse();
        assertThat(throttle.tryWrite(MIB / 2, now + SECOND / 2)).isTrue();
        assertThat(throttle.tryWrite(MIB, now + SECOND / 2)).isFalse();
    }

    @Test
    void refusedWriteChargesNothing() {
        ShardThrottle throttle = new ShardThrottle();
        assertThat(throttle.tryWrite(MIB, 0)).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(throttle.tryWrite(MIB, SECOND / 2)).isFalse();
        }
        assertThat(throttle.tryWrite(MIB, SECOND)).isTrue();
    }

    @Test
    void largeRecordNeedsBurstCapacity() {
        assertThat(new ShardThrottle().tryWrite(5 * MIB, 0)).isFalse();
        ShardThrottle burst = new ShardThrottle(10 * MIB);
        assertThat(burst.tryWrite(5 * MIB, 0)).isTrue();
        assertThat(burst.tryWrite(5 * MIB, 0)).isTrue();
        assertThat(burst.tryWrite(MIB, 0)).isFalse();
        assertThat(burst.tryWrite(MIB, SECOND)).isTrue();
    }

    @Test
    void fiveReadsPerSecondAndALargeReadBlocksLaterOnes() {
        ShardThrottle throttle = new ShardThrottle();
        for (int i = 0; i < 5; i++) {
            assertThat(throttle.tryStartRead(0)).isTrue();
        }
        assertThat(throttle.tryStartRead(0)).isFalse();
        assertThat(throttle.tryStartRead(SECOND / 5)).isTrue();

        ShardThrottle big = new ShardThrottle();
        assertThat(big.tryStartRead(0)).isTrue();
        big.chargeRead(10 * MIB, 0); // overdraws 2 MiB/s by 8 MiB: about 4 seconds of debt
        assertThat(big.tryStartRead(3 * SECOND)).isFalse();
        assertThat(big.tryStartRead(4 * SECOND + SECOND / 10)).isTrue();
    }
}
