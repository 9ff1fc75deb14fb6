package io.runnel.aggregation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteSinkTest {
    @Test
    void growsAsNeededAndKeepsCapacityOnReset() {
        ByteSink sink = new ByteSink(1);
        byte[] big = new byte[1000];
        Arrays.fill(big, (byte) 7);
        sink.writeByte(1);
        sink.write(big, 0, big.length);
        sink.writeVarInt(300);
        sink.writeUtf8("é", 2);
        sink.write(ByteBuffer.wrap(new byte[] {9, 8}));
        assertThat(sink.size()).isEqualTo(1 + 1000 + 2 + 2 + 2);
        byte[] array = sink.array();
        assertThat(array[0]).isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(array, 1001, 1007))
                .containsExactly(0xAC - 256, 0x02, 0xC3 - 256, 0xA9 - 256, 9, 8);
        sink.reset();
        assertThat(sink.size()).isZero();
        assertThat(sink.array()).isSameAs(array);
    }
}
