package io.runnel.backend.api;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the backend has stored through PutRecord and PutRecords since it started: requests, Kinesis records, the user
 * records inside them (a KPL aggregate counts its user records) and bytes (data plus partition key). Updated by the
 * worker threads that serve the requests; read from any thread with {@link #snapshot}.
 */
public final class WriteStats {
    /** The first four bytes of a KPL aggregated record. */
    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_BYTES = 16;
    /** Field number of {@code AggregatedRecord.records}. */
    private static final int RECORDS_FIELD = 3;

    private final LongAdder requests = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final LongAdder userRecords = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    /**
     * The counters at one moment (each read on its own, so a snapshot taken during a request may count part of it).
     *
     * @param requests    PutRecord and PutRecords requests that stored at least one record
     * @param records     Kinesis records stored (throttled ones not counted)
     * @param userRecords user records in them: a KPL aggregate's, else one per Kinesis record
     * @param bytes       data plus partition key of the records stored
     */
    public record Snapshot(long requests, long records, long userRecords, long bytes) {
    }

    /** {@return the counters now} */
    public Snapshot snapshot() {
        return new Snapshot(requests.sum(), records.sum(), userRecords.sum(), bytes.sum());
    }

    /**
     * Counts one request that stored {@code storedRecords} records, {@code storedUserRecords} and {@code storedBytes}.
     */
    void request(long storedRecords, long storedUserRecords, long storedBytes) {
        if (storedRecords == 0) {
            return;
        }
        requests.increment();
        records.add(storedRecords);
        userRecords.add(storedUserRecords);
        bytes.add(storedBytes);
    }

    /**
     * User records in one Kinesis record's data: the {@code records} entries of a KPL aggregate (walked, not parsed,
     * and the digest not checked: the producer's consumers do that), else 1 — also for data that only starts like
     * an aggregate.
     */
    static int userRecordsIn(byte[] data) {
        int end = data.length - DIGEST_BYTES;
        if (end <= MAGIC.length || data[0] != MAGIC[0] || data[1] != MAGIC[1] || data[2] != MAGIC[2]
                || data[3] != MAGIC[3]) {
            return 1;
        }
        int count = 0;
        int i = MAGIC.length;
        while (i < end) {
            long tag = 0;
            int shift = 0;
            while (true) { // varint tag
                if (i >= end || shift > 28) {
                    return 1;
                }
                byte b = data[i++];
                tag |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            switch ((int) (tag & 7)) {
                case 0 -> { // varint value
                    while (true) {
                        if (i >= end) {
                            return 1;
                        }
                        if (data[i++] >= 0) {
                            break;
                        }
                    }
                }
                case 1 -> i += 8;
                case 5 -> i += 4;
                case 2 -> {
                    long length = 0;
                    shift = 0;
                    while (true) {
                        if (i >= end || shift > 35) {
                            return 1;
                        }
                        byte b = data[i++];
                        length |= (long) (b & 0x7F) << shift;
                        if (b >= 0) {
                            break;
                        }
                        shift += 7;
                    }
                    if (length > end - i) {
                        return 1;
                    }
                    i += (int) length;
                    if (tag >>> 3 == RECORDS_FIELD) {
                        count++;
                    }
                }
                default -> {
                    return 1;
                }
            }
        }
        return i == end && count > 0 ? count : 1;
    }
}
