package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.wire.HashKey;
import org.junit.jupiter.api.Test;

class HashKeyCacheTest {
    @Test
    void answersTheMd5OfEveryKeyWhetherCachedOrEvicted() {
        HashKeyCache cache = new HashKeyCache(16); // far fewer slots than keys: collisions and evictions
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                String key = "key-" + i;
                assertThat(cache.md5Of(key)).isEqualTo(HashKey.md5Of(key));
                assertThat(cache.md5Of(new String(key))).isEqualTo(HashKey.md5Of(key)); // equal, not identical
            }
        }
        // "Aa" and "BB" share a hashCode, so they share a slot
        assertThat(cache.md5Of("Aa")).isEqualTo(HashKey.md5Of("Aa"));
        assertThat(cache.md5Of("BB")).isEqualTo(HashKey.md5Of("BB"));
        assertThat(cache.md5Of("Aa")).isEqualTo(HashKey.md5Of("Aa"));
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new HashKeyCache(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
    }
}
