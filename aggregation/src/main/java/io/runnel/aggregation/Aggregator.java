package io.runnel.aggregation;

import static io.runnel.aggregation.AggregationFormat.FIELD_DATA;
import static io.runnel.aggregation.AggregationFormat.FIELD_EXPLICIT_HASH_KEY_INDEX;
import static io.runnel.aggregation.AggregationFormat.FIELD_EXPLICIT_HASH_KEY_TABLE;
import static io.runnel.aggregation.AggregationFormat.FIELD_PARTITION_KEY_INDEX;
import static io.runnel.aggregation.AggregationFormat.FIELD_PARTITION_KEY_TABLE;
import static io.runnel.aggregation.AggregationFormat.FIELD_RECORDS;

import io.runnel.aggregation.internal.ByteSink;
import io.runnel.aggregation.internal.KeyTable;
import io.runnel.aggregation.internal.Utf8;
import io.runnel.aggregation.internal.VarInts;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Incremental encoder of one KPL aggregated record.
 *
 * <p>User records are added one at a time. Before each add the aggregator knows the exact encoded size the aggregate
 * would have, so an aggregate never exceeds its {@link AggregationLimits}: {@link #tryAdd} answers
 * {@link AddResult#FULL} when the record does not fit now (flush, {@link #reset()}, add again) and
 * {@link AddResult#TOO_LARGE} when it would not fit even an empty aggregate (send it alone). Partition keys and
 * explicit hash keys are stored once in the aggregate's tables and shared by index.
 *
 * <p>The three protobuf fields are kept encoded in three reusable buffers (partition key table, explicit hash key
 * table, records) so that {@link #toBytes()} only concatenates them behind the magic and appends the MD5: nothing is
 * re-encoded. The output is byte-identical to a protobuf serialisation of the same {@code AggregatedRecord}.
 *
 * <p>Not thread-safe: one aggregator belongs to one thread (the producer keeps one per shard on its ingest thread).
 */
public final class Aggregator {
    private static final int WIRE_VARINT = 0;
    private static final int WIRE_LENGTH_DELIMITED = 2;
    private static final int TAG_PK_TABLE = VarInts.tag(FIELD_PARTITION_KEY_TABLE, WIRE_LENGTH_DELIMITED);
    private static final int TAG_EHK_TABLE = VarInts.tag(FIELD_EXPLICIT_HASH_KEY_TABLE, WIRE_LENGTH_DELIMITED);
    private static final int TAG_RECORD = VarInts.tag(FIELD_RECORDS, WIRE_LENGTH_DELIMITED);
    private static final int TAG_PK_INDEX = VarInts.tag(FIELD_PARTITION_KEY_INDEX, WIRE_VARINT);
    private static final int TAG_EHK_INDEX = VarInts.tag(FIELD_EXPLICIT_HASH_KEY_INDEX, WIRE_VARINT);
    private static final int TAG_DATA = VarInts.tag(FIELD_DATA, WIRE_LENGTH_DELIMITED);

    /** What {@link #tryAdd} did. */
    public enum AddResult {
        /** The record is in the aggregate. */
        ADDED,
        /** The record would push the aggregate over its size or count limit; it was not added. */
        FULL,
        /** The record alone exceeds the size limit of an aggregate; it was not added and must be sent by itself. */
        TOO_LARGE
    }

    private final AggregationLimits limits;
    private final KeyTable partitionKeys = new KeyTable(64);
    private final KeyTable explicitHashKeys = new KeyTable(8);
    private final ByteSink partitionKeyTable;
    private final ByteSink explicitHashKeyTable;
    private final ByteSink records;
    private final MessageDigest md5;
    private long count;
    private boolean firstRecordHadExplicitHashKey;

    /**
     * An empty aggregator.
     *
     * @param limits the count and size no aggregate it builds may exceed
     * @throws NullPointerException when {@code limits} is null
     */
    public Aggregator(AggregationLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        int initial = Math.min(limits.maxSizeBytes(), 64 * 1024);
        this.partitionKeyTable = new ByteSink(1024);
        this.explicitHashKeyTable = new ByteSink(64);
        this.records = new ByteSink(initial);
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** {@return the limits this aggregator enforces} */
    public AggregationLimits limits() {
        return limits;
    }

    /** {@return the number of user records in the aggregate} */
    public long count() {
        return count;
    }

    /** {@return whether no user record has been added since creation or the last {@link #reset()}} */
    public boolean isEmpty() {
        return count == 0;
    }

    /** {@return the exact length in bytes of {@link #toBytes()} now (magic, protobuf and MD5 trailer)} */
    public int size() {
        return AggregationFormat.OVERHEAD_BYTES + partitionKeyTable.size() + explicitHashKeyTable.size()
                + records.size();
    }

    /**
     * {@return the partition key of the first user record (the aggregate's own partition key), or null when empty}
     */
    public String firstPartitionKey() {
        return count == 0 ? null : partitionKeys.key(0);
    }

    /** {@return the explicit hash key of the first user record when it had one, else null} */
    public String firstExplicitHashKey() {
        // The first record's explicit hash key, if any, was the first one added to the table.
        return firstRecordHadExplicitHashKey ? explicitHashKeys.key(0) : null;
    }

    /**
     * The exact size {@link #toBytes()} would have after adding this record, ignoring limits. Adds nothing.
     *
     * @param partitionKey    the record's partition key
     * @param explicitHashKey the record's explicit hash key, null when it has none
     * @param dataLength      the length of the record's data in bytes
     * @return the aggregate's size in bytes with the record in it
     * @throws InvalidRecordException when a key is invalid or the length negative
     */
    public long sizeIfAdded(String partitionKey, String explicitHashKey, int dataLength) {
        checkDataLength(dataLength);
        int pkUtf8 = RecordValidation.checkPartitionKey(partitionKey);
        if (explicitHashKey != null) {
            RecordValidation.checkExplicitHashKey(explicitHashKey);
        }
        return size() + growth(pkUtf8, explicitHashKey, dataLength,
                partitionKeys.indexOf(partitionKey),
                explicitHashKey == null ? -1 : explicitHashKeys.indexOf(explicitHashKey));
    }

    /**
     * Adds a user record whose data is all of {@code data}, copied into the aggregate when added (the array is not
     * retained).
     *
     * @param partitionKey    the record's partition key
     * @param explicitHashKey the record's explicit hash key, null when it has none
     * @param data            the record's data
     * @return {@link AddResult#ADDED}, or why the record was left out
     * @throws InvalidRecordException when a key is invalid
     * @throws NullPointerException   when {@code data} is null
     */
    public AddResult tryAdd(String partitionKey, String explicitHashKey, byte[] data) {
        Objects.requireNonNull(data, "data");
        return tryAdd(partitionKey, explicitHashKey, data, 0, data.length);
    }

    /**
     * Adds a user record whose data is {@code data[offset, offset + length)}; the bytes are copied into the
     * aggregate.
     *
     * @param partitionKey    the record's partition key
     * @param explicitHashKey the record's explicit hash key, null when it has none
     * @param data            holds the record's data
     * @param offset          where the data starts in {@code data}
     * @param length          the data's length in bytes
     * @return {@link AddResult#ADDED}, or why the record was left out
     * @throws InvalidRecordException    when a key is invalid
     * @throws IndexOutOfBoundsException when the range is not inside {@code data}
     */
    public AddResult tryAdd(String partitionKey, String explicitHashKey, byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        AddResult result = prepare(partitionKey, explicitHashKey, length);
        if (result == AddResult.ADDED) {
            records.write(data, offset, length);
        }
        return result;
    }

    /**
     * Adds a user record whose data is the remaining bytes of {@code data}, copied into the aggregate when added;
     * the buffer's position does not change.
     *
     * @param partitionKey    the record's partition key
     * @param explicitHashKey the record's explicit hash key, null when it has none
     * @param data            the record's data, from its position to its limit
     * @return {@link AddResult#ADDED}, or why the record was left out
     * @throws InvalidRecordException when a key is invalid
     * @throws NullPointerException   when {@code data} is null
     */
    public AddResult tryAdd(String partitionKey, String explicitHashKey, ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        AddResult result = prepare(partitionKey, explicitHashKey, data.remaining());
        if (result == AddResult.ADDED) {
            records.write(data);
        }
        return result;
    }

    /** Validates, checks limits and writes everything of the record but its data bytes. */
    private AddResult prepare(String partitionKey, String explicitHashKey, int dataLength) {
        // Keys already in the aggregate's tables were checked when they went in (most records repeat a key): look
        // them up first, and check and measure only new ones.
        int pkIndex = partitionKey == null ? -1 : partitionKeys.indexOf(partitionKey);
        int pkUtf8 = pkIndex >= 0 ? -1 : RecordValidation.checkPartitionKey(partitionKey); // -1: not needed
        int ehkIndex = explicitHashKey == null ? -1 : explicitHashKeys.indexOf(explicitHashKey);
        if (explicitHashKey != null && ehkIndex < 0) {
            RecordValidation.checkExplicitHashKey(explicitHashKey);
        }
        long newSize = size() + growth(pkUtf8, explicitHashKey, dataLength, pkIndex, ehkIndex);
        if (newSize > limits.maxSizeBytes() || count >= limits.maxCount()) {
            if (pkUtf8 < 0) {
                pkUtf8 = Utf8.encodedLength(partitionKey); // valid: it is in the table
            }
            long alone = AggregationFormat.OVERHEAD_BYTES
                    + growthInEmpty(pkUtf8, explicitHashKey, dataLength);
            return alone > limits.maxSizeBytes() ? AddResult.TOO_LARGE : AddResult.FULL;
        }
        if (pkIndex < 0) {
            pkIndex = partitionKeys.add(partitionKey);
            partitionKeyTable.writeByte(TAG_PK_TABLE);
            partitionKeyTable.writeVarInt(pkUtf8);
            partitionKeyTable.writeUtf8(partitionKey, pkUtf8);
        }
        if (explicitHashKey != null && ehkIndex < 0) {
            ehkIndex = explicitHashKeys.add(explicitHashKey);
            explicitHashKeyTable.writeByte(TAG_EHK_TABLE);
            // Explicit hash keys are validated ASCII digits: one byte per char.
            explicitHashKeyTable.writeVarInt(explicitHashKey.length());
            explicitHashKeyTable.writeUtf8(explicitHashKey, explicitHashKey.length());
        }
        if (count == 0) {
            firstRecordHadExplicitHashKey = explicitHashKey != null;
        }
        records.writeByte(TAG_RECORD);
        records.writeVarInt(recordBodyLength(pkIndex, ehkIndex, dataLength));
        records.writeByte(TAG_PK_INDEX);
        records.writeVarInt(pkIndex);
        if (ehkIndex >= 0) {
            records.writeByte(TAG_EHK_INDEX);
            records.writeVarInt(ehkIndex);
        }
        records.writeByte(TAG_DATA);
        records.writeVarInt(dataLength);
        count++;
        return AddResult.ADDED;
    }

    /** Bytes the aggregate grows by when this record is added, given the keys' current indices (-1: absent). */
    private long growth(int pkUtf8, String explicitHashKey, int dataLength, int pkIndex,
            int ehkIndex) {
        long grow = 0;
        if (pkIndex < 0) {
            pkIndex = partitionKeys.size();
            grow += 1 + VarInts.size(pkUtf8) + pkUtf8;
        }
        if (explicitHashKey != null && ehkIndex < 0) {
            ehkIndex = explicitHashKeys.size();
            grow += 1 + VarInts.size(explicitHashKey.length()) + explicitHashKey.length();
        }
        int body = recordBodyLength(pkIndex, explicitHashKey == null ? -1 : ehkIndex, dataLength);
        return grow + 1 + VarInts.size(body) + body;
    }

    private static long growthInEmpty(int pkUtf8, String explicitHashKey, int dataLength) {
        long grow = 1 + VarInts.size(pkUtf8) + pkUtf8;
        int ehkIndex = -1;
        if (explicitHashKey != null) {
            ehkIndex = 0;
            grow += 1 + VarInts.size(explicitHashKey.length()) + explicitHashKey.length();
        }
        int body = recordBodyLength(0, ehkIndex, dataLength);
        return grow + 1 + VarInts.size(body) + body;
    }

    private static int recordBodyLength(int pkIndex, int ehkIndex, int dataLength) {
        int body = 1 + VarInts.size(pkIndex) + 1 + VarInts.size(dataLength) + dataLength;
        if (ehkIndex >= 0) {
            body += 1 + VarInts.size(ehkIndex);
        }
        return body;
    }

    private static void checkDataLength(int dataLength) {
        if (dataLength < 0) {
            throw new InvalidRecordException(InvalidRecordException.Field.DATA,
                    "length must not be negative, was " + dataLength);
        }
    }

    /**
     * The encoded aggregate: magic, protobuf, MD5 trailer. Leaves the aggregator as it is.
     *
     * @return a new array of {@link #size()} bytes
     * @throws IllegalStateException when the aggregate is empty
     */
    public byte[] toBytes() {
        byte[] out = new byte[size()];
        writeTo(out, 0);
        return out;
    }

    /**
     * Writes the encoded aggregate at {@code offset} of {@code dst}. Leaves the aggregator as it is.
     *
     * @param dst    the array to write into
     * @param offset where in {@code dst} the aggregate starts
     * @return the number of bytes written, {@link #size()}
     * @throws IllegalStateException when the aggregate is empty
     * @throws IndexOutOfBoundsException when {@code dst} has less than {@link #size()} bytes from {@code offset}
     */
    public int writeTo(byte[] dst, int offset) {
        if (count == 0) {
            throw new IllegalStateException("an aggregate needs at least one user record");
        }
        int size = size();
        Objects.checkFromIndexSize(offset, size, dst.length);
        int p = offset;
        System.arraycopy(AggregationFormat.MAGIC, 0, dst, p, AggregationFormat.MAGIC_LENGTH);
        p += AggregationFormat.MAGIC_LENGTH;
        p = copy(partitionKeyTable, dst, p);
        p = copy(explicitHashKeyTable, dst, p);
        p = copy(records, dst, p);
        md5.update(dst, offset + AggregationFormat.MAGIC_LENGTH, p - offset - AggregationFormat.MAGIC_LENGTH);
        try {
            md5.digest(dst, p, AggregationFormat.DIGEST_LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("MD5 digest failed", e);
        }
        return size;
    }

    /**
     * Writes the encoded aggregate into {@code dst} at its position (advancing it) and resets this aggregator.
     *
     * @param dst the buffer to write into
     * @return the number of bytes written
     * @throws IllegalStateException            when the aggregate is empty
     * @throws java.nio.BufferOverflowException when {@code dst} has less than {@link #size()} bytes remaining
     */
    public int drainTo(ByteBuffer dst) {
        int size = size();
        if (dst.remaining() < size) {
            throw new java.nio.BufferOverflowException();
        }
        if (dst.hasArray()) {
            writeTo(dst.array(), dst.arrayOffset() + dst.position());
            dst.position(dst.position() + size);
        } else {
            dst.put(toBytes());
        }
        reset();
        return size;
    }

    /** Empties the aggregate; buffers keep their capacity for the next one. */
    public void reset() {
        partitionKeys.clear();
        explicitHashKeys.clear();
        partitionKeyTable.reset();
        explicitHashKeyTable.reset();
        records.reset();
        count = 0;
        firstRecordHadExplicitHashKey = false;
    }

    private static int copy(ByteSink src, byte[] dst, int offset) {
        System.arraycopy(src.array(), 0, dst, offset, src.size());
        return offset + src.size();
    }
}
