package io.runnel.producer.internal;

import io.runnel.wire.HashKey;

/**
 * The MD5 hash keys of recently seen partition keys, so that an application that sends many records under a few
 * thousand keys (hosts, users, devices) does not hash the same key again for every record. Two-way set-associative by
 * the key's {@code hashCode}: a key goes into the first slot of its set and moves the one there to the second, so two
 * keys that share a set both stay. (Direct-mapped, ~11 % of 1,000 keys shared their slot with another in 8,192 slots
 * and were hashed again whenever the other had come by since: ~0.03 us of every record.) Shared by the threads that
 * add records: each slot holds an immutable entry, written and read without locks (a racing write only replaces one
 * valid entry with another; a reader that sees an entry sees it whole, its fields being final, and the key decides
 * whether it is the one). A separate array of the entries' hash codes lets a lookup of a key that is not
 * there (every record of an application with a key per record) fail without reading the entry, or comparing its key,
 * which is usually no longer in the CPU's cache.
 */
public final class HashKeyCache {
    private record Entry(String key, HashKey md5) {
    }

    private final Entry[] entries; // set i in slots 2i (the newer) and 2i + 1
    private final int[] hashes; // a hint: entries[i].key().hashCode(), or anything after a race (the key decides)
    private final int shift; // of a 32-bit product, to the set's index: 32 - log2(sets), so 32 for one set

    /** @param slots a power of two, at least 2 */
    public HashKeyCache(int slots) {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two of at least 2, was " + slots);
        }
        this.entries = new Entry[slots];
        this.hashes = new int[slots];
        this.shift = 32 - Integer.numberOfTrailingZeros(slots / 2);
    }

    /** The MD5 hash key of {@code partitionKey}, from the cache when it is there. Any thread. */
    public HashKey md5Of(String partitionKey) {
        HashKey md5 = cached(partitionKey);
        return md5 != null ? md5 : computed(partitionKey);
    }

    /**
     * The MD5 hash key of {@code partitionKey}, computed and put in the cache without looking there first: for a
     * caller that just found {@link #cached} empty for this key. Any thread.
     */
    public HashKey computed(String partitionKey) {
        HashKey md5 = HashKey.md5Of(partitionKey);
        int h = partitionKey.hashCode();
        int first = firstSlot(h);
        entries[first + 1] = entries[first];
        hashes[first + 1] = hashes[first];
        entries[first] = new Entry(partitionKey, md5);
        hashes[first] = h;
        return md5;
    }

    /**
     * The MD5 hash key of {@code partitionKey} when the cache has it, else null. Only keys given to {@link #md5Of}
     * or {@link #computed} are there: a cache whose caller checks each key first (the producer) knows a key it finds
     * was checked before.
     * Any thread.
     */
    public HashKey cached(String partitionKey) {
        int h = partitionKey.hashCode();
        int first = firstSlot(h);
        HashKey md5 = inSlot(first, h, partitionKey);
        return md5 != null ? md5 : inSlot(first + 1, h, partitionKey);
    }

    private HashKey inSlot(int slot, int h, String partitionKey) {
        if (hashes[slot] == h) {
            Entry e = entries[slot];
            if (e != null && (e.key() == partitionKey || e.key().equals(partitionKey))) {
                return e.md5();
            }
        }
        return null;
    }

    /** The first slot of the key's set. */
    private int firstSlot(int hashCode) {
        // high bits: keys with consecutive hash codes do not share sets
        return (int) (((hashCode * 0x9E3779B9) & 0xFFFF_FFFFL) >>> shift) << 1;
    }

    /** Test hook: the set a hash code falls in. */
    int setOf(int hashCode) {
        return firstSlot(hashCode) >> 1;
    }
}
