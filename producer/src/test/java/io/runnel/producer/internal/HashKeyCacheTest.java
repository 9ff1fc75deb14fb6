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
    void holdsOnlyTheKeysGivenToIt() {
        HashKeyCache cache = new HashKeyCache(16);
        assertThat(cache.cached("a")).isNull();
        assertThat(cache.md5Of("a")).isEqualTo(HashKey.md5Of("a"));
        assertThat(cache.cached("a")).isEqualTo(HashKey.md5Of("a"));
        assertThat(cache.cached(new String("a"))).isEqualTo(HashKey.md5Of("a")); // equal, not identical
        cache.md5Of("Aa");
        assertThat(cache.cached("BB")).as("same hashCode and slot, another key").isNull();
        cache.md5Of("BB"); // takes the slot
        assertThat(cache.cached("Aa")).isNull();
        assertThat(cache.cached("BB")).isEqualTo(HashKey.md5Of("BB"));
    }

    @Test
    void computedHashesAndKeepsAKeyThatWasNotThere() {
        HashKeyCache cache = new HashKeyCache(16);
        assertThat(cache.cached("a")).isNull();
        assertThat(cache.computed("a")).isEqualTo(HashKey.md5Of("a"));
        assertThat(cache.cached("a")).isEqualTo(HashKey.md5Of("a"));
        assertThat(cache.md5Of("a")).isEqualTo(HashKey.md5Of("a"));
        cache.computed("BB"); // "Aa"'s slot: computed replaces what is there, as md5Of does
        assertThat(cache.cached("BB")).isEqualTo(HashKey.md5Of("BB"));
        assertThat(cache.computed("Aa")).isEqualTo(HashKey.md5Of("Aa"));
        assertThat(cache.cached("BB")).isNull();
    }

    @Test
    void threadsSharingItAlwaysGetTheRightHashKey() throws Exception {
        HashKeyCache cache = new HashKeyCache(64); // small: the threads overwrite each other's entries all the time
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> wrong = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                wrong.add(pool.submit(() -> {
                    int bad = 0;
                    for (int i = 0; i < 20_000; i++) {
                        String key = "k" + ((i * 7 + offset) % 500);
                        if (!cache.md5Of(key).equals(HashKey.md5Of(key))) {
                            bad++;
                        }
                    }
                    return bad;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : wrong) {
                assertThat(f.get(2, java.util.concurrent.TimeUnit.MINUTES)).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void slotsMustBeAPowerOfTwo() {
        assertThatThrownBy(() -> new HashKeyCache(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1000");
        assertThatThrownBy(() -> new HashKeyCache(1)).isInstanceOf(IllegalArgumentException.class);
    }
}
