package io.runnel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FaultsTest {
    static LongStream seeds() {
        return Seeds.of(3);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void resetPointsAverageTheMeanAndAreAtLeastOne(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long mean = 2_000_000;
        int draws = 20_000; // the sample mean's standard deviation is mean / sqrt(draws), about 0.7 %
        double sum = 0;
        for (int i = 0; i < draws; i++) {
            long point = Faults.resetPoint(random, mean);
            assertTrue(point >= 1, "seed " + seed + ": " + point);
            sum += point;
        }
        double average = sum / draws;
        assertTrue(Math.abs(average - mean) < mean * 0.05, "seed " + seed + ": average " + average);
        for (int i = 0; i < 1000; i++) {
            assertTrue(Faults.resetPoint(random, 1) >= 1, "seed " + seed);
        }
    }

    @Test
    void sameSeedGivesSameResetPoints() {
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(Faults.resetPoint(a, 5000), Faults.resetPoint(b, 5000));
        }
    }

    @Test
    void zeroMeanTurnsResetsOffAndNegativeValuesAreRejected() {
        Faults none = Faults.none();
        assertFalse(none.resetsEnabled());
        assertEquals(0, none.chunkDelayMillis());
        Faults faults = Faults.resetAfterMeanBytes(100).withSeed(7).withChunkDelayMillis(3);
        assertEquals(new Faults(100, 7, 3), faults);
        assertTrue(faults.resetsEnabled());
        assertFalse(faults.withResetMeanBytes(0).resetsEnabled());
        assertThrows(IllegalArgumentException.class, () -> Faults.resetAfterMeanBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> Faults.none().withChunkDelayMillis(-1));
        assertThrows(IllegalArgumentException.class, () -> Faults.resetPoint(new SplittableRandom(1), 0));
    }
}
