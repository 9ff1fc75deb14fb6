package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class SequenceNumbersTest {
    @Test
    void formatIsFixedWidthDecimal() {
        String s = SequenceNumbers.format(SequenceNumbers.initialCounter(1_764_000_000_000L), 3);
        assertThat(s).hasSize(SequenceNumbers.LENGTH).matches("4[0-9]{26}").endsWith("000003");
        assertThat(SequenceNumbers.parse(s)).isEqualTo(new SequenceNumbers.Parsed(1_764_000_000_000_000_000L, 3));
    }

    @Property
    void roundTripsAndOrdersLikeNumbers(@ForAll @LongRange(min = 0) long a, @ForAll @LongRange(min = 0) long b,
            @ForAll @IntRange(max = 999_999) int shardA, @ForAll @IntRange(max = 999_999) int shardB) {
        String sa = SequenceNumbers.format(a, shardA);
        String sb = SequenceNumbers.format(b, shardB);
        assertThat(SequenceNumbers.parse(sa)).isEqualTo(new SequenceNumbers.Parsed(a, shardA));
        assertThat(Integer.signum(sa.compareTo(sb)))
                .isEqualTo(Integer.signum(new BigInteger(sa).compareTo(new BigInteger(sb))));
        if (a != b) {
            assertThat(Integer.signum(sa.compareTo(sb))).isEqualTo(Long.compare(a, b));
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
