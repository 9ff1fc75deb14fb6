package io.runnel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** HashKey against BigInteger, which the tests (and only the tests) use as the reference. */
class HashKeyTest {
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

    private static BigInteger big(HashKey k) {
        byte[] b = new byte[16];
        k.writeTo(b, 0);
        return new BigInteger(1, b);
    }

    private static HashKey key(BigInteger v) {
        return HashKey.parseDecimal(v.toString());
    }

    private static final List<BigInteger> KEY_POOL = List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TEN.pow(9),
            BigInteger.TWO.pow(63), BigInteger.TWO.pow(64).subtract(BigInteger.ONE), BigInteger.TWO.pow(64),
            TWO_128.subtract(BigInteger.ONE));

    static LongStream seeds() {
        return Seeds.of(1000);
    }

    /** Half any value in [0, 2^128 - 1], half one of the pool. */
    private static BigInteger keys(SplittableRandom random) {
        return random.nextBoolean() ? RandomData.unsigned128(random) : KEY_POOL.get(random.nextInt(KEY_POOL.size()));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void parseAndFormatAgreeWithBigInteger(long seed) {
        BigInteger v = keys(new SplittableRandom(seed));
        HashKey k = HashKey.parseDecimal(v.toString());
        assertThat(big(k)).as("seed %d", seed).isEqualTo(v);
        assertThat(k.toDecimalString()).as("seed %d", seed).isEqualTo(v.toString());
        assertThat(HashKey.parseDecimal("000" + v)).as("seed %d", seed).isEqualTo(k);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void arithmeticAndOrderAgreeWithBigInteger(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BigInteger a = keys(random);
        BigInteger b = keys(random);
        int n = RandomData.intBetween(random, 1, Integer.MAX_VALUE);
        HashKey ka = key(a);
        HashKey kb = key(b);
        assertThat(Integer.signum(ka.compareTo(kb))).as("seed %d", seed).isEqualTo(a.compareTo(b));
        assertThat(big(ka.add(kb))).as("seed %d", seed).isEqualTo(a.add(b).mod(TWO_128));
        assertThat(big(ka.subtract(kb))).as("seed %d", seed).isEqualTo(a.subtract(b).mod(TWO_128));
        assertThat(big(ka.divide(n))).as("seed %d", seed).isEqualTo(a.divide(BigInteger.valueOf(n)));
        assertThat(ka.remainder(n)).as("seed %d", seed).isEqualTo(a.mod(BigInteger.valueOf(n)).intValue());
        assertThat(big(ka.multiply(n))).as("seed %d", seed).isEqualTo(a.multiply(BigInteger.valueOf(n)).mod(TWO_128));
        assertThat(ka.equals(kb)).as("seed %d", seed).isEqualTo(a.equals(b));
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void md5OfMatchesTheKinesisDefinition(long seed) throws Exception {
        String partitionKey = RandomData.string(new SplittableRandom(seed), 255);
        byte[] digest = MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
        assertThat(big(HashKey.md5Of(partitionKey))).as("seed %d", seed).isEqualTo(new BigInteger(1, digest));
    }

    @Test
    void md5OfKnownKeys() {
        // MD5("") = d41d8cd98f00b204e9800998ecf8427e
        assertThat(big(HashKey.md5Of(""))).isEqualTo(new BigInteger("d41d8cd98f00b204e9800998ecf8427e", 16));
        assertThat(HashKey.md5Of("ключ-😀")).isEqualTo(HashKey.md5Of(new String("ключ-😀")));
        assertThat(HashKey.md5Of("k".repeat(300))).isEqualTo(HashKey.md5Of("k".repeat(300)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", " 1", "1 ", "1.5", "0x1F", "340282366920938463463374607431768211456",
        "999999999999999999999999999999999999999999"})
    void rejectsWhatIsNotAHashKey(String s) {
        assertThatThrownBy(() -> HashKey.parseDecimal(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hash key");
    }

    @Test
    void constantsAndBytes() {
        assertThat(HashKey.MAX.toDecimalString()).isEqualTo("340282366920938463463374607431768211455");
        assertThat(HashKey.ZERO.toDecimalString()).isEqualTo("0");
        assertThat(HashKey.MAX.add(HashKey.ONE)).isEqualTo(HashKey.ZERO);
        byte[] b = new byte[18];
        HashKey k = HashKey.of(0x0102030405060708L, 0x090A0B0C0D0E0F10L);
        k.writeTo(b, 1);
        assertThat(b[1]).isEqualTo((byte) 1);
        assertThat(b[16]).isEqualTo((byte) 0x10);
        assertThat(HashKey.fromBytes(b, 1)).isEqualTo(k);
    }
}
