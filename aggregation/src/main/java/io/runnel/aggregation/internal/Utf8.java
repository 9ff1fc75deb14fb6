package io.runnel.aggregation.internal;

/** UTF-8 length and encoding of Java strings without intermediate arrays. Stateless. */
public final class Utf8 {
    private Utf8() {
    }

    /**
     * The UTF-8 length of {@code s} in bytes, or {@code -(i + 1)} when the char at index {@code i} is an unpaired
     * surrogate (a string that has no UTF-8 form).
     */
    public static int encodedLength(CharSequence s) {
        int length = s.length();
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(s.charAt(i + 1))) {
                    bytes += 4;
                    i++;
                } else {
                    return -(i + 1);
                }
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /**
     * Writes the UTF-8 form of {@code s}, which must be well-formed (see {@link #encodedLength}), at {@code offset}.
     *
     * @return the offset after the last byte written
     */
    public static int encode(CharSequence s, byte[] dst, int offset) {
        int length = s.length();
        int p = offset;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst[p++] = (byte) c;
            } else if (c < 0x800) {
                dst[p++] = (byte) (0xC0 | (c >>> 6));
                dst[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                dst[p++] = (byte) (0xF0 | (cp >>> 18));
                dst[p++] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
                dst[p++] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
                dst[p++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                dst[p++] = (byte) (0xE0 | (c >>> 12));
                dst[p++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                dst[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return p;
    }
}
