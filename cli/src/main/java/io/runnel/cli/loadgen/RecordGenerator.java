package io.runnel.cli.loadgen;

import java.util.Arrays;

/**
 * The records of a load run. Record {@code i} (0-based) has the partition key {@code pk-<i mod keys>} and data made of
 * the ASCII decimal of {@code i}, a {@code |}, then {@code .} filler up to {@code recordSizeBytes} bytes in total.
 * With a hot key share {@code h}, a fixed pseudo-random choice of about {@code h} of the records has {@code pk-0}
 * instead (skewed traffic: one key, so one shard, carries that share). With balanced keys for {@code S} shards, key
 * {@code k} is the first of {@code pk-k}, {@code pk-k.1}, {@code pk-k.2}, … whose MD5 falls in shard {@code k mod S}
 * of an even split of the hash key space (as CreateStream splits it), so every shard gets the same number of keys.
 * Immutable and thread-safe.
 */
public final class RecordGenerator {
    /** Balanced keys (each found by a search) are built once and shared; at most this many. */
    private static final int CACHED_KEYS = 1 << 20;
    /**
     * Plain keys are built once and shared when there are at most this many, as an application holds its few keys;
     * with more, each record builds its own, as an application with a key per user or request does. A million shared
     * keys stayed alive through a run (~90 MB) and every collection marked them: a 10M-record run with unique keys took
     * ~1.2x the CPU per record of one that builds each key.
     */
    private static final int CACHED_PLAIN_KEYS = 1 << 16;
    private static final byte SEPARATOR = '|';
    private static final byte FILLER = '.';

    private final int recordSizeBytes;
    private final long keys;
    private final long maxIndex;
    private final byte[] template;
    private final String[] cachedKeys;
    private final double hotKeyShare;

    /**
     * A generator for indices {@code 0..maxIndex}.
     *
     * @param recordSizeBytes bytes of data per record; must hold the decimal of {@code maxIndex} and the separator
     * @param keys            distinct partition keys, at least 1
     * @param maxIndex        largest index that will be generated, at least 0
     * @throws IllegalArgumentException naming {@code --record-size} or {@code --keys} when a value does not fit
     */
    public RecordGenerator(int recordSizeBytes, long keys, long maxIndex) {
        this(recordSizeBytes, keys, maxIndex, 0);
    }

    /**
     * As above, with {@code hotKeyShare} (0..1) of the records on key {@code pk-0}.
     *
     * @param recordSizeBytes bytes of data per record; must hold the decimal of {@code maxIndex} and the separator
     * @param keys            distinct partition keys, at least 1
     * @param maxIndex        largest index that will be generated, at least 0
     * @param hotKeyShare     the share of records moved to key 0 ({@code pk-0} unless balanced), 0..1
     * @throws IllegalArgumentException naming the option ({@code --record-size}, {@code --keys},
     *                                  {@code --hot-key-share}) when a value does not fit
     */
    public RecordGenerator(int recordSizeBytes, long keys, long maxIndex, double hotKeyShare) {
        this(recordSizeBytes, keys, maxIndex, hotKeyShare, 0);
    }

    /**
     * As above, with keys balanced over {@code balancedShards} evenly split shards (0: not balanced).
     *
     * @param recordSizeBytes bytes of data per record; must hold the decimal of {@code maxIndex} and the separator
     * @param keys            distinct partition keys, at least 1
     * @param maxIndex        largest index that will be generated, at least 0
     * @param hotKeyShare     the share of records moved to key 0 ({@code pk-0} unless balanced), 0..1
     * @param balancedShards  the shards to balance keys over, or 0 for keys {@code pk-<k>}; at most 2^20 keys then
     * @throws IllegalArgumentException naming the option ({@code --record-size}, {@code --keys},
     *                                  {@code --hot-key-share}, {@code --balanced-keys}) when a value does not fit
     */
    public RecordGenerator(int recordSizeBytes, long keys, long maxIndex, double hotKeyShare, int balancedShards) {
        if (balancedShards < 0 || (balancedShards > 0 && keys > CACHED_KEYS)) {
            throw new IllegalArgumentException("--balanced-keys takes at most " + CACHED_KEYS + " keys, was " + keys);
        }
        if (!(hotKeyShare >= 0 && hotKeyShare <= 1)) {
            throw new IllegalArgumentException("--hot-key-share must be 0..1, was " + hotKeyShare);
        }
        this.hotKeyShare = hotKeyShare;
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be at least 1, was " + keys);
        }
        if (maxIndex < 0) {
            throw new IllegalArgumentException("the largest index must be at least 0, was " + maxIndex);
        }
        int needed = minRecordSize(maxIndex);
        if (recordSizeBytes < needed) {
            throw new IllegalArgumentException("--record-size " + recordSizeBytes + " is too small: record " + maxIndex
                    + " needs " + needed + " bytes (its decimal index and '|')");
        }
        this.recordSizeBytes = recordSizeBytes;
        this.keys = keys;
        this.maxIndex = maxIndex;
        this.template = new byte[recordSizeBytes];
        Arrays.fill(template, FILLER);
        long distinct = Math.min(keys, maxIndex + 1);
        int cached = (int) (balancedShards > 0 ? distinct : distinct <= CACHED_PLAIN_KEYS ? distinct : 0);
        this.cachedKeys = new String[cached];
        for (int k = 0; k < cached; k++) {
            cachedKeys[k] = balancedShards > 0 ? balancedKey(k, balancedShards) : "pk-" + k;
        }
    }

    /** The first of {@code pk-k}, {@code pk-k.1}, … whose MD5 lies in shard {@code k mod shards} of an even split. */
    static String balancedKey(int k, int shards) {
        java.math.BigInteger space = java.math.BigInteger.ONE.shiftLeft(128);
        java.math.BigInteger n = java.math.BigInteger.valueOf(shards);
        for (int salt = 0;; salt++) {
            String key = salt == 0 ? "pk-" + k : "pk-" + k + "." + salt;
            java.math.BigInteger h = new java.math.BigInteger(io.runnel.wire.HashKey.md5Of(key).toDecimalString());
            if (h.multiply(n).divide(space).intValue() == k % shards) {
                return key;
            }
        }
    }

    /**
     * The smallest record size for an index.
     *
     * @param index a record index, at least 0
     * @return the bytes needed to hold {@code index}: its decimal digits and the separator
     */
    public static int minRecordSize(long index) {
        return digits(index) + 1;
    }

    /**
     * The largest index a record size can hold.
     *
     * @param recordSizeBytes bytes of data per record, at least 2 (a smaller size gives 0, which does not fit)
     * @return the largest index whose record fits in {@code recordSizeBytes} (at most 18 digits)
     */
    public static long maxIndexFor(int recordSizeBytes) {
        int digits = Math.min(recordSizeBytes - 1, 18);
        long max = 1;
        for (int d = 0; d < digits; d++) {
            max *= 10;
        }
        return max - 1;
    }

    /** {@return the bytes of data per record} */
    public int recordSizeBytes() {
        return recordSizeBytes;
    }

    /** {@return the largest index this generator makes records for} */
    public long maxIndex() {
        return maxIndex;
    }

    /** {@return the number of distinct partition keys} */
    public long keys() {
        return keys;
    }

    /**
     * The key number of a record.
     *
     * @param index the record's index
     * @return {@code index mod keys}, or 0 for a record on the hot key
     */
    public long keyNumber(long index) {
        return hot(index) ? 0 : index % keys;
    }

    private boolean hot(long index) {
        if (hotKeyShare == 0) {
            return false;
        }
        long z = index + 0x9E3779B97F4A7C15L; // SplitMix64's finalizer: a fixed, well-spread choice per index
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53 < hotKeyShare;
    }

    /**
     * The partition key of a record.
     *
     * @param index the record's index
     * @return its key: {@code pk-<key number>}, or the balanced key of that number
     */
    public String partitionKey(long index) {
        long k = keyNumber(index);
        return k < cachedKeys.length ? cachedKeys[(int) k] : "pk-" + k;
    }

    /**
     * The data of a record.
     *
     * @param index the record's index, 0..maxIndex
     * @return a new array holding the record's data
     * @throws IllegalArgumentException when {@code index} is out of range
     */
    public byte[] data(long index) {
        checkIndex(index);
        byte[] data = template.clone();
        writeDecimal(index, data);
        return data;
    }

    /**
     * Checks data read back against the record it should be.
     *
     * @param index the record's index
     * @param data  the data read
     * @return whether {@code data} is exactly the data of record {@code index} (length, index, separator and filler)
     */
    public boolean matches(long index, byte[] data) {
        if (index < 0 || index > maxIndex || data.length != recordSizeBytes) {
            return false;
        }
        int d = digits(index);
        if (data[d] != SEPARATOR || parseIndex(data) != index) {
            return false;
        }
        for (int i = d + 1; i < data.length; i++) {
            if (data[i] != FILLER) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the index a record's data starts with.
     *
     * @param data a record's data
     * @return the index at the start of {@code data} (decimal digits before the first {@code |}), or -1 when the
     *         data does not start that way
     */
    public static long parseIndex(byte[] data) {
        long value = 0;
        int i = 0;
        for (; i < data.length && data[i] != SEPARATOR; i++) {
            int digit = data[i] - '0';
            if (digit < 0 || digit > 9 || i >= 18) {
                return -1;
            }
            value = value * 10 + digit;
        }
        return i == 0 || i == data.length ? -1 : value;
    }

    private void checkIndex(long index) {
        if (index < 0 || index > maxIndex) {
            throw new IllegalArgumentException("index must be 0.." + maxIndex + ", was " + index);
        }
    }

    private static void writeDecimal(long value, byte[] into) {
        int d = digits(value);
        into[d] = SEPARATOR;
        long v = value;
        for (int i = d - 1; i >= 0; i--) {
            into[i] = (byte) ('0' + (v % 10));
            v /= 10;
        }
    }

    private static int digits(long value) {
        int d = 1;
        for (long v = value; v >= 10; v /= 10) {
            d++;
        }
        return d;
    }

    @Override
    public String toString() {
        return "RecordGenerator[recordSizeBytes=" + recordSizeBytes + ", keys=" + keys + ", maxIndex=" + maxIndex + "]";
    }
}
