package io.runnel.agent;

import io.runnel.wire.error.KinesisException;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.firehose.FirehoseClient;
import io.runnel.wire.firehose.PutRecordBatchResponse;
import io.runnel.wire.firehose.PutRecordBatchResponseEntry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Firehose flow's records, into its delivery stream with PutRecordBatch: at most {@code maxBufferSizeRecords}
 * (500) records and {@code maxBufferSizeBytes} (4 MiB) a call, a call made once that much is queued or the oldest
 * queued record has waited the linger time (100 ms, or the flow's {@code maxBufferAgeMillis} if shorter). Records are
 * sent as they are — no KPL aggregation: Firehose concatenates what it delivers.
 *
 * <p>Only the records a call failed are sent again (the others are reported delivered at once), after an exponential
 * backoff with jitter between the flow's {@code retryInitialBackoffMillis} and {@code retryMaxBackoffMillis}, ahead of
 * newer records. A throttled answer ({@code ServiceUnavailableException}, for the call or for records) or a failed
 * call also pauses the whole flow for a backoff that grows while throttling lasts. Nothing is dropped: a call that
 * fails for good (a missing delivery stream, denied access) is logged and tried again at the longest backoff, so the
 * flow waits for the problem to be fixed and its checkpoints stay put. A record over Firehose's 1,000 KiB is
 * rejected at once (the agent logs and skips it, as the Kinesis Agent does).
 *
 * <p>Threads: {@link #put} is called by the agent's thread and only enqueues; responses arrive on the client's
 * threads and only enqueue; everything else runs in {@link #poll} on the sink's own thread
 * ({@code runnel-agent-firehose-N}), which owns the queues, the retry schedule and the in-flight count. Memory is
 * bounded by the agent's in-flight byte budget; calls in flight by {@link #MAX_IN_FLIGHT_CALLS}.
 */
final class FirehoseSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(FirehoseSink.class);
    /** PutRecordBatch calls one flow has in flight at most. */
    static final int MAX_IN_FLIGHT_CALLS = 4;
    /** Firehose's answer for throttling, for a whole call or for single records. */
    static final String THROTTLED = "ServiceUnavailableException";
    private static final long IDLE_WAKE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * How a flow's records are batched and retried.
     *
     * @param deliveryStream      where they go
     * @param maxBatchRecords     records in one call at most (1-500)
     * @param maxBatchBytes       data bytes in one call at most (at most 4 MiB)
     * @param lingerNanos         how long a record may wait for others to fill a call
     * @param initialBackoffNanos first wait before a failed record goes again
     * @param maxBackoffNanos     longest wait
     */
    record Settings(String deliveryStream, int maxBatchRecords, long maxBatchBytes, long lingerNanos,
            long initialBackoffNanos, long maxBackoffNanos) {
        static Settings of(AgentConfig.Flow flow) {
            return new Settings(flow.stream(), flow.maxBufferSizeRecords(), flow.maxBufferSizeBytes(),
                    TimeUnit.MILLISECONDS.toNanos(Math.min(100, flow.maxBufferAgeMillis())),
                    TimeUnit.MILLISECONDS.toNanos(flow.retryInitialBackoffMillis()),
                    TimeUnit.MILLISECONDS.toNanos(flow.retryMaxBackoffMillis()));
        }
    }

    /** A record in the sink: made by {@link #put}, then confined to the sink's thread. */
    private static final class Pending {
        final Outgoing record;
        final long arrivalNanos;
        int attempts;
        long dueNanos;

        Pending(Outgoing record, long arrivalNanos) {
            this.record = record;
            this.arrivalNanos = arrivalNanos;
        }
    }

    private record Completion(List<Pending> call, PutRecordBatchResponse response, Throwable error) {
    }

    private final Settings settings;
    private final FirehoseClient client;
    private final Outcomes outcomes;
    private final LongSupplier nanoTime;
    private final ConcurrentLinkedQueue<Pending> incoming = new ConcurrentLinkedQueue<>(); // agent thread -> sink
    private final ConcurrentLinkedQueue<Completion> completions = new ConcurrentLinkedQueue<>(); // client -> sink
    // confined to the sink's thread (to the caller of poll in tests; to close() once that thread has ended):
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final PriorityQueue<Pending> retries = new PriorityQueue<>(Comparator.comparingLong(p -> p.dueNanos));
    private final Map<List<Pending>, Boolean> inFlight = new IdentityHashMap<>();
    private long queuedBytes;
    private long pausedUntilNanos;
    private int throttledStreak;
    private long lastLogNanos;
    private boolean loggedOnce;
    private long unlogged;
    private volatile boolean closing;
    private boolean drained; // guarded by this: set by the sink's thread once closing and holding nothing
    private volatile boolean stopped;
    private volatile Thread thread;

    FirehoseSink(Settings settings, FirehoseClient client, Outcomes outcomes, LongSupplier nanoTime) {
        this.settings = settings;
        this.client = client;
        this.outcomes = outcomes;
        this.nanoTime = nanoTime;
    }

    /** Starts the sink's thread. */
    void start(String name) {
        Thread t = new Thread(this::run, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void put(Outgoing record) {
        if (record.data().length > FirehoseClient.MAX_RECORD_BYTES) {
            outcomes.rejected(record, "the record is " + record.data().length + " bytes, more than the "
                    + FirehoseClient.MAX_RECORD_BYTES + " (1,000 KiB) Firehose takes");
            return;
        }
        if (closing) {
            outcomes.abandoned(record);
            return;
        }
        incoming.add(new Pending(record, nanoTime.getAsLong()));
        wake();
    }

    private void wake() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        while (!stopped) {
            long now = nanoTime.getAsLong();
            long next = poll(now);
            if (closing && idle()) {
                synchronized (this) {
                    drained = true;
                    notifyAll(); // close() waits for this
                }
            }
            LockSupport.parkNanos(this, Math.max(1, next - now));
        }
    }

    /** Nothing queued, waiting for a retry or in flight. */
    boolean idle() {
        return incoming.isEmpty() && queue.isEmpty() && retries.isEmpty() && inFlight.isEmpty()
                && completions.isEmpty();
    }

    /**
     * Handles answers, takes new records, sends what is due; returns when it wants to run next (it is woken earlier
     * by new records and answers).
     */
    long poll(long nowNanos) {
        for (Completion c; (c = completions.poll()) != null;) {
            inFlight.remove(c.call());
            handle(c, nowNanos);
        }
        for (Pending p; (p = incoming.poll()) != null;) {
            queue.addLast(p);
            queuedBytes += p.record.data().length;
        }
        if (!retries.isEmpty() && retries.peek().dueNanos <= nowNanos) {
            List<Pending> due = new ArrayList<>();
            while (!retries.isEmpty() && retries.peek().dueNanos <= nowNanos) {
                due.add(retries.poll());
            }
            for (int i = due.size() - 1; i >= 0; i--) { // ahead of newer records, in their order
                queue.addFirst(due.get(i));
                queuedBytes += due.get(i).record.data().length;
            }
        }
        while (inFlight.size() < MAX_IN_FLIGHT_CALLS && nowNanos >= pausedUntilNanos && !queue.isEmpty()
                && (queue.size() >= settings.maxBatchRecords() || queuedBytes >= settings.maxBatchBytes()
                        || nowNanos - queue.peekFirst().arrivalNanos >= settings.lingerNanos() || closing)) {
            send();
        }
        long next = nowNanos + IDLE_WAKE_NANOS;
        if (!queue.isEmpty() && inFlight.size() < MAX_IN_FLIGHT_CALLS) {
            next = Math.min(next, Math.max(pausedUntilNanos, queue.peekFirst().arrivalNanos + settings.lingerNanos()));
        }
        if (!retries.isEmpty()) {
            next = Math.min(next, retries.peek().dueNanos);
        }
        return next;
    }

    private void send() {
        List<Pending> call = new ArrayList<>();
        List<byte[]> data = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty() && call.size() < settings.maxBatchRecords()) {
            Pending p = queue.peekFirst();
            int length = p.record.data().length;
            if (!call.isEmpty() && bytes + length > settings.maxBatchBytes()) {
                break;
            }
            queue.pollFirst();
            queuedBytes -= length;
            bytes += length;
            call.add(p);
            data.add(p.record.data());
        }
        inFlight.put(call, Boolean.TRUE);
        client.putRecordBatch(settings.deliveryStream(), data).whenComplete((response, error) -> {
            completions.add(new Completion(call, response, error));
            wake();
        });
    }

    private void handle(Completion c, long nowNanos) {
        if (c.error() != null) {
            Throwable cause = c.error() instanceof CompletionException && c.error().getCause() != null
                    ? c.error().getCause() : c.error();
            boolean retryable = cause instanceof KinesisException k && k.isRetryable();
            String code = cause instanceof KinesisServiceException s ? s.errorCode() : cause.getClass().getSimpleName();
            // A call that can never succeed as things are (no such stream, access denied) waits the longest backoff:
            // the records stay, the checkpoint stays, and the flow goes on once the problem is fixed.
            long delay = retryable ? backoff(++throttledStreak) : settings.maxBackoffNanos();
            pausedUntilNanos = Math.max(pausedUntilNanos, nowNanos + delay);
            log(nowNanos, !retryable, "PutRecordBatch of " + c.call().size() + " records to delivery stream "
                    + settings.deliveryStream() + " failed (" + code + ": " + cause.getMessage() + "); trying again in "
                    + TimeUnit.NANOSECONDS.toMillis(delay) + " ms");
            for (Pending p : c.call()) {
                p.attempts++;
                retry(p, nowNanos + delay);
            }
            return;
        }
        List<PutRecordBatchResponseEntry> entries = c.response().requestResponses();
        boolean throttled = false;
        String firstError = null;
        int failed = 0;
        for (int i = 0; i < entries.size(); i++) {
            Pending p = c.call().get(i);
            PutRecordBatchResponseEntry e = entries.get(i);
            if (e.successful()) {
                outcomes.delivered(p.record);
                continue;
            }
            failed++;
            throttled |= THROTTLED.equals(e.errorCode());
            if (firstError == null) {
                firstError = e.errorCode() + ": " + e.errorMessage();
            }
            p.attempts++;
            retry(p, nowNanos + backoff(p.attempts));
        }
        if (throttled) {
            pausedUntilNanos = Math.max(pausedUntilNanos, nowNanos + backoff(++throttledStreak));
        } else if (failed == 0) {
            throttledStreak = 0;
        }
        if (failed > 0) {
            log(nowNanos, false, failed + " of " + entries.size() + " records to delivery stream "
                    + settings.deliveryStream() + " failed (" + firstError + "); sending those again");
        }
    }

    private void retry(Pending p, long dueNanos) {
        p.dueNanos = dueNanos;
        retries.add(p);
        outcomes.retried(p.record);
    }

    /** Exponential in {@code attempt} (1, 2, ...) from the initial backoff to the maximum, the upper half jittered. */
    long backoff(int attempt) {
        long base = settings.initialBackoffNanos() << Math.min(Math.max(attempt - 1, 0), 30);
        if (base <= 0 || base > settings.maxBackoffNanos()) {
            base = settings.maxBackoffNanos();
        }
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    /** Logs at most once per 10 s per flow, saying how many messages it left out meanwhile. */
    private void log(long nowNanos, boolean error, String message) {
        if (loggedOnce && nowNanos - lastLogNanos < LOG_EVERY_NANOS) {
            unlogged++;
            return;
        }
        String text = unlogged == 0 ? message : message + " (" + unlogged + " similar messages left out)";
        if (error) {
            LOG.error(text);
        } else {
            LOG.warn(text);
        }
        loggedOnce = true;
        lastLogNanos = nowNanos;
        unlogged = 0;
    }

    /** Records the sink holds: queued, waiting for a retry or in flight (for tests and status). */
    int outstanding() {
        int n = queue.size() + retries.size() + incoming.size();
        for (List<Pending> call : inFlight.keySet()) {
            n += call.size();
        }
        return n;
    }

    @Override
    public void close(Duration timeout) {
        closing = true;
        Thread t = thread;
        if (t != null) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (this) {
                wake();
                while (!drained) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            stopped = true;
            LockSupport.unpark(t);
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // The sink's thread is over: what it still holds was not stored, and its checkpoint stays before it.
        for (Pending p; (p = incoming.poll()) != null;) {
            outcomes.abandoned(p.record);
        }
        for (Pending p : queue) {
            outcomes.abandoned(p.record);
        }
        for (Pending p : retries) {
            outcomes.abandoned(p.record);
        }
        for (List<Pending> call : inFlight.keySet()) {
            call.forEach(p -> outcomes.abandoned(p.record));
        }
        queue.clear();
        retries.clear();
        inFlight.clear();
        completions.clear();
    }
}
