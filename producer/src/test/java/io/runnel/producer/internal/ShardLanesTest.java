package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShardLanesTest {
    @Test
    void lanesOverlapWhenOnePrefixExtendsTheOther() {
        int whole = ShardLanes.WHOLE;
        int l10 = ShardLanes.lane(1, 0);
        int l11 = ShardLanes.lane(1, 1);
        int l20 = ShardLanes.lane(2, 0);
        int l22 = ShardLanes.lane(2, 2);
        int l21 = ShardLanes.lane(2, 1);
        assertThat(ShardLanes.overlap(whole, l21)).isTrue();
        assertThat(ShardLanes.overlap(l10, l11)).isFalse();
        assertThat(ShardLanes.overlap(l10, l20)).isTrue();
        assertThat(ShardLanes.overlap(l10, l22)).isTrue(); // 0b10 ends in 0
        assertThat(ShardLanes.overlap(l10, l21)).isFalse();
        assertThat(ShardLanes.overlap(l11, l21)).isTrue();
        assertThat(ShardLanes.overlap(l20, l22)).isFalse();
        assertThatThrownBy(() -> ShardLanes.lane(1, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lanesOverlapExactlyWhenSomeLaneHashIsInBoth() {
        for (int bitsA = 0; bitsA <= ShardLanes.MAX_BITS; bitsA++) {
            for (int bitsB = 0; bitsB <= ShardLanes.MAX_BITS; bitsB++) {
                for (int a = 0; a < 1 << bitsA; a++) {
                    for (int b = 0; b < 1 << bitsB; b++) {
                        boolean shared = false;
                        for (int hash = 0; hash < 1 << ShardLanes.MAX_BITS; hash++) {
                            shared |= (hash & ((1 << bitsA) - 1)) == a && (hash & ((1 << bitsB) - 1)) == b;
                        }
                        assertThat(ShardLanes.overlap(ShardLanes.lane(bitsA, a), ShardLanes.lane(bitsB, b)))
                                .as("lane %d of %d bits and lane %d of %d bits", a, bitsA, b, bitsB).isEqualTo(shared);
                    }
                }
            }
        }
    }

    @Test
    void aKeyIsInTheLaneItsNarrowerLaneSplitsInto() {
        for (int i = 0; i < 1000; i++) {
            String key = "pk-" + i;
            for (int bits = 1; bits <= ShardLanes.MAX_BITS; bits++) {
                assertThat(ShardLanes.overlap(laneOf(key, bits), laneOf(key, bits - 1))).isTrue();
            }
            assertThat(ShardLanes.indexOf(key, 0)).isZero(); // one lane: every key's
        }
        assertThat(ShardLanes.indexOf(null, ShardLanes.MAX_BITS)).isZero();
    }

    private static int laneOf(String key, int bits) {
        return ShardLanes.lane(bits, ShardLanes.indexOf(key, bits));
    }

    @Test
    void keysSpreadOverTheLanes() {
        int[] counts = new int[1 << ShardLanes.MAX_BITS];
        for (int i = 0; i < 8000; i++) {
            counts[ShardLanes.indexOf("pk-" + i, ShardLanes.MAX_BITS)]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(800, 1200);
        }
    }

    @Test
    void isAMultisetPerShard() {
        ShardLanes s = new ShardLanes();
        int l10 = ShardLanes.lane(1, 0);
        s.add("a", l10);
        s.add("a", l10);
        assertThat(s.overlaps("a", ShardLanes.lane(1, 1))).isFalse();
        assertThat(s.overlaps("a", ShardLanes.WHOLE)).isTrue();
        assertThat(s.overlaps("b", ShardLanes.WHOLE)).isFalse();
        s.removeOne("a", l10);
        assertThat(s.overlaps("a", l10)).isTrue();
        s.removeOne("a", l10);
        assertThat(s.contains("a")).isFalse();
        assertThat(s.isEmpty()).isTrue();
    }
}
