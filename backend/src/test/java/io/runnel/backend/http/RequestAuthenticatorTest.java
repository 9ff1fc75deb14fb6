package io.runnel.backend.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import io.runnel.wire.error.KinesisServiceException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signatures checked against several held key pairs, session tokens included, and the per-key count. */
class RequestAuthenticatorTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final Credentials LONG_TERM = Credentials.of("AKIDLONG", "long-secret");
    private static final Credentials ROLE_A = Credentials.of("ASIAROLEA", "secret-a", "token-a");
    private static final Credentials ROLE_B = Credentials.of("ASIAROLEB", "secret-b", "token-b");

    private final RequestAuthenticator auth = new RequestAuthenticator(List.of(LONG_TERM, ROLE_A, ROLE_B));

    /** A ListStreams request signed with {@code signingAs}. */
    private static FullHttpRequest signed(Credentials signingAs) {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.wrappedBuffer(body));
        r.headers().set("Host", "127.0.0.1:4567").set("Content-Type", "application/x-amz-json-1.1")
                .set("X-Amz-Target", "Kinesis_20131202.ListStreams");
        List<Map.Entry<String, String>> headers = List.of(Map.entry("host", "127.0.0.1:4567"),
                Map.entry("content-type", "application/x-amz-json-1.1"),
                Map.entry("x-amz-target", "Kinesis_20131202.ListStreams"));
        new SigV4Signer("us-east-1", "kinesis").sign(new SignableRequest("POST", "/", null, headers,
                ByteBuffer.wrap(body)), signingAs, NOW).forEach(r.headers()::set);
        return r;
    }

    private static String errorCode(Runnable verify) {
        try {
            verify.run();
        } catch (KinesisServiceException e) {
            return e.errorCode() + ": " + e.getMessage();
        }
        return "accepted";
    }

    @Test
    void everyHeldPairIsAcceptedAndCountedByItsAccessKey() {
        auth.verify(signed(ROLE_A), NOW);
        auth.verify(signed(ROLE_B), NOW);
        auth.verify(signed(ROLE_B), NOW);
        auth.verify(signed(LONG_TERM), NOW);
        assertThat(auth.acceptedByAccessKey()).containsExactly(Map.entry("AKIDLONG", 1L),
                Map.entry("ASIAROLEA", 1L), Map.entry("ASIAROLEB", 2L));
        assertThatThrownBy(() -> auth.acceptedByAccessKey().put("x", 1L))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anUnknownKeyIsUnrecognized() {
        assertThat(errorCode(() -> auth.verify(signed(Credentials.of("AKIDOTHER", "long-secret")), NOW)))
                .isEqualTo("UnrecognizedClientException: The security token included in the request is invalid.");
        assertThat(auth.acceptedByAccessKey()).isEmpty();
    }

    @Test
    void aHeldPairsSessionTokenMustComeWithIt() {
        // signed correctly, but with another token, or none: Kinesis refuses the token, not the signature
        assertThat(errorCode(() -> auth.verify(signed(Credentials.of("ASIAROLEA", "secret-a", "token-b")), NOW)))
                .isEqualTo("UnrecognizedClientException: The security token included in the request is invalid.");
        assertThat(errorCode(() -> auth.verify(signed(Credentials.of("ASIAROLEA", "secret-a")), NOW)))
                .startsWith("UnrecognizedClientException");
        // the right token with the wrong secret is still a bad signature
        assertThat(errorCode(() -> auth.verify(signed(Credentials.of("ASIAROLEA", "secret-b", "token-a")), NOW)))
                .startsWith("InvalidSignatureException");
        // a held pair without a token accepts a request that has one (long-term keys stand in for temporary ones)
        auth.verify(signed(Credentials.of("AKIDLONG", "long-secret", "any-token")), NOW);
        assertThat(auth.acceptedByAccessKey()).containsExactly(Map.entry("AKIDLONG", 1L));
    }

    @Test
    void aSignatureMoreThanFiveMinutesFromTheServicesClockIsRefusedAsKinesisWordsIt() {
        // signed at NOW: accepted up to 5 minutes either side of the service's time
        auth.verify(signed(LONG_TERM), NOW.plusSeconds(300));
        auth.verify(signed(LONG_TERM), NOW.minusSeconds(300));
        assertThat(errorCode(() -> auth.verify(signed(LONG_TERM), NOW.plusSeconds(301)))).isEqualTo(
                "InvalidSignatureException: Signature expired: 20261125T120000Z is now earlier than 20261125T120001Z"
                        + " (20261125T120501Z - 5 min.)");
        assertThat(errorCode(() -> auth.verify(signed(LONG_TERM), NOW.minusSeconds(301)))).isEqualTo(
                "InvalidSignatureException: Signature not yet current: 20261125T120000Z is still later than"
                        + " 20261125T115959Z (20261125T115459Z + 5 min.)");
    }

    @Test
    void twoPairsWithOneAccessKeyOrNoneAtAllAreRefused() {
        assertThatThrownBy(() -> new RequestAuthenticator(List.of(ROLE_A, Credentials.of("ASIAROLEA", "other"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ASIAROLEA");
        assertThatThrownBy(() -> new RequestAuthenticator(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
