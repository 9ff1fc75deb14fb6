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
        // "AaAa", "AaBB" and "BBAa" share a hashCode, so they share a set of two slots
        cache.md5Of("AaAa");
        assertThat(cache.cached("AaBB")).as("same hashCode and set, another key").isNull();
        cache.md5Of("AaBB"); // the set's second slot: both stay
        assertThat(cache.cached("AaAa")).isEqualTo(HashKey.md5Of("AaAa"));
        assertThat(cache.cached("AaBB")).isEqualTo(HashKey.md5Of("AaBB"));
        cache.md5Of("BBAa"); // a third: the older of the two goes
        assertThat(cache.cached("AaAa")).isNull();
        assertThat(cache.cached("AaBB")).isEqualTo(HashKey.md5Of("AaBB"));
        assertThat(cache.cached("BBAa")).isEqualTo(HashKey.md5Of("BBAa"));
    }

    /** Keys of different hash codes that fall in one set (the thrashing pairs of a direct-mapped cache) both stay. */
    @Test
    void twoKeysOfOneSetStayWhileTheyAreUsedInTurn() {
        HashKeyCache cache = new HashKeyCache(8192);
        java.util.Map<Integer, String> bySet = new java.util.HashMap<>();
        String first = null;
        String second = null;
        for (int i = 0; second == null; i++) {
            String key = "pk-" + i;
            String other = bySet.putIfAbsent(cache.setOf(key.hashCode()), key);
            if (other != null && other.hashCode() != key.hashCode()) {
                first = other;
                second = key;
            }
        }
        cache.md5Of(first);
        cache.md5Of(second);
        for (int round = 0; round < 3; round++) {
            assertThat(cache.cached(first)).as(first + " beside " + second).isEqualTo(HashKey.md5Of(first));
            assertThat(cache.cached(second)).isEqualTo(HashKey.md5Of(second));
        }
        // one set of two slots: every key in it
        HashKeyCache one = new HashKeyCache(2);
        one.md5Of("a");
        one.md5Of("b");
        assertThat(one.cached("a")).isEqualTo(HashKey.md5Of("a"));
        assertThat(one.cached("b")).isEqualTo(HashKey.md5Of("b"));
        one.md5Of("c");
        assertThat(one.cached("a")).isNull();
        assertThat(one.cached("c")).isEqualTo(HashKey.md5Of("c"));
    }

    @Test
    void computedHashesAndKeepsAKeyThatWasNotThere() {
        HashKeyCache cache = new HashKeyCache(16);
        assertThat(cache.cached("a")).isNull();
        assertThat(cache.computed("a")).isEqualTo(HashKey.md5Of("a"));
        assertThat(cache.cached("a")).isEqualTo(HashKey.md5Of("a"));
        assertThat(cache.md5Of("a")).isEqualTo(HashKey.md5Of("a"));
        cache.computed("AaAa"); // one set: computed fills it as md5Of does
        cache.computed("AaBB");
        assertThat(cache.cached("AaBB")).isEqualTo(HashKey.md5Of("AaBB"));
        assertThat(cache.computed("BBAa")).isEqualTo(HashKey.md5Of("BBAa"));
        assertThat(cache.cached("AaAa")).isNull();
        assertThat(cache.cached("AaBB")).isEqualTo(HashKey.md5Of("AaBB"));
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
