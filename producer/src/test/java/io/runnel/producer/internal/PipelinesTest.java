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
}
