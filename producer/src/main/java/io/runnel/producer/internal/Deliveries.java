package io.runnel.producer.internal;

import io.runnel.producer.metrics.ProducerMetrics;
import java.util.ArrayList;

/**
 * Kinesis records that Kinesis stored, on their way from the pipeline thread to the callback thread, which claims
 * their user records, reports them ({@link ProducerMetrics#userRecordsPut}) and completes them. The pipeline thread,
 * the producer's bound, then makes one step per Kinesis record, not one per user record: an aggregate holds hundreds,
 * each created on another core, so touching them there is mostly cache misses.
 *
 * <p>Between the two, a stored record is unclaimed while the pipeline no longer holds it; only a
 * UserRecordTimeoutInMillis can claim it first (its future then fails with the timeout, as documented for a record
 * in a request at that moment), and the callback thread then neither completes nor counts it.
 */
public final class Deliveries {
    private record Stored(String stream, KinesisRecord record, PendingUserRecord.Delivery where) {
    }

    /** The metrics' scratch arrays, one set per thread that claims (the callback thread; after close, the closer). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        long[] bytes = new long[0];
        long[] bufferingNanos = new long[0];
        int[] retries = new int[0];

        void fit(int count) {
            if (bytes.length < count) {
                bytes = new long[count];
                bufferingNanos = new long[count];
                retries = new int[count];
            }
        }
    }

    private final ProducerMetrics metrics;
    private final ArrayList<Stored> stored = new ArrayList<>();
    private int warmth; // what claimInto's first loop read (kept, so that the compiler keeps its loads)

    Deliveries(ProducerMetrics metrics) {
        this.metrics = metrics;
    }

    /** Pipeline thread: Kinesis stored {@code record} of {@code stream} where {@code where} says. */
    void add(String stream, KinesisRecord record, PendingUserRecord.Delivery where) {
        stored.add(new Stored(stream, record, where));
    }

    boolean isEmpty() {
        return stored.isEmpty();
    }

    /** The Kinesis records stored, each with its user records ({@link #claimInto} claims one's). */
    public int size() {
        return stored.size();
    }

    /**
     * Callback thread (the one that owns these now): claims the user records of the {@code i}th stored Kinesis record
     * that no one claimed before, appends them to {@code done} for their futures to complete, and reports them to the
     * metrics in one call. Returns the sum of their {@link PendingUserRecord#budgetBytes()}. One Kinesis record at a
     * time: a caller that completes its few hundred user records right after finds them still in the core's cache,
     * where a whole response's thousands would be fetched from memory again.
     */
    public long claimInto(int i, ArrayList<PendingUserRecord> done) {
        Stored s = stored.get(i);
        ArrayList<PendingUserRecord> users = s.record.userRecords(); // one class: see KinesisRecord.userRecords
        int count = users.size();
        done.ensureCapacity(done.size() + count);
        Scratch scratch = SCRATCH.get();
        scratch.fit(count);
        long[] bytes = scratch.bytes;
        long[] bufferingNanos = scratch.bufferingNanos;
        int[] retries = scratch.retries;
        boolean aggregated = s.record.aggregated();
        long start = s.where.startNanos();
        // First every record is read with plain loads (and its data and callback with it), then claimed: the loads
        // of independent records overlap in the core, where a compare-and-set per record (a full fence) had each
        // record's fetch from memory wait for the one before. The claims and the completions then find them cached.
        int warm = 0;
        for (int j = 0; j < count; j++) {
            PendingUserRecord r = users.get(j);
            bytes[j] = r.data.length;
            bufferingNanos[j] = start - r.arrivalNanos;
            retries[j] = r.retries;
            warm += r.warmCallback();
        }
        long budgetBytes = 0;
        int claimed = 0;
        for (int j = 0; j < count; j++) {
            PendingUserRecord r = users.get(j);
            if (r.claimDelivered(s.where, aggregated ? j : 0)) {
                done.add(r);
                budgetBytes += r.budgetBytes();
                bytes[claimed] = bytes[j];
                bufferingNanos[claimed] = bufferingNanos[j];
                retries[claimed] = retries[j];
                claimed++;
            }
        }
        warmth += warm;
        if (claimed > 0) {
            metrics.userRecordsPut(s.stream, s.where.shardId(), claimed, bytes, bufferingNanos, retries);
        }
        return budgetBytes;
    }
}
