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
        Pacer p = new Pacer(1000, () -> t.now, t::park);
        p.await();
        t.now += 3_500_000; // the send took 3.5 ms: records 1..3 are due already
        int parksBefore = t.parks.size();
        p.await();
        p.await();
        p.await();
        assertThat(t.parks).hasSize(parksBefore);
        p.await(); // record 4 is due at 4 ms: waits 0.5 ms
        assertThat(t.parks.get(t.parks.size() - 1)).isEqualTo(500_000L);
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
