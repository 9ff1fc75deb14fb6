package io.runnel.aggregation.internal;

/** Protobuf base-128 varints (unsigned). Stateless. */
public final class VarInts {
    private VarInts() {
    }

    /** Bytes the varint encoding of {@code value} (taken as unsigned) needs: 1 to 10. */
    public static int size(long value) {
        // 1 byte per 7 significant bits; 0 needs one byte.
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    /** Protobuf tag byte(s) value for a field number and wire type. */
    public static int tag(int fieldNumber, int wireType) {
        return (fieldNumber << 3) | wireType;
    }

    /**
     * Writes {@code value} as a varint at {@code offset}.
     *
     * @return the offset after the last byte written
     */
    public static int write(long value, byte[] dst, int offset) {
        int p = offset;
        long v = value;
        while ((v & ~0x7FL) != 0) {
            dst[p++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        dst[p++] = (byte) v;
        return p;
    }
}
