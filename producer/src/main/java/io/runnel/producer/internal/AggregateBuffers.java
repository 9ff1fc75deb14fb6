package io.runnel.producer.internal;

import java.util.ArrayDeque;

/**
 * Reused arrays for the bytes of aggregated records, so that a busy producer does not allocate (and the collector
 * does not trace and copy) a new array of up to AggregationMaxSize for every aggregate: the way Kafka's producer
 * reuses its batches' buffers. An aggregate takes the array of the smallest size class that holds it — powers of two
 * from {@value #SMALLEST} bytes, the largest class exactly the largest aggregate — and gives it back when its Kinesis
 * record is done with ({@link KinesisRecord#release}); at most {@code maxIdleBytes} of arrays wait here unused.
 *
 * <p>An array given back must not be read or written again by whoever gave it: the next aggregate overwrites it.
 * {@link KinesisRecord} gives its array back at most once. An array that is never given back is simply collected.
 * Thread-safe (used on the pipeline thread; the lock is never contended).
 */
final class AggregateBuffers {
    static final int SMALLEST = 1024;

    private final int largest;
    private final int[] sizes; // ascending; the last is largest
    private final ArrayDeque<byte[]>[] idle;
    private final long maxIdleBytes;
    private long idleBytes;
    private long taken; // arrays handed out, for tests and metrics
    private long reused;

    /**
     * @param largest      the largest aggregate in bytes (AggregationMaxSize): larger requests get unpooled arrays
     * @param maxIdleBytes the most bytes of arrays kept for reuse
     */
    @SuppressWarnings("unchecked")
    AggregateBuffers(int largest, long maxIdleBytes) {
        if (largest < 1 || maxIdleBytes < 0) {
            throw new IllegalArgumentException("largest must be positive and maxIdleBytes not negative, were "
                    + largest + " and " + maxIdleBytes);
        }
        this.largest = largest;
        this.maxIdleBytes = maxIdleBytes;
        int classes = 1;
        for (long s = SMALLEST; s < largest; s <<= 1) {
            classes++;
        }
        sizes = new int[classes];
        for (int i = 0; i < classes - 1; i++) {
            sizes[i] = SMALLEST << i;
        }
        sizes[classes - 1] = largest;
        idle = new ArrayDeque[classes];
        for (int i = 0; i < classes; i++) {
            idle[i] = new ArrayDeque<>();
        }
    }

    /** An array of at least {@code size} bytes (a reused one when there is one); its contents are arbitrary. */
    synchronized byte[] take(int size) {
        taken++;
        int c = classOf(size);
        if (c < 0) {
            return new byte[size];
        }
        byte[] a = idle[c].pollFirst();
        if (a == null) {
            return new byte[sizes[c]];
        }
        idleBytes -= a.length;
        reused++;
        return a;
    }

    /** Takes back an array {@link #take} gave; the caller never touches it again. */
    synchronized void give(byte[] array) {
        int c = classOf(array.length);
        if (c < 0 || array.length != sizes[c] || idleBytes + array.length > maxIdleBytes) {
            return; // not one of ours, or enough wait already: the collector takes it
        }
        idle[c].addFirst(array); // the most recently used first: still in the CPU's caches
        idleBytes += array.length;
    }

    /** The size class for {@code size} bytes, or -1 when larger than the largest aggregate. */
    private int classOf(int size) {
        if (size > largest) {
            return -1;
        }
        for (int i = 0; i < sizes.length; i++) {
            if (size <= sizes[i]) {
                return i;
            }
        }
        return -1;
    }

    /** Bytes of arrays waiting for reuse now. */
    synchronized long idleBytes() {
        return idleBytes;
    }

    /** Arrays handed out so far, and how many of them were reused. */
    synchronized long[] takenAndReused() {
        return new long[] {taken, reused};
    }
}
