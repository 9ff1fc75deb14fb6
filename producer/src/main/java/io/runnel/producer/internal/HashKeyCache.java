package io.runnel.producer.internal;

import io.runnel.wire.HashKey;

/**
 * The MD5 hash keys of recently seen partition keys, so that an application that sends many records under a few
 * thousand keys (hosts, users, devices) does not hash the same key again for every record. Direct-mapped by the
 * key's {@code hashCode}: a lookup is one array read and one {@code equals}; a miss hashes and replaces the slot.
 * No allocation beyond the hash keys themselves. Confined to the pipeline thread; not thread-safe.
 */
final class HashKeyCache {
    private final String[] keys;
    private final HashKey[] values;
    private final int mask;

    /** @param slots a power of two */
    HashKeyCache(int slots) {
        if (slots <= 0 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two, was " + slots);
        }
        this.keys = new String[slots];
        this.values = new HashKey[slots];
        this.mask = slots - 1;
    }

    /** The MD5 hash key of {@code partitionKey}, from the cache when it is there. */
    HashKey md5Of(String partitionKey) {
        int h = partitionKey.hashCode();
        int slot = (h ^ (h >>> 16)) & mask;
        String cached = keys[slot];
        if (cached != null && (cached == partitionKey || cached.equals(partitionKey))) {
            return values[slot];
        }
        HashKey key = HashKey.md5Of(partitionKey);
        keys[slot] = partitionKey;
        values[slot] = key;
        return key;
    }
}
