package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.math.BigInteger;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SequenceNumbersTest {
    @Test
    void formatIsFixedWidthDecimal() {
        String s = SequenceNumbers.format(SequenceNumbers.initialCounter(1_764_000_000_000L), 3);
        assertThat(s).hasSize(SequenceNumbers.LENGTH).matches("4[0-9]{26}").endsWith("000003");
        assertThat(SequenceNumbers.parse(s)).isEqualTo(new SequenceNumbers.Parsed(1_764_000_000_000_000_000L, 3));
    }

    static LongStream seeds() {
        return Seeds.of(1000);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void roundTripsAndOrdersLikeNumbers(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long a = RandomData.longBetween(random, 0, Long.MAX_VALUE);
        long b = RandomData.longBetween(random, 0, Long.MAX_VALUE);
        int shardA = RandomData.intBetween(random, 0, 999_999);
        int shardB = RandomData.intBetween(random, 0, 999_999);
        String sa = SequenceNumbers.format(a, shardA);
        String sb = SequenceNumbers.format(b, shardB);
        assertThat(SequenceNumbers.parse(sa)).as("seed %d", seed).isEqualTo(new SequenceNumbers.Parsed(a, shardA));
        assertThat(Integer.signum(sa.compareTo(sb))).as("seed %d", seed)
                .isEqualTo(Integer.signum(new BigInteger(sa).compareTo(new BigInteger(sb))));
        if (a != b) {
            assertThat(Integer.signum(sa.compareTo(sb))).as("seed %d", seed).isEqualTo(Long.compare(a, b));
        }
    }

    @Test
    void foreignOrMalformedNumbersDoNotParse() {
        assertThat(SequenceNumbers.parse(null)).isNull();
        assertThat(SequenceNumbers.parse("")).isNull();
        assertThat(SequenceNumbers.parse("49590338271490256608559692538361571095921575989136588898")).isNull();
        assertThat(SequenceNumbers.parse("5" + "0".repeat(26))).isNull();
        assertThat(SequenceNumbers.parse("4" + "0".repeat(25) + "x")).isNull();
        assertThat(SequenceNumbers.parse("4" + "9".repeat(20) + "000000")).isNull(); // counter beyond a long
    }
}
