package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordGeneratorTest {
    @Test
    void recordIHasKeyIModKAndDataIndexBarFillerOfExactlyBBytes() {
        RecordGenerator g = new RecordGenerator(12, 7, 999);

        assertThat(g.partitionKey(0)).isEqualTo("pk-0");
        assertThat(g.partitionKey(6)).isEqualTo("pk-6");
        assertThat(g.partitionKey(7)).isEqualTo("pk-0");
        assertThat(g.partitionKey(999)).isEqualTo("pk-" + (999 % 7));
        assertThat(new String(g.data(0), StandardCharsets.US_ASCII)).isEqualTo("0|..........");
        assertThat(new String(g.data(42), StandardCharsets.US_ASCII)).isEqualTo("42|.........");
        assertThat(new String(g.data(999), StandardCharsets.US_ASCII)).isEqualTo("999|........");
        assertThat(g.data(5)).hasSize(12);
    }

    @Test
    void dataArraysAreIndependentCopies() {
        RecordGenerator g = new RecordGenerator(8, 3, 10);
        byte[] a = g.data(1);
        a[3] = 'x';
        assertThat(new String(g.data(1), StandardCharsets.US_ASCII)).isEqualTo("1|......");
    }

    @Test
    void aRecordSizeThatCannotHoldTheLargestIndexIsRejectedNamingTheOption() {
        assertThatThrownBy(() -> new RecordGenerator(4, 10, 9_999)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--record-size 4 is too small: record 9999 needs 5 bytes (its decimal index and '|')");
        assertThat(new RecordGenerator(5, 10, 9_999).data(9_999)).hasSize(5);
        assertThatThrownBy(() -> new RecordGenerator(100, 0, 10)).hasMessageContaining("--keys");
    }

    @Test
    void indicesBeyondTheDeclaredRangeAreRefused() {
        RecordGenerator g = new RecordGenerator(10, 3, 99);
        assertThatThrownBy(() -> g.data(100)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100");
        assertThatThrownBy(() -> g.data(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void minAndMaxSizesAgree() {
        assertThat(RecordGenerator.minRecordSize(0)).isEqualTo(2);
        assertThat(RecordGenerator.minRecordSize(9)).isEqualTo(2);
        assertThat(RecordGenerator.minRecordSize(10)).isEqualTo(3);
        assertThat(RecordGenerator.maxIndexFor(2)).isEqualTo(9);
        assertThat(RecordGenerator.maxIndexFor(4)).isEqualTo(999);
        assertThat(RecordGenerator.maxIndexFor(1)).isEqualTo(0); // no digit: nothing fits (minRecordSize(0) = 2)
        assertThat(RecordGenerator.maxIndexFor(100)).isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void parseIndexReadsTheDecimalBeforeTheBarAndRejectsAnythingElse() {
        assertThat(RecordGenerator.parseIndex("123|..".getBytes(StandardCharsets.US_ASCII))).isEqualTo(123);
        assertThat(RecordGenerator.parseIndex("0|".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0);
        assertThat(RecordGenerator.parseIndex("|..".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(RecordGenerator.parseIndex("12a|".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(RecordGenerator.parseIndex("123".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(RecordGenerator.parseIndex(new byte[0])).isEqualTo(-1);
    }

    @Test
    void matchesOnlyTheExactDataOfTheIndex() {
        RecordGenerator g = new RecordGenerator(8, 3, 100);
        assertThat(g.matches(7, g.data(7))).isTrue();
        assertThat(g.matches(8, g.data(7))).isFalse();
        byte[] changed = g.data(7);
        changed[7] = '!';
        assertThat(g.matches(7, changed)).isFalse();
        assertThat(g.matches(7, "7|.....".getBytes(StandardCharsets.US_ASCII))).isFalse(); // one byte short
    }

    @Test
    void manyKeysAreBuiltOnDemand() {
        RecordGenerator g = new RecordGenerator(20, 5_000_000, 4_999_999);
        assertThat(g.partitionKey(4_999_999)).isEqualTo("pk-4999999");
        assertThat(g.partitionKey(12)).isEqualTo("pk-12");
    }

    @Test
    void balancedKeysGiveEveryEvenlySplitShardAsManyKeys() {
        RecordGenerator plain = new RecordGenerator(100, 1000, 9999);
        RecordGenerator balanced = new RecordGenerator(100, 1000, 9999, 0, 4);
        int[] plainPerShard = new int[4];
        int[] balancedPerShard = new int[4];
        java.math.BigInteger space = java.math.BigInteger.ONE.shiftLeft(128);
        for (int k = 0; k < 1000; k++) {
            plainPerShard[shardOf(plain.partitionKey(k), space)]++;
            balancedPerShard[shardOf(balanced.partitionKey(k), space)]++;
        }
        assertThat(plainPerShard).containsExactly(251, 230, 222, 297); // why the option exists
        assertThat(balancedPerShard).containsExactly(250, 250, 250, 250);
        assertThat(balanced.partitionKey(1004)).isEqualTo(balanced.partitionKey(4)); // index mod keys, as before
        assertThat(balanced.keyNumber(1004)).isEqualTo(4);
    }

    private static int shardOf(String key, java.math.BigInteger space) {
        return new java.math.BigInteger(io.runnel.wire.HashKey.md5Of(key).toDecimalString())
                .multiply(java.math.BigInteger.valueOf(4)).divide(space).intValue();
    }
}
