package io.runnel.aggregation.internal;

import java.util.Arrays;

/**
 * An insertion-ordered set of strings mapping each to its index (0, 1, 2, ...), cleared and reused without
 * allocating: open addressing with linear probing over arrays that only ever grow. Not thread-safe.
 */
public final class KeyTable {
    private String[] slots;
    private int[] slotIndex;
    private String[] byIndex;
    private int size;

    public KeyTable(int expectedKeys) {
        int capacity = Integer.highestOneBit(Math.max(8, expectedKeys * 2 - 1)) << 1;
        slots = new String[capacity];
        slotIndex = new int[capacity];
        byIndex = new String[Math.max(4, expectedKeys)];
    }

    public int size() {
        return size;
    }

    /** The key with index {@code index} ({@code 0 <= index < size()}). */
    public String key(int index) {
        return byIndex[index];
    }

    /** The index of {@code key}, or -1 when absent. */
    public int indexOf(String key) {
        int mask = slots.length - 1;
        for (int i = slot(key); ; i = (i + 1) & mask) {
            String s = slots[i];
            if (s == null) {
                return -1;
            }
            if (s.equals(key)) {
                return slotIndex[i];
            }
        }
    }

    /** Adds {@code key}, which must be absent, and returns its index. */
    public int add(String key) {
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (size == byIndex.length) {
            byIndex = Arrays.copyOf(byIndex, size * 2);
        }
        int index = size++;
        byIndex[index] = key;
        place(key, index);
        return index;
    }

    /** Removes every key; keeps the arrays. */
    public void clear() {
        if (size == 0) {
            return;
        }
        if (size * 8 < slots.length) {
            // Few keys in a large table: clear just their slots.
            int mask = slots.length - 1;
            for (int k = 0; k < size; k++) {
                String key = byIndex[k];
                for (int i = slot(key); ; i = (i + 1) & mask) {
                    if (slots[i] == key) {
                        slots[i] = null;
                        break;
                    }
                }
            }
            // Linear probing needs contiguous clusters; every occupied slot was one of ours, so all are null now.
        } else {
            Arrays.fill(slots, null);
        }
        Arrays.fill(byIndex, 0, size, null);
        size = 0;
    }

    private void place(String key, int index) {
        int mask = slots.length - 1;
        int i = slot(key);
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = key;
        slotIndex[i] = index;
    }

    private void grow() {
        slots = new String[slots.length << 1];
        slotIndex = new int[slots.length];
        for (int k = 0; k < size; k++) {
            place(byIndex[k], k);
        }
    }

    /**
     * The home slot of {@code key}: the high bits of its hash times 2^32/phi (Fibonacci hashing). Keys such as
     * {@code pk-10}..{@code pk-19} have consecutive {@code hashCode}s; taken as they are (or with the low bits mixed
     * by a shift) they fill runs of neighbouring slots, and linear probing then walks those runs.
     */
    private int slot(String key) {
        return (key.hashCode() * 0x9E3779B9) >>> Integer.numberOfLeadingZeros(slots.length - 1);
    }
}
