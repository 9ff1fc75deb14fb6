package io.runnel.backend.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/** Our event-stream framing, read back by the AWS SDK's own decoder (which checks both CRCs). */
class EventStreamEncoderTest {

    private static String header(Message m, String name) {
        return m.getHeaders().get(name).getString();
    }

    @Test
    void anEventDecodesWithItsHeadersAndPayload() {
        byte[] payload = "{\"Records\":[]}".getBytes(StandardCharsets.UTF_8);
        Message m = Message.decode(ByteBuffer.wrap(EventStreamEncoder.event("SubscribeToShardEvent",
                "application/x-amz-json-1.1", payload)));
        assertThat(m.getHeaders()).hasSize(3);
        assertThat(header(m, ":message-type")).isEqualTo("event");
        assertThat(header(m, ":event-type")).isEqualTo("SubscribeToShardEvent");
        assertThat(header(m, ":content-type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(m.getPayload()).isEqualTo(payload);
    }

    @Test
    void exceptionsAndErrorsCarryTheirTypeInHeaders() {
        Message ex = Message.decode(ByteBuffer.wrap(EventStreamEncoder.exception("ResourceNotFoundException",
                "application/x-amz-cbor-1.1", new byte[] {(byte) 0xA0})));
        assertThat(header(ex, ":message-type")).isEqualTo("exception");
        assertThat(header(ex, ":exception-type")).isEqualTo("ResourceNotFoundException");
        assertThat(ex.getPayload()).containsExactly(0xA0);
        Message err = Message.decode(ByteBuffer.wrap(EventStreamEncoder.error("InternalFailure", "boom é")));
        assertThat(header(err, ":message-type")).isEqualTo("error");
        assertThat(header(err, ":error-code")).isEqualTo("InternalFailure");
        assertThat(header(err, ":error-message")).isEqualTo("boom é");
        assertThat(err.getPayload()).isEmpty();
    }

    @Test
    void preludeAndMessageChecksumsAreCrc32OfTheBytesBefore() {
        byte[] msg = EventStreamEncoder.event("initial-response", "application/x-amz-json-1.1", "{}".getBytes(
                StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.wrap(msg);
        assertThat(b.getInt(0)).isEqualTo(msg.length);
        assertThat(b.getInt(8)).isEqualTo(crc(msg, 8));
        assertThat(b.getInt(msg.length - 4)).isEqualTo(crc(msg, msg.length - 4));
        assertThat(12 + b.getInt(4) + 2 + 4).isEqualTo(msg.length);
    }

    @Test
    void aCorruptedByteIsCaughtByTheSdkDecoder() {
        byte[] msg = EventStreamEncoder.event("SubscribeToShardEvent", "application/x-amz-json-1.1", new byte[100]);
        msg[60] ^= 1;
        assertThatThrownBy(() -> Message.decode(ByteBuffer.wrap(msg))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamOfMessagesSplitAnywhereDecodesInOrder() {
        Random random = new Random(42);
        List<byte[]> payloads = new ArrayList<>();
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            byte[] p = new byte[random.nextInt(70_000)];
            random.nextBytes(p);
            payloads.add(p);
            stream.writeBytes(EventStreamEncoder.event("SubscribeToShardEvent", "application/x-amz-cbor-1.1", p));
        }
        byte[] all = stream.toByteArray();
        List<Message> decoded = new ArrayList<>();
        MessageDecoder decoder = new MessageDecoder(decoded::add);
        for (int at = 0; at < all.length; ) {
            int n = Math.min(all.length - at, 1 + random.nextInt(20_000));
            decoder.feed(all, at, n);
            at += n;
        }
        assertThat(decoded).hasSize(50);
        for (int i = 0; i < 50; i++) {
            assertThat(decoded.get(i).getPayload()).isEqualTo(payloads.get(i));
        }
    }

    @Test
    void oversizedHeadersAndMessagesAreRefused() {
        assertThatThrownBy(() -> EventStreamEncoder.message(new byte[0], "x".repeat(256), "v"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header name");
        assertThatThrownBy(() -> EventStreamEncoder.message(new byte[0], ":event-type", "v".repeat(40_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":event-type");
        assertThatThrownBy(() -> EventStreamEncoder.message(new byte[EventStreamEncoder.MAX_MESSAGE_BYTES], "a", "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> EventStreamEncoder.message(new byte[0], "odd"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("namesAndValues");
    }

    private static int crc(byte[] b, int length) {
        CRC32 c = new CRC32();
        c.update(b, 0, length);
        return (int) c.getValue();
    }
}
