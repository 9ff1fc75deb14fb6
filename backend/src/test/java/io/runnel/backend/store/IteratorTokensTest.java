package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class IteratorTokensTest {
    private final IteratorTokens tokens = new IteratorTokens();

    @Test
    void roundTrips() {
        IteratorTokens.Token token = new IteratorTokens.Token("my-stream-ü", 1_764_000_000_000L, 7, 123_456L, 42L);
        assertThat(tokens.decode(tokens.encode(token))).isEqualTo(token);
    }

    @Test
    void alteredForeignAndGarbageIteratorsAreRefused() {
        String good = tokens.encode(new IteratorTokens.Token("s", 1, 0, 5, 0));
        byte[] raw = Base64.getDecoder().decode(good);
        for (int i = 0; i < raw.length; i++) {
            byte[] altered = raw.clone();
            altered[i] ^= 0x01;
            assertThat(tokens.decode(Base64.getEncoder().encodeToString(altered))).as("byte %d flipped", i).isNull();
        }
        assertThat(new IteratorTokens().decode(good)).isNull();
        assertThat(tokens.decode("not base64 !")).isNull();
        assertThat(tokens.decode("")).isNull();
        assertThat(tokens.decode(null)).isNull();
        assertThat(tokens.decode("AAAA")).isNull();
    }

    @Test
    void sameKeyKeepsIteratorsValidAcrossInstances() {
        byte[] key = new byte[32];
        key[0] = 9;
        IteratorTokens.Token token = new IteratorTokens.Token("s", 1, 2, 3, 4);
        assertThat(new IteratorTokens(key).decode(new IteratorTokens(key).encode(token))).isEqualTo(token);
    }

    @Test
    void expiresAfterTheTtl() {
        IteratorTokens.Token token = new IteratorTokens.Token("s", 1, 0, 0, 1_000);
        assertThat(token.isExpired(1_000 + IteratorTokens.DEFAULT_TTL_MILLIS - 1, IteratorTokens.DEFAULT_TTL_MILLIS))
                .isFalse();
        assertThat(token.isExpired(1_000 + IteratorTokens.DEFAULT_TTL_MILLIS, IteratorTokens.DEFAULT_TTL_MILLIS))
                .isTrue();
    }
}
