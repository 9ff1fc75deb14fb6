package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {
    /** A clock that only moves when the pacer parks (or the test says so). */
    private static final class FakeTime {
        long now = 1_000_000_000L;
        final List<Long> parks = new ArrayList<>();

        void park(long nanos) {
            parks.add(nanos);
            now += nanos;
        }
    }

    @Test
    void spacesRecordsEvenlyAtTheRate() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(1000, () -> t.now, t::park);
        long start = t.now;
        List<Long> releases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            p.await();
            releases.add(t.now - start);
        }
        assertThat(releases).containsExactly(0L, 1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L);
    }

    @Test
    void aSenderSlightlyBehindCatchesUpWithoutWaiting() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(250, () -> t.now, t::park); // one record due every 4 ms
        p.await();
        t.now += 9_000_000; // the send took 9 ms: records 1 and 2 are due already
        p.await();
        p.await();
        assertThat(t.parks).isEmpty();
        p.await(); // record 3 is due at 12 ms: waits 3 ms
        assertThat(t.parks).containsExactly(3_000_000L);
    }

    @Test
    void atHighRatesRecordsLeaveInGroupsWithOneParkPerMillisecond() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(50_000, () -> t.now, t::park); // one record due every 20 µs
        long start = t.now;
        for (int n = 0; n < 5_000; n++) { // 100 ms of records
            p.await();
            long due = n * 20_000L;
            long released = t.now - start;
            assertThat(released).as("record %d", n).isLessThanOrEqualTo(due)
                    .isGreaterThan(due - Pacer.MIN_PARK_NANOS);
        }
        assertThat(t.parks).hasSizeBetween(99, 101).allSatisfy(nanos -> assertThat(nanos)
                .isGreaterThanOrEqualTo(Pacer.MIN_PARK_NANOS));
    }

    @Test
    void aWaitShorterThanAParkIsNotTaken() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(2_000, () -> t.now, t::park); // due every 0.5 ms
        p.await();
        p.await(); // due in 0.5 ms: goes now
        assertThat(t.parks).isEmpty();
        p.await(); // due at 1 ms: worth a park
        assertThat(t.parks).containsExactly(1_000_000L);
    }

    @Test
    void aLongStallRestartsTheScheduleInsteadOfBursting() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(1000, () -> t.now, t::park);
        p.await();
        t.now += 1_000_000_000L; // a one-second stall: 1,000 records behind
        p.await();               // goes at once, the schedule restarts here
        long restart = t.now;
        p.await();               // the next one waits its full interval
        assertThat(t.now - restart).isEqualTo(1_000_000L);
    }

    @Test
    void rateZeroNeverWaits() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(0, () -> t.now, t::park);
        for (int i = 0; i < 1000; i++) {
            p.await();
        }
        assertThat(t.parks).isEmpty();
    }

    @Test
    void aNegativeRateIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> new Pacer(-1)).hasMessageContaining("--rate");
        assertThatThrownBy(() -> new Pacer(Double.NaN)).hasMessageContaining("--rate");
    }
}
