package io.runnel.backend.store;

/**
 * The backend's sequence numbers: decimal strings that are strictly increasing within a shard, unique within a
 * stream, and ordered across the whole stream in the order records were written (so a child shard's records sort
 * after its parents', as on Kinesis).
 *
 * <p>Layout, 27 digits: {@code 4}, then a 20-digit stream-wide counter (zero-padded), then the 6-digit shard index.
 * Each stream's counter starts at its creation time in milliseconds times 1,000,000, so a stream deleted and
 * created again under the same name does not reuse the numbers of its predecessor, and the digits roughly tell the
 * time. Fixed width makes string order equal numeric order; clients that parse them as integers (the KCL does)
 * see positive numbers far below Kinesis' 2^185 bound.
 */
public final class SequenceNumbers {
    /** Digits of a sequence number. */
    public static final int LENGTH = 27;
    private static final int COUNTER_DIGITS = 20;
    private static final int SHARD_DIGITS = 6;
    /** Largest shard index a sequence number can carry. */
    public static final int MAX_SHARD_INDEX = 999_999;

    private SequenceNumbers() {
    }

    /**
     * The first counter value of a stream.
     *
     * @param creationMillis when the stream was created, epoch millis
     * @return the counter its first record and shards start from
     */
    public static long initialCounter(long creationMillis) {
        return creationMillis * 1_000_000L;
    }

    /**
     * Formats a counter and shard index as a sequence number.
     *
     * @param counter    the stream-wide counter, not negative
     * @param shardIndex the shard's index, up to {@link #MAX_SHARD_INDEX}
     * @return the sequence number, digits only, of a fixed length
     * @throws IllegalArgumentException when either is out of range
     */
    public static String format(long counter, int shardIndex) {
        if (counter < 0) {
            throw new IllegalArgumentException("counter must not be negative: " + counter);
        }
        if (shardIndex < 0 || shardIndex > MAX_SHARD_INDEX) {
            throw new IllegalArgumentException("shard index out of range: " + shardIndex);
        }
        char[] out = new char[LENGTH];
        out[0] = '4';
        long c = counter;
        for (int i = COUNTER_DIGITS; i >= 1; i--) {
            out[i] = (char) ('0' + (c % 10));
            c /= 10;
        }
        int s = shardIndex;
        for (int i = LENGTH - 1; i > COUNTER_DIGITS; i--) {
            out[i] = (char) ('0' + (s % 10));
            s /= 10;
        }
        return new String(out);
    }

    /**
     * Parses a sequence number this backend issued.
     *
     * @param sequenceNumber a sequence number from a request, may be null
     * @return the parsed parts, or null when {@code sequenceNumber} is not one of ours (wrong length, non-digits,
     *         wrong prefix, counter beyond a long)
     */
    public static Parsed parse(String sequenceNumber) {
        if (sequenceNumber == null || sequenceNumber.length() != LENGTH || sequenceNumber.charAt(0) != '4') {
            return null;
        }
        long counter = 0;
        for (int i = 1; i <= COUNTER_DIGITS; i++) {
            char ch = sequenceNumber.charAt(i);
            if (ch < '0' || ch > '9') {
                return null;
            }
            int digit = ch - '0';
            if (counter > (Long.MAX_VALUE - digit) / 10) {
                return null;
            }
            counter = counter * 10 + digit;
        }
        int shard = 0;
        for (int i = COUNTER_DIGITS + 1; i < LENGTH; i++) {
            char ch = sequenceNumber.charAt(i);
            if (ch < '0' || ch > '9') {
                return null;
            }
            shard = shard * 10 + (ch - '0');
        }
        return new Parsed(counter, shard);
    }

    /** The two parts of a sequence number. */
    public record Parsed(long counter, int shardIndex) {
    }
}
