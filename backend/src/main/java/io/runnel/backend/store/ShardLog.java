package io.runnel.backend.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The records of one shard, in memory, in the order they were written.
 *
 * <p>Every record has a <em>position</em>: 0 for the first record the shard ever held, then 1, 2, ... Positions never
 * change; trimming (retention) removes records from the head and raises {@link #trimHorizon()}. Iterators hold
 * positions, so a reader never sees a record twice or skips one, whatever is appended or trimmed meanwhile.
 *
 * <p>With a {@link SegmentLog} the shard is durable: every append is written to it before it is added in memory
 * (a record that could not be written is not stored, so it is never acknowledged), and trimming deletes the
 * segments it emptied.
 *
 * <p>Thread-safe: appends and reads take one lock per shard (writes to different shards never contend).
 */
public final class ShardLog {
    private final Object lock = new Object();
    private final int shardIndex;
    private final SegmentLog segments; // null when in memory only
    // guarded by lock
    private StoredRecord[] ring = new StoredRecord[1024];
    private int head; // ring index of the record at trimHorizon
    private int size;
    private long trimHorizon;
    private long lastArrivalMillis = Long.MIN_VALUE;
    private long retainedBytes;
    private long endingCounter = -1; // >= 0 once closed
    private long closedMillis = Long.MAX_VALUE;

    /** An in-memory log for the shard with this index (the number in its id). */
    public ShardLog(int shardIndex) {
        this(shardIndex, null);
    }

    /** A log that writes through to {@code segments} (null: memory only). */
    public ShardLog(int shardIndex, SegmentLog segments) {
        if (shardIndex < 0 || shardIndex > SequenceNumbers.MAX_SHARD_INDEX) {
            throw new IllegalArgumentException("shard index out of range: " + shardIndex);
        }
        this.shardIndex = shardIndex;
        this.segments = segments;
    }

    /** A durable log holding what {@code recovered} read back from disk. */
    public static ShardLog restore(int shardIndex, SegmentLog.Recovered recovered) {
        ShardLog log = new ShardLog(shardIndex, recovered.log());
        synchronized (log.lock) {
            log.trimHorizon = recovered.firstPosition();
            for (StoredRecord r : recovered.records()) {
                log.addInMemory(r);
            }
        }
        return log;
    }

    /** Largest counter among the records held, or -1 when empty. */
    public long lastCounter() {
        synchronized (lock) {
            return size == 0 ? -1 : at(trimHorizon + size - 1).counter();
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

    public int shardIndex() {
        return shardIndex;
    }

    /**
     * Appends a record.
     *
     * @param counter       called under the shard's lock for the record's stream-wide counter, so that counters
     *                      are strictly increasing within the shard
     * @param arrivalMillis the wall-clock arrival time; raised to the previous record's when the clock went back
     * @return the stored record
     * @throws IllegalStateException when the shard is closed (after a split or merge)
     */
    public StoredRecord append(LongSupplier counter, String partitionKey, byte[] data, long arrivalMillis) {
        synchronized (lock) {
            if (endingCounter >= 0) {
                throw new IllegalStateException("shard " + shardIndex + " is closed");
            }
            long arrival = Math.max(arrivalMillis, lastArrivalMillis);
            StoredRecord record = new StoredRecord(counter.getAsLong(), arrival, partitionKey, data);
            if (segments != null) {
                segments.append(record);
            }
            addInMemory(record);
            return record;
        }
    }

    private void addInMemory(StoredRecord record) {
        if (size == ring.length) {
            grow();
        }
        ring[(head + size) & (ring.length - 1)] = record;
        size++;
        lastArrivalMillis = Math.max(lastArrivalMillis, record.arrivalMillis());
        retainedBytes += record.data().length;
    }

    private void grow() {
        StoredRecord[] bigger = new StoredRecord[ring.length << 1];
        int firstPart = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, bigger, 0, firstPart);
        System.arraycopy(ring, 0, bigger, firstPart, size - firstPart);
        ring = bigger;
        head = 0;
    }

    private StoredRecord at(long position) {
        return ring[(int) ((head + (position - trimHorizon)) & (ring.length - 1))];
    }

    /** Position of the oldest record still held (TRIM_HORIZON). */
    public long trimHorizon() {
        synchronized (lock) {
            return trimHorizon;
        }
    }

    /** Position the next record will get (LATEST). */
    public long endPosition() {
        synchronized (lock) {
            return trimHorizon + size;
        }
    }

    /** Bytes of data held. */
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
            if (this.endingCounter < 0) {
                this.endingCounter = endingCounter;
                this.closedMillis = nowMillis;
            }
        }
    }

    /** When the shard closed, or {@code Long.MAX_VALUE} while open. */
    public long closedMillis() {
        synchronized (lock) {
            return closedMillis;
        }
    }

    public boolean isClosed() {
        synchronized (lock) {
            return endingCounter >= 0;
        }
    }

    /** The stream-wide counter at which the shard closed, or -1 when open. */
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
                StoredRecord r = at(p);
                if (!out.isEmpty() && bytes + r.billedBytes() > maxBytes) {
                    break;
                }
                bytes += r.billedBytes();
                out.add(r);
                p++;
            }
            return new Read(out, p, end);
        }
    }

    /**
     * The first position whose record has a counter {@code >= counter} (or {@code > counter} when {@code after}),
     * or {@link #endPosition()} when there is none.
     */
    public long positionOfCounter(long counter, boolean after) {
        synchronized (lock) {
            long lo = trimHorizon;
            long hi = trimHorizon + size;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                long c = at(mid).counter();
                if (c < counter || (after && c == counter)) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** The first position whose record arrived at or after {@code millis}, or {@link #endPosition()}. */
    public long positionAtTimestamp(long millis) {
        synchronized (lock) {
            long lo = trimHorizon;
            long hi = trimHorizon + size;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (at(mid).arrivalMillis() < millis) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }

    /** Arrival time of the newest record, or {@code Long.MIN_VALUE} when the shard never had one. */
    public long lastArrivalMillis() {
        synchronized (lock) {
            return lastArrivalMillis;
        }
    }

    /**
     * Drops records that arrived before {@code cutoffMillis} (retention).
     *
     * @return how many were dropped
     */
    public int trimArrivedBefore(long cutoffMillis) {
        synchronized (lock) {
            int dropped = 0;
            while (size > 0 && ring[head].arrivalMillis() < cutoffMillis) {
                retainedBytes -= ring[head].data().length;
                ring[head] = null;
                head = (head + 1) & (ring.length - 1);
                size--;
                trimHorizon++;
                dropped++;
            }
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
