package io.runnel.aggregation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class Utf8Test {
    @Property
    void matchesTheJdkForWellFormedStrings(@ForAll String s) {
        int length = Utf8.encodedLength(s);
        boolean wellFormed = StandardCharsets.UTF_8.newEncoder().canEncode(s);
        if (!wellFormed) {
            assertThat(length).isNegative();
            return;
        }
        byte[] expected = s.getBytes(StandardCharsets.UTF_8);
        assertThat(length).isEqualTo(expected.length);
        byte[] out = new byte[length + 2];
        assertThat(Utf8.encode(s, out, 1)).isEqualTo(length + 1);
        assertThat(Arrays.copyOfRange(out, 1, length + 1)).isEqualTo(expected);
    }

    @Test
    void reportsTheIndexOfAnUnpairedSurrogate() {
        assertThat(Utf8.encodedLength("ab\uD83D")).isEqualTo(-3);
        assertThat(Utf8.encodedLength("\uDE00x")).isEqualTo(-1);
        assertThat(Utf8.encodedLength("\uD83D\uDE00")).isEqualTo(4);
    }
}
