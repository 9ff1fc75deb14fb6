package io.runnel.producer.internal;

import io.runnel.producer.Attempt;
import io.runnel.producer.UserRecord;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.errors.RecordExpiredException;
import io.runnel.producer.errors.RecordRejectedException;
import io.runnel.producer.errors.RecordTimeoutException;
import io.runnel.producer.metrics.ProducerMetrics;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.KinesisTransportException;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The retrier stage of the pipeline: what a failed attempt does to a user record. The attempt is recorded on the
 * record, then the record is retried after a backoff with jitter, rejected (an error retrying cannot fix), expired at
 * its RecordTtl or timed out at UserRecordTimeoutInMillis; the failures name the last error and carry it as their
 * cause. Holds the records waiting out their backoff until they are due to be routed again. Confined to the
 * pipeline thread, like the pipeline's other stages; outcomes go to the pipeline's completions through
 * {@link Outcomes}.
 */
final class Retrier {
    /** Where a record's outcome goes: exactly one of result and failure. */
    interface Outcomes {
        /** Returns whether this outcome counted: false when the record had one already. */
        boolean finish(PendingUserRecord r, UserRecordResult result, Throwable failure);
    }

    private record Retry(PendingUserRecord record, long dueNanos) {
    }

    private final PriorityQueue<Retry> waiting = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    private final Clock clock;
    private final ProducerMetrics metrics;
    private final Backoff backoff;
    private final boolean returnUserRecordOnFailure;
    private final Outcomes outcomes;
    private final AtomicLong retries = new AtomicLong(); // written by the pipeline thread, read by any

    Retrier(Clock clock, ProducerMetrics metrics, Backoff backoff, boolean returnUserRecordOnFailure,
            Outcomes outcomes) {
        this.clock = clock;
        this.metrics = metrics;
        this.backoff = backoff;
        this.returnUserRecordOnFailure = returnUserRecordOnFailure;
        this.outcomes = outcomes;
    }

    /** The backoff between attempts, also the pipeline's between failed requests for a stream's shard map. */
    Backoff backoff() {
        return backoff;
    }

    /**
     * Records a failed attempt of {@code r}; expires it when its TTL is up. Returns whether it is to be tried again
     * (its retry count already raised); the caller then sends it again itself and {@link #counted counts} it, or
     * leaves it to {@link #retry}.
     */
    boolean failedAttempt(PendingUserRecord r, String code, String message, long start, long end) {
        return failedAttempt(r, code, message, start, end, null);
    }

    /** As above; {@code cause} is what failed the attempt, when more is known than its code (else null). */
    boolean failedAttempt(PendingUserRecord r, String code, String message, long start, long end, Throwable cause) {
        if (r.isClaimed()) {
            return false;
        }
        addFailedAttempt(r, code, message, start, end);
        r.attemptEnded(end);
        metrics.attemptFailed(r.stream, code, end < r.expiryNanos);
        if (end >= r.expiryNanos) {
            expire(r, "Record has reached expiration after " + r.attemptCount() + " attempts", cause);
            return false;
        }
        r.retries++;
        return true;
    }

    /** Counts {@code n} records the caller sends again after {@link #failedAttempt} said so. */
    void counted(int n) {
        retries.addAndGet(n);
    }

    /** Records a failed attempt of {@code r} and, unless it expired, holds it until its backoff is over. */
    void retry(PendingUserRecord r, String code, String message, long start, long end) {
        retry(r, code, message, start, end, null);
    }

    /** As above, with the error that failed the attempt (null: made from the code when needed). */
    void retry(PendingUserRecord r, String code, String message, long start, long end, Throwable cause) {
        if (!failedAttempt(r, code, message, start, end, cause)) {
            return;
        }
        retries.incrementAndGet();
        long due = Math.min(r.expiryNanos, end + backoff.delayNanos(r.retries));
        waiting.add(new Retry(r, due));
    }

    /** When the first record waiting for its backoff falls due; Long.MAX_VALUE when none waits. */
    long nextDueNanos() {
        Retry first = waiting.peek();
        return first == null ? Long.MAX_VALUE : first.dueNanos;
    }

    /**
     * Hands each record whose backoff is over at {@code now} to {@code route}, in the order they fell due; one whose
     * TTL ran out meanwhile is expired instead.
     */
    void due(long now, Consumer<PendingUserRecord> route) {
        while (!waiting.isEmpty() && waiting.peek().dueNanos <= now) {
            PendingUserRecord r = waiting.poll().record;
            if (now >= r.expiryNanos) {
                expire(r, "Record has reached expiration while waiting to be retried", null);
            } else {
                route.accept(r);
            }
        }
    }

    /** Fails {@code r} with an error retrying cannot fix; {@code cause} (null: made from the code) is its cause. */
    void reject(PendingUserRecord r, String code, String message, long start, long end, Throwable cause) {
        if (r.isClaimed()) {
            return;
        }
        addFailedAttempt(r, code, message, start, end);
        metrics.attemptFailed(r.stream, code, false);
        metrics.userRecordFailed(r.stream, code, r.retries);
        outcomes.finish(r, null, new RecordRejectedException(code + ": " + message, result(r),
                cause != null ? cause : causeOfLastAttempt(r), userRecordIfAsked(r)));
    }

    /**
     * Fails {@code r} at its RecordTtl. The message names the last error, and {@code cause} (or, when null, an error
     * made from the record's last failed attempt) is the failure's cause.
     */
    void expire(PendingUserRecord r, String message, Throwable cause) {
        if (r.isClaimed()) {
            return;
        }
        Throwable why = cause != null ? cause : causeOfLastAttempt(r);
        String full = why == null ? message : message + "; the last error: " + describeError(why);
        long now = clock.nanoTime();
        r.addAttempt(Attempt.failure(Duration.ofNanos(Math.max(0, now - r.lastAttemptEndNanos())), Duration.ZERO,
                "Expired", full));
        metrics.userRecordFailed(r.stream, "Expired", r.retries);
        outcomes.finish(r, null, new RecordExpiredException(full, result(r), why, userRecordIfAsked(r)));
    }

    /** Fails {@code r}, which had no outcome within UserRecordTimeoutInMillis ({@code timeoutNanos}). */
    void timeOut(PendingUserRecord r, long timeoutNanos) {
        Throwable last = causeOfLastAttempt(r);
        // A record Kinesis just stored may be claimed by the callback thread meanwhile (see Deliveries): count
        // only the outcome that wins.
        if (outcomes.finish(r, null, new RecordTimeoutException("no outcome within UserRecordTimeoutInMillis "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms after " + r.attemptCount() + " attempts"
                + (last == null ? "" : "; the last error: " + describeError(last))
                + "; if it was in a request or buffered for one then, it may still be put", result(r), last,
                userRecordIfAsked(r)))) {
            metrics.userRecordFailed(r.stream, "Timeout", r.retries);
        }
    }

    /** Calls {@code action} for every record waiting out its backoff. */
    void forEach(Consumer<PendingUserRecord> action) {
        waiting.forEach(r -> action.accept(r.record()));
    }

    /** Forgets the records waiting (they were failed otherwise). */
    void clear() {
        waiting.clear();
    }

    /** Retries so far: records sent again after a failed attempt. Any thread. */
    long retries() {
        return retries.get();
    }

    /** The error inside a failed future's {@link CompletionException}, or {@code t} itself. */
    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** Adds to {@code r} an attempt that ran from {@code start} to {@code end} and failed with {@code code}. */
    private static void addFailedAttempt(PendingUserRecord r, String code, String message, long start, long end) {
        r.addAttempt(Attempt.failure(Duration.ofNanos(Math.max(0, start - r.lastAttemptEndNanos())),
                Duration.ofNanos(end - start), code, message));
    }

    /** The error behind {@code r}'s last failed attempt, typed as the wire module types it; null when none failed. */
    private static Throwable causeOfLastAttempt(PendingUserRecord r) {
        List<Attempt> attempts = r.attempts();
        for (int i = attempts.size() - 1; i >= 0; i--) {
            Attempt a = attempts.get(i);
            if (!a.successful() && a.errorCode() != null) {
                for (KinesisTransportException.Kind kind : KinesisTransportException.Kind.values()) {
                    if (kind.name().equals(a.errorCode())) {
                        return new KinesisTransportException(kind, a.errorMessage());
                    }
                }
                return KinesisServiceException.of(a.errorCode(), a.errorMessage(), 400, null);
            }
        }
        return null;
    }

    /** An error as a log line or failure message names it: its Kinesis code or transport kind, then its message. */
    static String describeError(Throwable t) {
        if (t instanceof KinesisServiceException k) {
            return k.errorCode() + ": " + k.getMessage();
        }
        if (t instanceof KinesisTransportException k) {
            return k.kind() + ": " + k.getMessage();
        }
        return t.toString();
    }

    /** The user record for its failure, when ReturnUserRecordOnFailure asks for it; else null. */
    private UserRecord userRecordIfAsked(PendingUserRecord r) {
        return returnUserRecordOnFailure ? new UserRecord(r.stream, r.partitionKey, r.explicitHashKey, r.data) : null;
    }

    private static UserRecordResult result(PendingUserRecord r) {
        return UserRecordResult.failure(r.attempts(), r.addedAtNanos());
    }
}
