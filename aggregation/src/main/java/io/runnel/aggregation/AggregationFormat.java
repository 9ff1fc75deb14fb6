package io.runnel.aggregation;

/**
 * Constants of the KPL aggregated-record format.
 *
 * <p>An aggregated record is {@link #MAGIC} followed by a protobuf {@code AggregatedRecord} followed by the
 * {@link #DIGEST_LENGTH}-byte MD5 of the protobuf bytes. The protobuf message has three repeated fields: the
 * partition key table (field 1), the explicit hash key table (field 2) and the records (field 3); each record holds
 * an index into the partition key table (field 1), optionally an index into the explicit hash key table (field 2)
 * and its data (field 3).
 */
public final class AggregationFormat {
    /** The four bytes every aggregated record starts with. */
    public static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    /** Length of {@link #MAGIC}. */
    public static final int MAGIC_LENGTH = 4;
    /** Length of the MD5 trailer. */
    public static final int DIGEST_LENGTH = 16;
    /** Bytes an aggregate carries besides its protobuf message: magic and MD5 trailer. */
    public static final int OVERHEAD_BYTES = MAGIC_LENGTH + DIGEST_LENGTH;

    /** Field number of {@code AggregatedRecord.partition_key_table}: the distinct partition keys (strings). */
    public static final int FIELD_PARTITION_KEY_TABLE = 1;
    /** Field number of {@code AggregatedRecord.explicit_hash_key_table}: the distinct explicit hash keys. */
    public static final int FIELD_EXPLICIT_HASH_KEY_TABLE = 2;
    /** Field number of {@code AggregatedRecord.records}: the user records, in order. */
    public static final int FIELD_RECORDS = 3;

    /** Field number of {@code Record.partition_key_index}: the record's index into the partition key table. */
    public static final int FIELD_PARTITION_KEY_INDEX = 1;
    /** Field number of {@code Record.explicit_hash_key_index}: optional index into the explicit hash key table. */
    public static final int FIELD_EXPLICIT_HASH_KEY_INDEX = 2;
    /** Field number of {@code Record.data}: the user record's bytes. */
    public static final int FIELD_DATA = 3;
    /** Field number of {@code Record.tags}: KPL tags, never written by Runnel and ignored when read. */
    public static final int FIELD_TAGS = 4;

    /** Maximum partition key length in UTF-16 chars, as Kinesis and the KPL count it. */
    public static final int MAX_PARTITION_KEY_LENGTH = 256;

    /** 2^128 - 1, the largest hash key, in decimal. */
    public static final String MAX_HASH_KEY_DECIMAL = "340282366920938463463374607431768211455";

    private AggregationFormat() {
    }

    /**
     * Whether {@code data[offset, offset + length)} starts with {@link #MAGIC} (it may still not be a valid
     * aggregate).
     *
     * @param data   the bytes to look at; not modified
     * @param offset where the record starts in {@code data}
     * @param length the record's length; under {@link #MAGIC_LENGTH} answers false
     * @return whether the first {@link #MAGIC_LENGTH} bytes are the magic
     * @throws ArrayIndexOutOfBoundsException when {@code length} reaches past the end of {@code data}
     */
    public static boolean startsWithMagic(byte[] data, int offset, int length) {
        if (length < MAGIC_LENGTH) {
            return false;
        }
        for (int i = 0; i < MAGIC_LENGTH; i++) {
            if (data[offset + i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
