package io.runnel.backend.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shard iterators as opaque, tamper-evident strings: the iterator's state (stream, shard, position, issue time)
 * followed by an HMAC-SHA256 tag under a key the backend draws at start, Base64-encoded. A client can pass an
 * iterator back but cannot forge or alter one; iterators from an earlier run of the backend are refused, as
 * Kinesis refuses iterators of a deleted stream.
 *
 * <p>Thread-safe.
 */
public final class IteratorTokens {
    /** Kinesis iterators expire five minutes after they are issued. */
    public static final long DEFAULT_TTL_MILLIS = 5 * 60 * 1000L;
    private static final byte VERSION = 1;
    private static final int TAG_BYTES = 16;
    private static final int MAX_NAME_BYTES = 1024;

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    /** Tokens signed with a fresh random key. */
    public IteratorTokens() {
        this(randomKey());
    }

    /**
     * Tokens signed with {@code key}, e.g. to keep iterators valid across a restart.
     *
     * @param key the HMAC key, at least 16 bytes; copied
     * @throws IllegalArgumentException when the key is shorter
     */
    public IteratorTokens(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("iterator key must have at least 16 bytes, has " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    private static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * What an iterator points at.
     *
     * @param streamName           the stream
     * @param streamCreationMillis creation time of the stream, so that an iterator of a deleted stream does not
     *                             read a new stream of the same name
     * @param shardIndex           the shard
     * @param position             the next position to read (see {@link ShardLog})
     * @param issuedMillis         when the iterator was issued, for expiry
     */
    public record Token(String streamName, long streamCreationMillis, int shardIndex, long position,
            long issuedMillis) {

        /**
         * Whether the iterator has expired.
         *
         * @param nowMillis the time now, epoch millis
         * @param ttlMillis how long an iterator stays valid after it is issued
         * @return whether at least {@code ttlMillis} have passed since it was issued
         */
        public boolean isExpired(long nowMillis, long ttlMillis) {
            return nowMillis - issuedMillis >= ttlMillis;
        }
    }

    /**
     * The iterator string for {@code token}: its fields and an HMAC, in base64.
     *
     * @param token what the iterator points at
     * @return the iterator string
     * @throws IllegalArgumentException when the stream name is over 1024 UTF-8 bytes
     */
    public String encode(Token token) {
        byte[] name = token.streamName().getBytes(StandardCharsets.UTF_8);
        if (name.length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("stream name too long for an iterator: " + name.length + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate(1 + 2 + name.length + 8 + 4 + 8 + 8 + TAG_BYTES);
        buf.put(VERSION).putShort((short) name.length).put(name).putLong(token.streamCreationMillis())
                .putInt(token.shardIndex()).putLong(token.position()).putLong(token.issuedMillis());
        int bodyLength = buf.position();
        Mac mac = macs.get();
        mac.update(buf.array(), 0, bodyLength);
        buf.put(mac.doFinal(), 0, TAG_BYTES);
        return Base64.getEncoder().encodeToString(buf.array());
    }

    /**
     * The token behind an iterator string.
     *
     * @param iterator a ShardIterator from a request, may be null
     * @return the token, or null when the string is not an iterator this backend issued (malformed, altered, or
     *         signed with another key)
     */
    public Token decode(String iterator) {
        if (iterator == null || iterator.isEmpty() || iterator.length() > 4096) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(iterator);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length < 1 + 2 + 8 + 4 + 8 + 8 + TAG_BYTES || raw[0] != VERSION) {
            return null;
        }
        int bodyLength = raw.length - TAG_BYTES;
        Mac mac = macs.get();
        mac.update(raw, 0, bodyLength);
        byte[] expected = mac.doFinal();
        byte[] tag = new byte[TAG_BYTES];
        System.arraycopy(raw, bodyLength, tag, 0, TAG_BYTES);
        byte[] expectedTag = new byte[TAG_BYTES];
        System.arraycopy(expected, 0, expectedTag, 0, TAG_BYTES);
        if (!MessageDigest.isEqual(tag, expectedTag)) {
            return null;
        }
        ByteBuffer buf = ByteBuffer.wrap(raw, 1, bodyLength - 1);
        int nameLength = buf.getShort() & 0xFFFF;
        if (nameLength != bodyLength - (1 + 2 + 8 + 4 + 8 + 8)) {
            return null;
        }
        byte[] name = new byte[nameLength];
        buf.get(name);
        return new Token(new String(name, StandardCharsets.UTF_8), buf.getLong(), buf.getInt(), buf.getLong(),
                buf.getLong());
    }
}
