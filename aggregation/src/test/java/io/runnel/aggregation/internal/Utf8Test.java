package io.runnel.aggregation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Utf8Test {
    static LongStream seeds() {
        return Seeds.of(1000);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void matchesTheJdkForWellFormedStrings(long seed) {
        String s = RandomData.string(new SplittableRandom(seed), 255);
        int length = Utf8.encodedLength(s);
        boolean wellFormed = StandardCharsets.UTF_8.newEncoder().canEncode(s);
        if (!wellFormed) {
            assertThat(length).as("seed %d", seed).isNegative();
            return;
        }
        byte[] expected = s.getBytes(StandardCharsets.UTF_8);
        assertThat(length).as("seed %d", seed).isEqualTo(expected.length);
        byte[] out = new byte[length + 2];
        assertThat(Utf8.encode(s, out, 1)).as("seed %d", seed).isEqualTo(length + 1);
        assertThat(Arrays.copyOfRange(out, 1, length + 1)).as("seed %d", seed).isEqualTo(expected);
    }

    @Test
    void reportsTheIndexOfAnUnpairedSurrogate() {
        assertThat(Utf8.encodedLength("ab\uD83D")).isEqualTo(-3);
        assertThat(Utf8.encodedLength("\uDE00x")).isEqualTo(-1);
        assertThat(Utf8.encodedLength("\uD83D\uDE00")).isEqualTo(4);
    }
}
