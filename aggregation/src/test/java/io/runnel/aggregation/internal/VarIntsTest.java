package io.runnel.aggregation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VarIntsTest {
    @Test
    void sizesAtTheBoundaries() {
        assertThat(VarInts.size(0)).isEqualTo(1);
        assertThat(VarInts.size(127)).isEqualTo(1);
        assertThat(VarInts.size(128)).isEqualTo(2);
        assertThat(VarInts.size(16_383)).isEqualTo(2);
        assertThat(VarInts.size(16_384)).isEqualTo(3);
        assertThat(VarInts.size(Long.MAX_VALUE)).isEqualTo(9);
        assertThat(VarInts.size(-1L)).isEqualTo(10);
        assertThat(VarInts.tag(3, 2)).isEqualTo(0x1A);
    }

    static LongStream seeds() {
        return Seeds.of(1000);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void agreesWithProtobuf(long seed) throws Exception {
        long value = RandomData.anyLong(new SplittableRandom(seed));
        byte[] buf = new byte[10];
        int end = VarInts.write(value, buf, 0);
        assertThat(end).as("seed %d, value %d", seed, value).isEqualTo(VarInts.size(value))
                .isEqualTo(CodedOutputStream.computeUInt64SizeNoTag(value));
        assertThat(CodedInputStream.newInstance(buf, 0, end).readUInt64()).as("seed %d", seed).isEqualTo(value);
    }
}
