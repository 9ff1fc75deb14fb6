package io.runnel.backend.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The records of one shard, in the order they were written.
 *
 * <p>Every record has a <em>position</em>: 0 for the first record the shard ever held, then 1, 2, ... Positions never
 * change; trimming (retention) removes records from the head and raises {@link #trimHorizon()}. Iterators hold
 * positions, so a reader never sees a record twice or skips one, whatever is appended or trimmed meanwhile.
 *
 * <p>With a {@link SegmentLog} the shard is durable: every append is written to it before it is added here (a record
 * that could not be written is not stored, so it is never acknowledged), trimming deletes the segments it emptied, and
 * only the newest {@code hotBytes} of data stay in memory — older records keep their keys and where their data lies
 * in the segment files, and reads fetch it from there. Memory is bounded by that budget and by retention, not by
 * everything ever written.
 *
 * <p>Readers that wait for new records (enhanced fan-out subscriptions) register a listener, called after every
 * append and when the shard closes, so they never poll.
 *
 * <p>Thread-safe: appends and reads take one lock per shard (writes to different shards never contend).
 */
public final class ShardLog {
    private final Object lock = new Object();
    private final int shardIndex;
    private final SegmentLog segments; // null when in memory only
    private final long hotBytes;
    // guarded by lock
    private Entry[] ring = new Entry[1024];
    private int head; // ring index of the record at trimHorizon
    private int size;
    private long trimHorizon;
    private long hotFrom; // first position whose data is in memory
    private long hotBytesUsed;
    private long lastArrivalMillis = Long.MIN_VALUE;
    private long retainedBytes;
    private long endingCounter = -1; // >= 0 once closed
    private long closedMillis = Long.MAX_VALUE;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** One record's keys, and its data or where the data lies in its segment file. */
    private static final class Entry {
        final long counter;
        final long arrivalMillis;
        final String partitionKey;
        final int dataLength;
        final long dataOffset; // in its segment file; -1 in memory only
        byte[] data; // null once evicted

        Entry(long counter, long arrivalMillis, String partitionKey, int dataLength, long dataOffset, byte[] data) {
            this.counter = counter;
            this.arrivalMillis = arrivalMillis;
            this.partitionKey = partitionKey;
            this.dataLength = dataLength;
            this.dataOffset = dataOffset;
            this.data = data;
        }

        long billedBytes() {
            return dataLength + (partitionKey == null ? 0 : partitionKey.length());
        }
    }

    /**
     * An in-memory log.
     *
     * @param shardIndex the shard's index (the number in its id)
     * @throws IllegalArgumentException when the index is out of range
     */
    public ShardLog(int shardIndex) {
        this(shardIndex, null, Long.MAX_VALUE);
    }

    /**
     * A log that writes through to {@code segments} (null: memory only) and keeps the newest {@code hotBytes} of
     * data in memory.
     *
     * @param shardIndex the shard's index (the number in its id)
     * @param segments   the shard's segment files, empty, or null for memory only
     * @param hotBytes   data to keep in memory, newest first (ignored in memory only)
     * @throws IllegalArgumentException when the index is out of range or {@code hotBytes} negative
     */
    public ShardLog(int shardIndex, SegmentLog segments, long hotBytes) {
        if (shardIndex < 0 || shardIndex > SequenceNumbers.MAX_SHARD_INDEX) {
            throw new IllegalArgumentException("shard index out of range: " + shardIndex);
        }
        if (hotBytes < 0) {
            throw new IllegalArgumentException("hotBytes must not be negative: " + hotBytes);
        }
        this.shardIndex = shardIndex;
        this.segments = segments;
        this.hotBytes = segments == null ? Long.MAX_VALUE : hotBytes;
    }

    /**
     * A durable log holding what {@code recovered} read back from disk.
     *
     * @param shardIndex the shard's index (the number in its id)
     * @param recovered  the shard's segment log and frames, as {@link SegmentLog#open} found them
     * @param hotBytes   data to keep in memory, newest first
     * @return the log, appending after the recovered records
     * @throws IllegalArgumentException when the index is out of range or {@code hotBytes} negative
     */
    public static ShardLog restore(int shardIndex, SegmentLog.Recovered recovered, long hotBytes) {
        ShardLog log = new ShardLog(shardIndex, recovered.log(), hotBytes);
        synchronized (log.lock) {
            log.trimHorizon = recovered.firstPosition();
            log.hotFrom = recovered.firstPosition();
            for (SegmentLog.Frame f : recovered.frames()) {
                log.add(new Entry(f.counter(), f.arrivalMillis(), f.partitionKey(), f.dataLength(), f.dataOffset(),
                        f.data()));
            }
        }
        return log;
    }

    /** {@return the largest counter among the records held, or -1 when empty} */
    public long lastCounter() {
        synchronized (lock) {
            return size == 0 ? -1 : at(trimHorizon + size - 1).counter;
        }
    }

    /** Forces durable records to the storage device (no-op in memory). */
    public void force() {
        if (segments != null) {
            segments.force();
        }
    }

    /** Closes the segment files (the log stays readable in memory). */
    public void closeFiles() {
        if (segments != null) {
            synchronized (lock) {
                segments.close();
            }
        }
    }

    /** {@return the shard's index (the number in its id)} */
    public int shardIndex() {
        return shardIndex;
    }

    /**
     * Appends a record.
     *
     * @param counter       called under the shard's lock for the record's stream-wide counter, so that counters
     *                      are strictly increasing within the shard
     * @param partitionKey  the record's partition key, or null
     * @param data          the record's data; kept, not copied
     * @param arrivalMillis the wall-clock arrival time; raised to the previous record's when the clock went back
     * @return the stored record
     * @throws IllegalStateException when the shard is closed (after a split or merge)
     * @throws java.io.UncheckedIOException when writing to the segment file fails
     */
    public StoredRecord append(LongSupplier counter, String partitionKey, byte[] data, long arrivalMillis) {
        StoredRecord record;
        synchronized (lock) {
            if (endingCounter >= 0) {
                throw new IllegalStateException("shard " + shardIndex + " is closed");
            }
            long arrival = Math.max(arrivalMillis, lastArrivalMillis);
            record = new StoredRecord(counter.getAsLong(), arrival, partitionKey, data);
            long offset = segments == null ? -1 : segments.append(record);
            add(new Entry(record.counter(), arrival, partitionKey, data.length, offset, data));
        }
        notifyListeners();
        return record;
    }

    /**
     * Calls {@code listener} after every append and when the shard closes, on the appending (or closing) thread,
     * outside the shard's lock. It must be quick and must not throw: it should only hand work to another thread.
     *
     * @param listener what to call
     * @throws NullPointerException when {@code listener} is null
     */
    public void addListener(Runnable listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Stops calling a listener added with {@link #addListener}; a call already under way still completes.
     *
     * @param listener the listener, as added
     */
    public void removeListener(Runnable listener) {
        listeners.remove(listener);
    }

    private void notifyListeners() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    /**
     * The counter of the record just before {@code position}, or -1 when that record is not held (the position is
     * at the trim horizon, or out of range).
     *
     * @param position a position in the shard
     * @return the counter, or -1
     */
    public long counterBefore(long position) {
        synchronized (lock) {
            long p = position - 1;
            return p >= trimHorizon && p < trimHorizon + size ? at(p).counter : -1;
        }
    }

    private void add(Entry e) {
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) & (ring.length - 1)] = e;
        size++;
        lastArrivalMillis = Math.max(lastArrivalMillis, e.arrivalMillis);
        retainedBytes += e.dataLength;
        if (e.data != null) {
            hotBytesUsed += e.dataLength;
        } else if (hotFrom == trimHorizon + size - 1) {
            hotFrom++; // recovered without its data: not hot
        }
        // Keep the newest hotBytes of data in memory; the rest stays on disk.
        long end = trimHorizon + size;
        while (hotBytesUsed > hotBytes && hotFrom < end - 1) {
            Entry old = at(hotFrom++);
            if (old.data != null) {
                hotBytesUsed -= old.dataLength;
                old.data = null;
            }
        }
    }

    /** {@return the bytes of data held in memory (the rest of {@link #retainedBytes()} is on disk only)} */
    public long memoryBytes() {
        synchronized (lock) {
            return hotBytesUsed;
        }
    }

    private void grow() {
        Entry[] bigger = new Entry[ring.length << 1];
        int firstPart = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, firstPart);
        System.arraycopy(ring, 0, bigger, firstPart, size - firstPart);
        ring = bigger;
        head = 0;
    }

    private Entry at(long position) {
        return ring[(int) ((head + (position - trimHorizon)) & (ring.length - 1))];
    }

    /** {@return the position of the oldest record still held (TRIM_HORIZON)} */
    public long trimHorizon() {
        synchronized (lock) {
            return trimHorizon;
        }
    }

    /** {@return the position the next record will get (LATEST)} */
    public long endPosition() {
        synchronized (lock) {
            return trimHorizon + size;
        }
    }

    /** {@return the bytes of data held, in memory or on disk} */
    public long retainedBytes() {
        synchronized (lock) {
            return retainedBytes;
        }
    }

    /**
     * Closes the shard to writes.
     *
     * @param endingCounter the stream's last counter when it closed (its EndingSequenceNumber)
     * @param nowMillis     when it closed (closed shards are dropped once retention has passed since)
     */
    public void close(long endingCounter, long nowMillis) {
        synchronized (lock) {
            if (this.endingCounter >= 0) {
                return;
            }
            this.endingCounter = endingCounter;
            this.closedMillis = nowMillis;
        }
        notifyListeners();
    }

    /** {@return when the shard closed, epoch millis, or {@code Long.MAX_VALUE} while open} */
    public long closedMillis() {
        synchronized (lock) {
            return closedMillis;
        }
    }

    /** {@return whether the shard is closed to writes} */
    public boolean isClosed() {
        synchronized (lock) {
            return endingCounter >= 0;
        }
    }

    /** {@return the stream-wide counter at which the shard closed, or -1 when open} */
    public long endingCounter() {
        synchronized (lock) {
            return endingCounter;
        }
    }

    /**
     * Records from {@code fromPosition} on, at most {@code maxRecords} and — except that the first record is always
     * returned — at most {@code maxBytes} of data.
     *
     * @param fromPosition a position; one below {@link #trimHorizon()} reads from the trim horizon (the records
     *                     before it are gone, as on Kinesis)
     * @param maxRecords   most records to return
     * @param maxBytes     most data and partition key bytes to return, beyond the first record
     * @return the records and where to read next
     * @throws java.io.UncheckedIOException when data has to be read back from a segment file and cannot be
     */
    public Read read(long fromPosition, int maxRecords, long maxBytes) {
        synchronized (lock) {
            long start = Math.max(fromPosition, trimHorizon);
            long end = trimHorizon + size;
            if (start >= end || maxRecords <= 0) {
                return new Read(Collections.emptyList(), start, end);
            }
            List<StoredRecord> out = new ArrayList<>((int) Math.min(maxRecords, end - start));
            long bytes = 0;
            long p = start;
            while (p < end && out.size() < maxRecords) {
                Entry e = at(p);
                if (!out.isEmpty() && bytes + e.billedBytes() > maxBytes) {
                    break;
                }
                bytes += e.billedBytes();
                byte[] data = e.data != null ? e.data : segments.readData(p, e.dataOffset, e.dataLength);
                out.add(new StoredRecord(e.counter, e.arrivalMillis, e.partitionKey, data));
                p++;
            }
            return new Read(out, p, end);
        }
    }

    /**
     * The first position whose record has a counter {@code >= counter} (or {@code > counter} when {@code after}),
     * or {@link #endPosition()} when there is none.
     *
     * @param counter a stream-wide counter, as in a sequence number
     * @param after   whether to skip a record with exactly that counter
     * @return the position
     */
    public long positionOfCounter(long counter, boolean after) {
        synchronized (lock) {
            long lo = trimHorizon;
            long hi = trimHorizon + size;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                long c = at(mid).counter;
                if (c < counter || (after && c == counter)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /**
     * The first position whose record arrived at or after {@code millis}, or {@link #endPosition()}.
     *
     * @param millis a time, epoch millis
     * @return the position
     */
    public long positionAtTimestamp(long millis) {
        synchronized (lock) {
            long lo = trimHorizon;
            long hi = trimHorizon + size;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (at(mid).arrivalMillis < millis) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** {@return the arrival time of the newest record, or {@code Long.MIN_VALUE} when the shard never had one} */
    public long lastArrivalMillis() {
        synchronized (lock) {
            return lastArrivalMillis;
        }
    }

    /**
     * Drops records that arrived before {@code cutoffMillis} (retention), and the segment files they alone held.
     *
     * @param cutoffMillis the oldest arrival time kept, epoch millis
     * @return how many were dropped
     */
    public int trimArrivedBefore(long cutoffMillis) {
        synchronized (lock) {
            int dropped = 0;
            while (size > 0 && ring[head].arrivalMillis < cutoffMillis) {
                Entry e = ring[head];
                retainedBytes -= e.dataLength;
                if (e.data != null) {
                    hotBytesUsed -= e.dataLength;
                }
                ring[head] = null;
                head = (head + 1) & (ring.length - 1);
                size--;
                trimHorizon++;
                dropped++;
            }
            hotFrom = Math.max(hotFrom, trimHorizon);
            if (dropped > 0 && segments != null) {
                segments.deleteBefore(trimHorizon);
            }
            return dropped;
        }
    }

    /**
     * What {@link #read} returned.
     *
     * @param records      the records, oldest first
     * @param nextPosition where the next read should start
     * @param endPosition  the shard's end when read: {@code endPosition - nextPosition} records were left behind
     */
    public record Read(List<StoredRecord> records, long nextPosition, long endPosition) {
    }
}
