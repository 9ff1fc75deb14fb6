package io.runnel.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RandomDataTest {
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);

    /** Enough draws from one fixed seed that every share of a mix shows up (the coverage checks are deterministic). */
    private static final int DRAWS = 20_000;

    static LongStream seeds() {
        return Seeds.of(200);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void everyValueIsWithinItsRange(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String at = "seed " + seed;
        long[][] ranges = {{0, 0}, {5, 6}, {-3, 3}, {1, 50}, {0, Long.MAX_VALUE}, {Long.MIN_VALUE, Long.MAX_VALUE},
            {Long.MIN_VALUE, Long.MIN_VALUE + 1}, {Long.MAX_VALUE - 1, Long.MAX_VALUE}, {-1, Long.MAX_VALUE},
            {Long.MIN_VALUE, 0}, {Long.MIN_VALUE + 7, Long.MAX_VALUE - 7}};
        for (long[] r : ranges) {
            for (int i = 0; i < 50; i++) {
                long v = RandomData.longBetween(random, r[0], r[1]);
                assertTrue(v >= r[0] && v <= r[1], at + ": " + v + " not in [" + r[0] + ", " + r[1] + "]");
            }
        }
        for (int i = 0; i < 50; i++) {
            int v = RandomData.intBetween(random, Integer.MIN_VALUE, Integer.MAX_VALUE);
            assertTrue(v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE, at);
            int n = RandomData.intBetween(random, 1, Integer.MAX_VALUE);
            assertTrue(n >= 1, at + ": " + n);
            int len = RandomData.length(random, 3, 40);
            assertTrue(len >= 3 && len <= 40, at + ": " + len);
            assertTrue(RandomData.length(random, 0, Integer.MAX_VALUE) >= 0, at);
            BigInteger u = RandomData.unsigned128(random);
            assertTrue(u.signum() >= 0 && u.compareTo(TWO_128) < 0, at + ": " + u);
            byte[] bytes = RandomData.bytes(random, 100, 300);
            assertTrue(bytes.length >= 100 && bytes.length <= 300, at + ": " + bytes.length);
            String s = RandomData.string(random, 255);
            assertTrue(s.length() <= 255, at + ": " + s.length());
            String w = RandomData.unicodeString(random, 1, 128);
            int codePoints = w.codePointCount(0, w.length());
            assertTrue(codePoints >= 1 && codePoints <= 128, at + ": " + codePoints);
            assertTrue(StandardCharsets.UTF_8.newEncoder().canEncode(w), at + ": not well-formed");
            w.codePoints().forEach(cp -> assertTrue(cp >= 0x20 && cp != 0x7F && (cp < 0xD800 || cp >= 0xE000),
                    at + ": U+" + Integer.toHexString(cp)));
        }
    }

    @Test
    void theSameSeedGivesTheSameValues() {
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 100; i++) {
            assertEquals(RandomData.string(a, 255), RandomData.string(b, 255));
            assertEquals(RandomData.unicodeString(a, 0, 64), RandomData.unicodeString(b, 0, 64));
            assertArrayEquals(RandomData.bytes(a, 0, 64), RandomData.bytes(b, 0, 64));
            assertEquals(RandomData.unsigned128(a), RandomData.unsigned128(b));
            assertEquals(RandomData.anyLong(a), RandomData.anyLong(b));
            assertEquals(RandomData.longBetween(a, 0, 1L << 40), RandomData.longBetween(b, 0, 1L << 40));
        }
    }

    @Test
    void boundsAndSmallValuesAreCommon() {
        SplittableRandom random = new SplittableRandom(1);
        Set<Long> longs = new HashSet<>();
        Set<Long> between = new HashSet<>();
        Set<Integer> lengths = new HashSet<>();
        boolean small = false;
        for (int i = 0; i < DRAWS; i++) {
            longs.add(RandomData.anyLong(random));
            long v = RandomData.longBetween(random, 0, Long.MAX_VALUE);
            between.add(v);
            small |= v > 1 && v < 1000;
            lengths.add(RandomData.length(random, 0, 255));
        }
        for (long edge : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, (1L << 32) - 1,
            (1L << 62) + 1, -(1L << 7)}) {
            assertTrue(longs.contains(edge), "anyLong never gave " + edge);
        }
        for (long edge : new long[] {0, 1, Long.MAX_VALUE - 1, Long.MAX_VALUE}) {
            assertTrue(between.contains(edge), "longBetween never gave " + edge);
        }
        assertTrue(small, "longBetween never gave a small value");
        for (int len : new int[] {0, 1, 16, 200, 255}) {
            assertTrue(lengths.contains(len), "length never gave " + len);
        }
        assertThrows(IllegalArgumentException.class, () -> RandomData.longBetween(random, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> RandomData.length(random, -1, 1));
    }

    @Test
    void unsigned128GivesItsEdgesAndAllMagnitudes() {
        SplittableRandom random = new SplittableRandom(2);
        Set<BigInteger> seen = new HashSet<>();
        Set<Integer> bitLengths = new HashSet<>();
        for (int i = 0; i < DRAWS; i++) {
            BigInteger u = RandomData.unsigned128(random);
            seen.add(u);
            bitLengths.add(u.bitLength());
        }
        assertTrue(seen.containsAll(RandomData.EDGE_128), "missing edges");
        assertEquals(129, bitLengths.size(), "bit lengths 0..128");
    }

    @Test
    void stringsMixWellFormedAndLoneSurrogatesAndAllKindsOfChars() {
        SplittableRandom random = new SplittableRandom(3);
        int wellFormed = 0;
        int illFormed = 0;
        boolean empty = false;
        boolean full = false;
        boolean supplementary = false;
        boolean ascii = false;
        boolean bmp = false;
        boolean nul = false;
        for (int i = 0; i < DRAWS; i++) {
            String s = RandomData.string(random, 255);
            empty |= s.isEmpty();
            full |= s.length() == 255;
            if (StandardCharsets.UTF_8.newEncoder().canEncode(s)) {
                wellFormed++;
            } else {
                illFormed++;
            }
            supplementary |= s.codePoints().anyMatch(Character::isSupplementaryCodePoint);
            ascii |= s.chars().anyMatch(c -> c > 0 && c < 0x80);
            bmp |= s.chars().anyMatch(c -> c >= 0x800 && !Character.isSurrogate((char) c));
            nul |= s.indexOf('\0') >= 0;
        }
        assertTrue(wellFormed > DRAWS / 3 && illFormed > DRAWS / 4, wellFormed + " well-formed, " + illFormed + " not");
        assertTrue(empty && full && supplementary && ascii && bmp && nul);
    }

    @Test
    void unicodeStringsCoverTheirFourRanges() {
        SplittableRandom random = new SplittableRandom(4);
        boolean[] bands = new boolean[4];
        Set<Integer> edges = new HashSet<>();
        for (int i = 0; i < DRAWS / 10; i++) {
            RandomData.unicodeString(random, 1, 128).codePoints().forEach(cp -> {
                bands[cp < 0x80 ? 0 : cp < 0xD800 ? 1 : cp < 0x10000 ? 2 : 3] = true;
                edges.add(cp);
            });
        }
        assertArrayEquals(new boolean[] {true, true, true, true}, bands);
        assertTrue(edges.containsAll(Set.of(0x20, 0x7E, 0x80, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF)));
    }

    @Test
    void seedsAreFreshUnlessFixed() {
        String previous = System.getProperty(Seeds.PROPERTY);
        try {
            System.clearProperty(Seeds.PROPERTY);
            long[] one = Seeds.of(100).toArray();
            long[] two = Seeds.of(100).toArray();
            assertEquals(100, one.length);
            assertEquals(100, LongStream.of(one).distinct().count());
            assertTrue(one[0] != two[0] || one[1] != two[1], "two runs drew the same seeds");
            System.setProperty(Seeds.PROPERTY, "-1234");
            assertArrayEquals(new long[] {-1234}, Seeds.of(100).toArray());
            System.setProperty(Seeds.PROPERTY, "0x10");
            assertArrayEquals(new long[] {16}, Seeds.of(5).toArray());
            System.setProperty(Seeds.PROPERTY, "twelve");
            assertThrows(IllegalArgumentException.class, () -> Seeds.of(5));
            assertThrows(IllegalArgumentException.class, () -> Seeds.of(0));
        } finally {
            if (previous == null) {
                System.clearProperty(Seeds.PROPERTY);
            } else {
                System.setProperty(Seeds.PROPERTY, previous);
            }
        }
    }
}
