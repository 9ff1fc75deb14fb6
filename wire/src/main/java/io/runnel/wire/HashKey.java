package io.runnel.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A Kinesis hash key: an unsigned 128-bit integer, held as two longs. A record's hash key is the MD5 of its
 * partition key (read as a big-endian number) or its explicit hash key; the shard whose range holds it takes the
 * record.
 *
 * <p>Immutable and thread-safe. Parsing, formatting, comparison and arithmetic use long arithmetic only (no
 * {@code BigInteger}), since the producer computes a hash key for every record it routes.
 */
public final class HashKey implements Comparable<HashKey> {
    private static final long TEN_POW_9 = 1_000_000_000L;
    private static final int MAX_DECIMAL_DIGITS = 39;
    private static final int MAX_CACHED_KEY_CHARS = 256;

    /** 0, the start of the hash key space. */
    public static final HashKey ZERO = new HashKey(0, 0);
    /** 1. */
    public static final HashKey ONE = new HashKey(0, 1);
    /** 2^128 - 1. */
    public static final HashKey MAX = new HashKey(-1L, -1L);

    private static final ThreadLocal<Md5> MD5 = ThreadLocal.withInitial(Md5::new);

    private final long hi;
    private final long lo;

    private HashKey(long hi, long lo) {
        this.hi = hi;
        this.lo = lo;
    }

    /**
     * The key {@code hi * 2^64 + lo}, both halves read as unsigned.
     *
     * @param hi the upper 64 bits
     * @param lo the lower 64 bits
     * @return the key
     */
    public static HashKey of(long hi, long lo) {
        return new HashKey(hi, lo);
    }

    /** @return the upper 64 bits (unsigned) */
    public long hi() {
        return hi;
    }

    /** @return the lower 64 bits (unsigned) */
    public long lo() {
        return lo;
    }

    /**
     * The hash key Kinesis derives from a partition key: MD5 of its UTF-8 bytes, big-endian.
     *
     * @param partitionKey the record's partition key
     * @return the MD5 digest read as a 128-bit number
     * @throws NullPointerException when {@code partitionKey} is null
     */
    public static HashKey md5Of(String partitionKey) {
        return MD5.get().hash(partitionKey);
    }

    /**
     * Reads 16 big-endian bytes at {@code offset}.
     *
     * @param bytes  the array to read from
     * @param offset where the 16 bytes start
     * @return the key
     * @throws ArrayIndexOutOfBoundsException when fewer than 16 bytes follow {@code offset}
     */
    public static HashKey fromBytes(byte[] bytes, int offset) {
        return new HashKey(readLong(bytes, offset), readLong(bytes, offset + 8));
    }

    /**
     * Writes the key as 16 big-endian bytes at {@code offset}.
     *
     * @param dst    the array to write into
     * @param offset where the 16 bytes start
     * @throws ArrayIndexOutOfBoundsException when fewer than 16 bytes follow {@code offset}
     */
    public void writeTo(byte[] dst, int offset) {
        writeLong(hi, dst, offset);
        writeLong(lo, dst, offset + 8);
    }

    /**
     * Parses the decimal form of a key, 0 to 2^128-1: digits only (leading zeros allowed), no sign or spaces.
     *
     * @param s the decimal digits, as Kinesis writes hash keys
     * @return the key
     * @throws IllegalArgumentException naming the value when it is null, empty, not decimal, or larger than 2^128-1
     */
    public static HashKey parseDecimal(CharSequence s) {
        if (s == null) {
            throw new IllegalArgumentException("hash key must not be null");
        }
        int length = s.length();
        if (length == 0) {
            throw new IllegalArgumentException("hash key must not be empty");
        }
        // Four 32-bit limbs, most significant first, multiplied by 10^k and added to, chunk by chunk.
        long l0 = 0;
        long l1 = 0;
        long l2 = 0;
        long l3 = 0;
        int i = 0;
        while (i < length) {
            int end = Math.min(length, i + 9);
            long chunk = 0;
            long scale = 1;
            for (; i < end; i++) {
                char c = s.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalArgumentException("hash key must be a decimal integer, found '" + c
                            + "' at index " + i + " in \"" + shorten(s) + '"');
                }
                chunk = chunk * 10 + (c - '0');
                scale *= 10;
            }
            long t3 = l3 * scale + chunk;
            long t2 = l2 * scale + (t3 >>> 32);
            long t1 = l1 * scale + (t2 >>> 32);
            long t0 = l0 * scale + (t1 >>> 32);
            if ((t0 >>> 32) != 0) {
                throw new IllegalArgumentException("hash key is larger than 2^128-1: \"" + shorten(s) + '"');
            }
            l3 = t3 & 0xFFFFFFFFL;
            l2 = t2 & 0xFFFFFFFFL;
            l1 = t1 & 0xFFFFFFFFL;
            l0 = t0;
        }
        return new HashKey((l0 << 32) | l1, (l2 << 32) | l3);
    }

    private static String shorten(CharSequence s) {
        return s.length() <= 60 ? s.toString() : s.subSequence(0, 57) + "...";
    }

    /**
     * The decimal form, as Kinesis writes hash keys.
     *
     * @return the digits, without leading zeros ({@code "0"} for zero)
     */
    public String toDecimalString() {
        if (hi == 0 && lo >= 0) {
            return Long.toString(lo);
        }
        long l0 = hi >>> 32;
        long l1 = hi & 0xFFFFFFFFL;
        long l2 = lo >>> 32;
        long l3 = lo & 0xFFFFFFFFL;
        int[] groups = new int[5]; // base 10^9, least significant first
        int n = 0;
        while ((l0 | l1 | l2 | l3) != 0) {
            long r = l0 % TEN_POW_9;
            l0 /= TEN_POW_9;
            long cur = (r << 32) | l1;
            l1 = cur / TEN_POW_9;
            r = cur % TEN_POW_9;
            cur = (r << 32) | l2;
            l2 = cur / TEN_POW_9;
            r = cur % TEN_POW_9;
            cur = (r << 32) | l3;
            l3 = cur / TEN_POW_9;
            groups[n++] = (int) (cur % TEN_POW_9);
        }
        StringBuilder sb = new StringBuilder(MAX_DECIMAL_DIGITS);
        sb.append(groups[n - 1]);
        for (int g = n - 2; g >= 0; g--) {
            String digits = Integer.toString(groups[g]);
            for (int pad = digits.length(); pad < 9; pad++) {
                sb.append('0');
            }
            sb.append(digits);
        }
        return sb.toString();
    }

    /**
     * Addition, wrapping around past {@link #MAX}.
     *
     * @param other the key to add
     * @return {@code this + other}, modulo 2^128
     */
    public HashKey add(HashKey other) {
        long l = lo + other.lo;
        long carry = Long.compareUnsigned(l, lo) < 0 ? 1 : 0;
        return new HashKey(hi + other.hi + carry, l);
    }

    /**
     * Subtraction, wrapping around below {@link #ZERO}.
     *
     * @param other the key to subtract
     * @return {@code this - other}, modulo 2^128
     */
    public HashKey subtract(HashKey other) {
        long l = lo - other.lo;
        long borrow = Long.compareUnsigned(lo, other.lo) < 0 ? 1 : 0;
        return new HashKey(hi - other.hi - borrow, l);
    }

    /**
     * Multiplication by a small number, wrapping around past {@link #MAX}.
     *
     * @param factor zero or more
     * @return {@code this * factor}, modulo 2^128
     * @throws IllegalArgumentException when {@code factor} is negative
     */
    public HashKey multiply(int factor) {
        if (factor < 0) {
            throw new IllegalArgumentException("factor must not be negative: " + factor);
        }
        long f = factor;
        long l3 = (lo & 0xFFFFFFFFL) * f;
        long l2 = (lo >>> 32) * f + (l3 >>> 32);
        long l1 = (hi & 0xFFFFFFFFL) * f + (l2 >>> 32);
        long l0 = (hi >>> 32) * f + (l1 >>> 32);
        return new HashKey((l0 << 32) | (l1 & 0xFFFFFFFFL), (l2 << 32) | (l3 & 0xFFFFFFFFL));
    }

    /**
     * Division by a small number, rounding down.
     *
     * @param divisor more than zero
     * @return {@code floor(this / divisor)}
     * @throws IllegalArgumentException when {@code divisor} is not positive
     */
    public HashKey divide(int divisor) {
        return divide(divisor, null);
    }

    /**
     * The remainder of {@link #divide(int)}.
     *
     * @param divisor more than zero
     * @return {@code this mod divisor}, from 0 to {@code divisor - 1}
     * @throws IllegalArgumentException when {@code divisor} is not positive
     */
    public int remainder(int divisor) {
        int[] r = new int[1];
        divide(divisor, r);
        return r[0];
    }

    private HashKey divide(int divisor, int[] remainder) {
        if (divisor <= 0) {
            throw new IllegalArgumentException("divisor must be positive: " + divisor);
        }
        long d = divisor;
        long cur = hi >>> 32;
        long q0 = cur / d;
        cur = ((cur % d) << 32) | (hi & 0xFFFFFFFFL);
        long q1 = cur / d;
        cur = ((cur % d) << 32) | (lo >>> 32);
        long q2 = cur / d;
        cur = ((cur % d) << 32) | (lo & 0xFFFFFFFFL);
        long q3 = cur / d;
        if (remainder != null) {
            remainder[0] = (int) (cur % d);
        }
        return new HashKey((q0 << 32) | q1, (q2 << 32) | q3);
    }

    @Override
    public int compareTo(HashKey other) {
        int c = Long.compareUnsigned(hi, other.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, other.lo);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HashKey other && hi == other.hi && lo == other.lo;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(hi) * 31 + Long.hashCode(lo);
    }

    /** The decimal form. */
    @Override
    public String toString() {
        return toDecimalString();
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(long v, byte[] b, int off) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    /** Per-thread MD5 with a reusable UTF-8 buffer for partition keys (at most 256 chars, so at most 768 bytes). */
    private static final class Md5 {
        private final MessageDigest digest;
        private final byte[] utf8 = new byte[MAX_CACHED_KEY_CHARS * 3];
        private final byte[] out = new byte[16];

        Md5() {
            try {
                digest = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no MD5", e);
            }
        }

        HashKey hash(String key) {
            int length = key.length();
            if (length > MAX_CACHED_KEY_CHARS) {
                return digestOf(key.getBytes(StandardCharsets.UTF_8));
            }
            int p = 0;
            for (int i = 0; i < length; i++) {
                char c = key.charAt(i);
                if (c < 0x80) {
                    utf8[p++] = (byte) c;
                } else if (c < 0x800) {
                    utf8[p++] = (byte) (0xC0 | (c >>> 6));
                    utf8[p++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    // Surrogate pairs and lone surrogates: let the JDK apply its rules (lone ones become '?').
                    return digestOf(key.getBytes(StandardCharsets.UTF_8));
                } else {
                    utf8[p++] = (byte) (0xE0 | (c >>> 12));
                    utf8[p++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                    utf8[p++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            digest.update(utf8, 0, p);
            return finish();
        }

        private HashKey digestOf(byte[] bytes) {
            digest.update(bytes);
            return finish();
        }

        private HashKey finish() {
            try {
                digest.digest(out, 0, 16);
            } catch (java.security.DigestException e) {
                throw new IllegalStateException("MD5 failed", e);
            }
            return fromBytes(out, 0);
        }
    }
}
