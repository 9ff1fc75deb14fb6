package io.runnel.producer.internal;

import io.runnel.producer.UserRecordResult;
import io.runnel.producer.metrics.ProducerMetrics;
import java.util.ArrayList;

/**
 * What the pipeline thread finished since its last tick, handed to the callback thread ({@link Completer}) in one
 * batch per tick: user records it claimed, with the totals counted as it claimed them, and the Kinesis records Kinesis
 * stored, whose user records the callback thread claims itself ({@link Deliveries}). Pipeline thread only.
 */
final class Completions implements Retrier.Outcomes {
    private final Completer completer;
    private final ProducerMetrics metrics;
    private ArrayList<PendingUserRecord> claimed = new ArrayList<>();
    // totals of what is in claimed, counted as the records are claimed (the callback thread then need not)
    private long succeeded;
    private long failed;
    private long budgetBytes;
    private Deliveries stored;

    Completions(Completer completer, ProducerMetrics metrics) {
        this.completer = completer;
        this.metrics = metrics;
        this.stored = new Deliveries(metrics);
    }

    /**
     * The record's outcome: exactly one of result and failure. Later outcomes of a claimed record are ignored; returns
     * whether this one counted.
     */
    @Override
    public boolean finish(PendingUserRecord r, UserRecordResult result, Throwable failure) {
        if (!r.claim(result, failure)) {
            return false;
        }
        claimed.add(r);
        if (result != null) {
            succeeded++;
        } else {
            failed++;
        }
        budgetBytes += r.budgetBytes();
        return true;
    }

    /** Kinesis stored {@code record} of {@code stream} where {@code where} says. */
    void stored(String stream, KinesisRecord record, PendingUserRecord.Delivery where) {
        stored.add(stream, record, where);
    }

    /** Hands what was finished since the last call to the callback thread. */
    void publish() {
        if (claimed.isEmpty() && stored.isEmpty()) {
            return;
        }
        ArrayList<PendingUserRecord> batch = claimed;
        claimed = new ArrayList<>(Math.max(16, batch.size()));
        Deliveries deliveries = stored;
        stored = new Deliveries(metrics);
        long ok = succeeded;
        long bad = failed;
        long bytes = budgetBytes;
        succeeded = 0;
        failed = 0;
        budgetBytes = 0;
        completer.complete(batch, ok, bad, bytes, deliveries);
    }
}
