package io.runnel.aggregation.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable byte array that is written front to back and reused after {@link #reset()} (its capacity stays).
 * Not thread-safe: one writer.
 */
public final class ByteSink {
    private byte[] bytes;
    private int size;

    public ByteSink(int initialCapacity) {
        this.bytes = new byte[Math.max(16, initialCapacity)];
    }

    public int size() {
        return size;
    }

    /** The backing array; bytes {@code [0, size())} are valid. */
    public byte[] array() {
        return bytes;
    }

    public void reset() {
        size = 0;
    }

    private void ensure(int extra) {
        int needed = size + extra;
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length << 1));
        }
    }

    public void writeByte(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    public void writeVarInt(long value) {
        ensure(10);
        size = VarInts.write(value, bytes, size);
    }

    public void write(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, bytes, size, length);
        size += length;
    }

    /** Copies the remaining bytes of {@code src} without changing its position. */
    public void write(ByteBuffer src) {
        int length = src.remaining();
        ensure(length);
        src.duplicate().get(bytes, size, length);
        size += length;
    }

    /** Writes {@code s} as UTF-8; {@code utf8Length} must be {@link Utf8#encodedLength}{@code (s)}. */
    public void writeUtf8(CharSequence s, int utf8Length) {
        ensure(utf8Length);
        size = Utf8.encode(s, bytes, size);
    }
}
