package io.runnel.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

    @Provide
    Arbitrary<BigInteger> keys() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, TWO_128.subtract(BigInteger.ONE)),
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TEN.pow(9), BigInteger.TWO.pow(63),
                        BigInteger.TWO.pow(64).subtract(BigInteger.ONE), BigInteger.TWO.pow(64),
                        TWO_128.subtract(BigInteger.ONE)));
    }

    @Property
    void parseAndFormatAgreeWithBigInteger(@ForAll("keys") BigInteger v) {
        HashKey k = HashKey.parseDecimal(v.toString());
        assertThat(big(k)).isEqualTo(v);
        assertThat(k.toDecimalString()).isEqualTo(v.toString());
        assertThat(HashKey.parseDecimal("000" + v)).isEqualTo(k);
    }

    @Property
    void arithmeticAndOrderAgreeWithBigInteger(@ForAll("keys") BigInteger a, @ForAll("keys") BigInteger b,
            @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE) int n) {
        HashKey ka = key(a);
        HashKey kb = key(b);
        assertThat(Integer.signum(ka.compareTo(kb))).isEqualTo(a.compareTo(b));
        assertThat(big(ka.add(kb))).isEqualTo(a.add(b).mod(TWO_128));
        assertThat(big(ka.subtract(kb))).isEqualTo(a.subtract(b).mod(TWO_128));
        assertThat(big(ka.divide(n))).isEqualTo(a.divide(BigInteger.valueOf(n)));
        assertThat(ka.remainder(n)).isEqualTo(a.mod(BigInteger.valueOf(n)).intValue());
        assertThat(big(ka.multiply(n))).isEqualTo(a.multiply(BigInteger.valueOf(n)).mod(TWO_128));
        assertThat(ka.equals(kb)).isEqualTo(a.equals(b));
    }

    @Property
    void md5OfMatchesTheKinesisDefinition(@ForAll String partitionKey) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(partitionKey.getBytes(StandardCharsets.UTF_8));
        assertThat(big(HashKey.md5Of(partitionKey))).isEqualTo(new BigInteger(1, digest));
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
