package io.runnel.cli.loadgen;

import io.runnel.producer.Attempt;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.ProducerStats;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.errors.BufferFullException;
import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.producer.errors.UserRecordFailedException;
import io.runnel.wire.error.ErrorCodes;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code runnel} client: records go through a {@link KinesisProducer}. Backpressure is the producer's own: with
 * BackpressurePolicy BLOCK, {@code addUserRecord} blocks while MaxBufferedBytes are outstanding; a
 * {@link BufferFullException} (policy FAIL, or MaxBlockMs elapsed) makes this client wait briefly and add the record
 * again, so memory stays within MaxBufferedBytes and no record is dropped.
 */
public final class RunnelLoadClient implements LoadClient {
    private static final long BUFFER_FULL_PAUSE_NANOS = 200_000;
    private static final long FLUSH_INTERVAL_NANOS = 100_000_000;

    private final KinesisProducer producer;
    private final String stream;
    private final Tally tally;
    private long handedOver; // confined to the sending thread
    /**
     * Every record's callback: one object, not one per record to hold when it was handed over (the result says when
     * its addUserRecord was called, waits for room included). That spares each record 24 bytes of heap held until it
     * completes, and a clock read.
     */
    private final java.util.function.BiConsumer<UserRecordResult, Throwable> outcome = this::outcome;

    /**
     * @param producer a producer owned by this client from now on (closed with it)
     * @param stream   the stream to put to
     * @param tally    where outcomes go
     */
    public RunnelLoadClient(KinesisProducer producer, String stream, Tally tally) {
        this.producer = producer;
        this.stream = stream;
        this.tally = tally;
    }

    @Override
    public void send(long index, String partitionKey, byte[] data) throws InterruptedException {
        // The callback form: no dependent future and completion node per record, as a whenComplete would make.
        while (true) {
            try {
                producer.addUserRecord(stream, partitionKey, data, outcome);
                break;
            } catch (BufferFullException e) {
                LockSupport.parkNanos(BUFFER_FULL_PAUSE_NANOS);
                if (Thread.interrupted()) {
                    throw new InterruptedException("interrupted while the producer's buffer was full");
                }
            } catch (InvalidUserRecordException e) {
                handedOver++;
                tally.failed("record " + index + ": " + e.getMessage());
                return;
            }
        }
        handedOver++;
    }

    private void outcome(UserRecordResult result, Throwable error) {
        if (error == null) {
            countThrottles(result);
            tally.succeeded(result.addedAtNanos(), System.nanoTime());
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof UserRecordFailedException f) {
                countThrottles(f.result());
            }
            tally.failed(cause.toString());
        }
    }

    private void countThrottles(UserRecordResult result) {
        if (result.successful() && result.attemptCount() == 1) {
            return; // through on its first try: no throttle, and no attempt list built for it
        }
        long throttled = 0;
        for (Attempt a : result.attempts()) {
            if (!a.successful() && isThrottle(a.errorCode())) {
                throttled++;
            }
        }
        if (throttled > 0) {
            tally.throttled(throttled);
        }
    }

    static boolean isThrottle(String errorCode) {
        return ErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED.equals(errorCode)
                || ErrorCodes.THROTTLING.equals(errorCode) || ErrorCodes.LIMIT_EXCEEDED.equals(errorCode);
    }

    @Override
    public boolean finish(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextFlush = 0;
        // Every outcome is known when the tally has one for each record handed over (its callbacks run after the
        // producer's own count drops, so the tally is what to wait for).
        while (tally.completed() < handedOver) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return false;
            }
            if (now - nextFlush >= 0) {
                producer.flush();
                nextFlush = now + FLUSH_INTERVAL_NANOS;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        ProducerStats stats = producer.stats();
        tally.putRecordsCalls(stats.putRecordsRequests());
        tally.retried(stats.retries());
        return true;
    }

    @Override
    public java.util.List<io.runnel.producer.ShardStats> shardStats() {
        return producer.shardStats();
    }

    @Override
    public Double userRecordsPerKinesisRecord() {
        return producer.stats().userRecordsPerKinesisRecord();
    }

    /** {@return the producer's counters (aggregation figures for the summary)} */
    public ProducerStats stats() {
        return producer.stats();
    }

    @Override
    public void close() {
        producer.close();
    }
}
