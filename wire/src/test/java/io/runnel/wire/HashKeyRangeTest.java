package io.runnel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HashKeyRangeTest {
    @Test
    void splitsTheKeySpaceLikeCreateStream() {
        List<HashKeyRange> two = HashKeyRange.split(HashKeyRange.ALL, 2);
        assertThat(two.get(0).endInclusive().toDecimalString()).isEqualTo("170141183460469231731687303715884105727");
        assertThat(two.get(1).startInclusive().toDecimalString()).isEqualTo("170141183460469231731687303715884105728");
        List<HashKeyRange> three = HashKeyRange.split(HashKeyRange.ALL, 3);
        assertThat(three).extracting(r -> r.startInclusive().toDecimalString()).containsExactly("0",
                "113427455640312821154458202477256070485", "226854911280625642308916404954512140970");
        assertThat(three.get(2).endInclusive()).isEqualTo(HashKey.MAX);
        assertThat(HashKeyRange.split(HashKeyRange.ALL, 1)).containsExactly(HashKeyRange.ALL);
    }

    static LongStream seeds() {
        return Seeds.of(1000);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void splitCoversTheRangeWithoutGapsOrOverlaps(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int parts = RandomData.intBetween(random, 1, 5000);
        long start = RandomData.longBetween(random, 0, 1L << 40);
        HashKeyRange range = new HashKeyRange(HashKey.of(0, start), HashKey.MAX.subtract(HashKey.of(0, start)));
        List<HashKeyRange> split = HashKeyRange.split(range, parts);
        assertThat(split).as("seed %d", seed).hasSize(parts);
        assertThat(split.get(0).startInclusive()).as("seed %d", seed).isEqualTo(range.startInclusive());
        assertThat(split.get(parts - 1).endInclusive()).as("seed %d", seed).isEqualTo(range.endInclusive());
        for (int i = 1; i < parts; i++) {
            assertThat(split.get(i - 1).endInclusive().add(HashKey.ONE)).as("seed %d", seed)
                    .isEqualTo(split.get(i).startInclusive());
        }
    }

    @Test
    void validatesItsEnds() {
        assertThatThrownBy(() -> new HashKeyRange(HashKey.ONE, HashKey.ZERO)).hasMessageContaining("after its end");
        assertThatThrownBy(() -> HashKeyRange.split(new HashKeyRange(HashKey.ZERO, HashKey.ONE), 3))
                .hasMessageContaining("cannot split");
        HashKeyRange r = HashKeyRange.parse("10", "20");
        assertThat(r.contains(HashKey.parseDecimal("10"))).isTrue();
        assertThat(r.contains(HashKey.parseDecimal("20"))).isTrue();
        assertThat(r.contains(HashKey.parseDecimal("21"))).isFalse();
    }
}
