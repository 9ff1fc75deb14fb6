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
        Pacer p = new Pacer(100, () -> t.now, t::park); // one record every 10 ms: a park each
        long start = t.now;
        List<Long> releases = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            p.await();
            releases.add(t.now - start);
        }
        assertThat(releases).containsExactly(0L, 10_000_000L, 20_000_000L, 30_000_000L, 40_000_000L);
    }

    @Test
    void atModerateRatesRecordsLeaveInGroupsAtMostFiveMillisecondsApart() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(3_000, () -> t.now, t::park); // one record due every 333 µs
        long start = t.now;
        for (int n = 0; n < 3_000; n++) { // a second of records
            p.await();
            long due = n * 1_000_000_000L / 3_000;
            long released = t.now - start;
            assertThat(released).as("record %d", n).isLessThanOrEqualTo(due + 1)
                    .isGreaterThanOrEqualTo(due - Pacer.MAX_PARK_NANOS);
        }
        assertThat(t.parks).as("one park per 5 ms, not per 64 records' 21 ms nor per record")
                .hasSizeBetween(195, 200).allSatisfy(nanos -> assertThat(nanos)
                .isGreaterThanOrEqualTo(Pacer.MAX_PARK_NANOS));
    }

    @Test
    void aSenderSlightlyBehindCatchesUpWithoutWaiting() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(100, () -> t.now, t::park); // one record due every 10 ms
        p.await();
        t.now += 19_000_000; // the send took 19 ms: record 1 is due already, record 2 in less than a park
        p.await();
        p.await();
        assertThat(t.parks).isEmpty();
        p.await(); // record 3 is due at 30 ms: waits 11 ms
        assertThat(t.parks).containsExactly(11_000_000L);
    }

    @Test
    void atHighRatesRecordsLeaveInGroupsWithOneParkPerMillisecond() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(100_000, () -> t.now, t::park); // one record due every 10 µs: 64 take 0.64 ms
        long start = t.now;
        for (int n = 0; n < 10_000; n++) { // 100 ms of records
            p.await();
            long due = n * 10_000L;
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
        Pacer p = new Pacer(128_000, () -> t.now, t::park); // due every 7.8 µs: 64 records take 0.5 ms
        for (int n = 0; n < 128; n++) {
            p.await(); // due within 1 ms: goes now
        }
        assertThat(t.parks).isEmpty();
        p.await(); // due at 1 ms: worth a park
        assertThat(t.parks).containsExactly(1_000_000L);
    }

    @Test
    void aLongStallRestartsTheScheduleInsteadOfBursting() {
        FakeTime t = new FakeTime();
        Pacer p = new Pacer(100, () -> t.now, t::park);
        p.await();
        t.now += 1_000_000_000L; // a one-second stall: 100 records behind
        p.await();               // goes at once, the schedule restarts here
        long restart = t.now;
        p.await();               // the next one waits its full interval
        assertThat(t.now - restart).isEqualTo(10_000_000L);
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
