package io.runnel.producer.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Lanes of shards: which part of each shard's partition keys something covers (requests in flight, records held
 * back). A lane is a prefix of the keys' lane hash ({@link #keyHash}): {@code bits} low bits equal to {@code index};
 * lane {@link #WHOLE} (no bits) is every key of the shard. Two lanes overlap when one's prefix extends the other's, so
 * lanes of one shard that do not overlap hold disjoint sets of keys, and their records can be in flight at the same
 * time, or share a request, without reordering any key. A multiset: a lane added twice is removed twice. Confined to
 * the pipeline thread.
 */
final class ShardLanes {
    /** Every key of a shard. */
    static final int WHOLE = 0;
    /** The most bits a lane has (2^MAX_BITS lanes per shard). */
    static final int MAX_BITS = 3;

    private final Map<String, int[]> lanes = new HashMap<>(); // per shard: count, then the lanes
    private static final int[] NONE = {0};

    /** The lane of keys whose lane hash has {@code index} in its {@code bits} low bits. */
    static int lane(int bits, int index) {
        if (bits < 0 || bits > MAX_BITS || index < 0 || index >= 1 << bits) {
            throw new IllegalArgumentException("no lane " + index + " of " + bits + " bits");
        }
        return bits << 16 | index;
    }

    static int bits(int lane) {
        return lane >>> 16;
    }

    static int index(int lane) {
        return lane & 0xFFFF;
    }

    /** Whether some key can be in both lanes. */
    static boolean overlap(int a, int b) {
        int mask = ((1 << bits(a)) - 1) & ((1 << bits(b)) - 1); // the narrower lane's bits, with no branch on widths
        return ((index(a) ^ index(b)) & mask) == 0;
    }

    /** A partition key's lane hash: one key is always in the same lane of a given width. */
    static int keyHash(String partitionKey) {
        int h = partitionKey == null ? 0 : partitionKey.hashCode();
        h *= 0x9E3779B9; // spread the low bits, which String.hashCode leaves alike for keys such as pk-1, pk-2
        return h ^ h >>> 16;
    }

    /**
     * The index of the lane of {@code bits} bits that holds {@code partitionKey}: the same for every width, with no
     * branch on it (lanes start one wide and widen about a second into a run; a branch first taken then sent the
     * compiled pipeline loop back to the interpreter, to be compiled again).
     */
    static int indexOf(String partitionKey, int bits) {
        return keyHash(partitionKey) & ((1 << bits) - 1);
    }

    void add(String shard, int lane) {
        int[] a = lanes.getOrDefault(shard, NONE);
        int n = a[0];
        if (n + 1 >= a.length) {
            a = Arrays.copyOf(a, Math.max(4, a.length * 2));
            lanes.put(shard, a); // a new array (NONE is never written to): the map holds it from now on
        }
        a[n + 1] = lane;
        a[0] = n + 1;
    }

    /** Adds {@code lane} of {@code shard} unless it is here already (a set, where counts do not matter). */
    void addOnce(String shard, int lane) {
        int[] a = lanes.get(shard);
        if (a != null) {
            for (int i = 1; i <= a[0]; i++) {
                if (a[i] == lane) {
                    return;
                }
            }
        }
        add(shard, lane);
    }

    /** Whether a lane of {@code shard} here overlaps {@code lane}. */
    boolean overlaps(String shard, int lane) {
        int[] a = lanes.get(shard);
        if (a == null) {
            return false;
        }
        for (int i = 1; i <= a[0]; i++) {
            if (overlap(a[i], lane)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any lane of {@code shard} is here. */
    boolean contains(String shard) {
        return lanes.containsKey(shard);
    }

    /** Removes {@code lane} of {@code shard} once (a request carrying it was answered). */
    void removeOne(String shard, int lane) {
        int[] a = lanes.get(shard);
        if (a == null) {
            return;
        }
        int n = a[0];
        for (int i = 1; i <= n; i++) {
            if (a[i] == lane) {
                a[i] = a[n];
                a[0] = n - 1;
                if (n == 1) {
                    lanes.remove(shard);
                }
                return;
            }
        }
    }

    /** Removes every lane of {@code shard}. */
    void remove(String shard) {
        lanes.remove(shard);
    }

    void clear() {
        lanes.clear();
    }

    boolean isEmpty() {
        return lanes.isEmpty();
    }

    /** The shards with a lane here (a view). */
    Set<String> shards() {
        return lanes.keySet();
    }
}
