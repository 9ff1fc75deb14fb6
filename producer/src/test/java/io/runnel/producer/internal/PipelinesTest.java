package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PipelinesTest {
    @Test
    void everyKeyGoesToTheSliceThatHoldsIt() {
        Random random = new Random(7);
        for (int n = 1; n <= 9; n++) {
            List<HashKeyRange> slices = HashKeyRange.split(HashKeyRange.ALL, n);
            HashKey[] starts = Pipelines.starts(slices);
            for (int i = 0; i < 2_000; i++) {
                HashKey key = HashKey.of(random.nextLong(), random.nextLong());
                assertThat(slices.get(Pipelines.sliceOf(starts, key)).contains(key)).as("%s in %d", key, n).isTrue();
            }
            for (int s = 0; s < n; s++) { // both ends of every slice
                assertThat(Pipelines.sliceOf(starts, slices.get(s).startInclusive())).isEqualTo(s);
                assertThat(Pipelines.sliceOf(starts, slices.get(s).endInclusive())).isEqualTo(s);
            }
            assertThat(Pipelines.sliceOf(starts, null)).isBetween(0, n - 1);
        }
        HashKey[] one = Pipelines.starts(List.of(HashKeyRange.ALL));
        assertThat(Pipelines.sliceOf(one, HashKey.MAX)).isZero();
    }

    @Test
    void aShardsPartInASliceIsTheShareOfItsKeysThere() {
        List<HashKeyRange> quarters = HashKeyRange.split(HashKeyRange.ALL, 4);
        List<HashKeyRange> thirds = HashKeyRange.split(HashKeyRange.ALL, 3);
        // the second quarter [1/4, 1/2) crosses the first third's end at 1/3: a third of it in the first slice
        assertThat(StreamState.overlap(quarters.get(1), thirds.get(0))).isCloseTo(1.0 / 3, within());
        assertThat(StreamState.overlap(quarters.get(1), thirds.get(1))).isCloseTo(2.0 / 3, within());
        assertThat(StreamState.overlap(quarters.get(0), thirds.get(0))).isEqualTo(1.0);
        assertThat(StreamState.overlap(quarters.get(3), thirds.get(0))).isZero();
        assertThat(StreamState.overlap(HashKeyRange.ALL, HashKeyRange.ALL)).isEqualTo(1.0);
        HashKeyRange oneKey = new HashKeyRange(HashKey.ONE, HashKey.ONE);
        assertThat(StreamState.overlap(oneKey, thirds.get(0))).isEqualTo(1.0);
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }
}
