package io.runnel.backend.fanout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Encodes AWS event-stream messages, the framing of SubscribeToShard's response body. A message is
 *
 * <pre>
 * total length (4) | headers length (4) | CRC32 of the 8 bytes before (4) | headers | payload | CRC32 of all before (4)
 * </pre>
 *
 * <p>all integers big-endian; each header is name length (1), name (UTF-8), value type (1; 7 = string), value length
 * (2), value (UTF-8). Kinesis sends three kinds: events ({@code :message-type event} with {@code :event-type} and
 * {@code :content-type}), modelled exceptions ({@code :message-type exception} with {@code :exception-type}) and
 * errors ({@code :message-type error} with {@code :error-code} and {@code :error-message}, no payload).
 *
 * <p>Stateless and thread-safe.
 */
public final class EventStreamEncoder {
    /** The Content-Type of an event-stream HTTP body. */
    public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";
    /** Largest message the format allows (the SDK's decoder refuses bigger ones): 16 MiB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** Largest header section the format allows: 128 KiB. */
    public static final int MAX_HEADERS_BYTES = 128 * 1024;

    private static final int PRELUDE_BYTES = 12;
    private static final int CRC_BYTES = 4;
    private static final byte STRING = 7;

    private EventStreamEncoder() {
    }

    /**
     * An event message.
     *
     * @param eventType   the {@code :event-type} header, e.g. {@code SubscribeToShardEvent}
     * @param contentType the {@code :content-type} of the payload
     * @param payload     the encoded event
     * @return the whole message, prelude to CRC
     * @throws IllegalArgumentException when the message exceeds the format's limits
     */
    public static byte[] event(String eventType, String contentType, byte[] payload) {
        return message(payload, ":message-type", "event", ":event-type", eventType, ":content-type", contentType);
    }

    /**
     * A modelled exception message, which ends the stream.
     *
     * @param exceptionType the {@code :exception-type} header, e.g. {@code ResourceNotFoundException}
     * @param contentType   the {@code :content-type} of the payload
     * @param payload       the encoded exception, carrying its message
     * @return the whole message
     * @throws IllegalArgumentException when the message exceeds the format's limits
     */
    public static byte[] exception(String exceptionType, String contentType, byte[] payload) {
        return message(payload, ":message-type", "exception", ":exception-type", exceptionType, ":content-type",
                contentType);
    }

    /**
     * An unmodelled error message: code and message in headers, no payload.
     *
     * @param errorCode    the {@code :error-code} header
     * @param errorMessage the {@code :error-message} header
     * @return the whole message
     * @throws IllegalArgumentException when the error message is longer than 32,767 bytes
     */
    public static byte[] error(String errorCode, String errorMessage) {
        return message(new byte[0], ":message-type", "error", ":error-code", errorCode, ":error-message",
                errorMessage);
    }

    /**
     * One message with string headers.
     *
     * @param payload        the message's payload, may be empty
     * @param namesAndValues header name, value, name, value, ... (a null value is written empty)
     * @return the whole message: prelude, prelude CRC, headers, payload, message CRC
     * @throws IllegalArgumentException when names and values do not pair up, a header name is empty or exceeds 255
     *                                  bytes, a value 32,767 bytes, or the message the format's limits
     */
    public static byte[] message(byte[] payload, String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("namesAndValues must pair names with values, got "
                    + namesAndValues.length + " strings");
        }
        byte[][] encoded = new byte[namesAndValues.length][];
        int headersLength = 0;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            byte[] name = namesAndValues[i].getBytes(StandardCharsets.UTF_8);
            byte[] value = (namesAndValues[i + 1] == null ? "" : namesAndValues[i + 1])
                    .getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > 255) {
                throw new IllegalArgumentException("header name must be 1-255 bytes: '" + namesAndValues[i] + "'");
            }
            if (value.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("header " + namesAndValues[i] + " value exceeds "
                        + Short.MAX_VALUE + " bytes: " + value.length);
            }
            encoded[i] = name;
            encoded[i + 1] = value;
            headersLength += 1 + name.length + 1 + 2 + value.length;
        }
        if (headersLength > MAX_HEADERS_BYTES) {
            throw new IllegalArgumentException("headers exceed " + MAX_HEADERS_BYTES + " bytes: " + headersLength);
        }
        long total = (long) PRELUDE_BYTES + headersLength + payload.length + CRC_BYTES;
        if (total > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("event-stream message exceeds " + MAX_MESSAGE_BYTES + " bytes: "
                    + total);
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.putInt((int) total);
        out.putInt(headersLength);
        out.putInt(crc32(out.array(), 0, 8));
        for (int i = 0; i < encoded.length; i += 2) {
            out.put((byte) encoded[i].length);
            out.put(encoded[i]);
            out.put(STRING);
            out.putShort((short) encoded[i + 1].length);
            out.put(encoded[i + 1]);
        }
        out.put(payload);
        out.putInt(crc32(out.array(), 0, out.position()));
        return out.array();
    }

    private static int crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
