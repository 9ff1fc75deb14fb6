package io.runnel.producer.metrics;

import io.runnel.producer.internal.Clock;
import io.runnel.wire.cloudwatch.CloudWatchClient;
import io.runnel.wire.cloudwatch.MetricDatum;
import io.runnel.wire.cloudwatch.PutMetricDataRequest;
import io.runnel.wire.cloudwatch.QueryEncoder;
import io.runnel.wire.error.KinesisException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads a {@link MetricDataSource} (the producer's {@link CloudWatchMetrics}, or the agent's metrics) to
 * CloudWatch every {@code MetricsUploadDelay}, as the KPL does: each interval's statistic sets, split into
 * PutMetricData calls within the API's limits (1,000 metrics, 1 MB), sent from its own
 * daemon thread ({@code runnel-metrics-upload}) so the pipeline never waits for CloudWatch.
 *
 * <p>Failed calls that may succeed later (throttling, 5xx, connection problems) are retried with exponential
 * backoff (1 s doubling to 60 s, jittered) up to {@value #MAX_ATTEMPTS} attempts; others (access denied, invalid
 * parameters) are dropped. At most {@value #MAX_QUEUED_REQUESTS} calls wait and {@value #MAX_IN_FLIGHT} are in
 * flight; beyond that the oldest waiting call is dropped. Drops are counted ({@link #droppedRequests()}) and logged
 * at most once per interval. {@link #close(Duration)} uploads the last interval and waits for it, boundedly.
 *
 * <p>Time-driven through {@link #poll(long)}, which tests call directly with a manual clock. Created by
 * {@code KinesisProducer} and by the agent; thread-safe.
 */
public final class CloudWatchUploader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudWatchUploader.class);
    /** How often UserRecordsPending is sampled. */
    static final long SAMPLE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final int MAX_QUEUED_REQUESTS = 64;
    static final int MAX_IN_FLIGHT = 4;
    static final int MAX_ATTEMPTS = 10;
    static final long MIN_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final MetricDataSource metrics;
    private final CloudWatchClient client;
    private final boolean ownsClient;
    private final String namespace;
    private final long intervalNanos;
    private final Clock clock;
    private final int maxItems;
    private final int maxBytes;

    // Confined to the upload thread (to the closing thread once that one stopped).
    private final ArrayDeque<Upload> queue = new ArrayDeque<>();
    private long nextUploadNanos;
    private long nextSampleNanos;

    /** Failed calls to try again, handed back from I/O threads. */
    private final ConcurrentLinkedQueue<Upload> returned = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private final AtomicLong lastWarnNanos = new AtomicLong(Long.MIN_VALUE);
    private volatile boolean stopping;
    private volatile Thread thread;

    private static final class Upload {
        final PutMetricDataRequest request;
        int attempts; // written before each send, read after its answer: ordered by the future
        long dueNanos;

        Upload(PutMetricDataRequest request, long dueNanos) {
            this.request = request;
            this.dueNanos = dueNanos;
        }
    }

    /**
     * An uploader, not started yet ({@link #start()}).
     *
     * @param metrics    what to upload
     * @param client     where to send; closed with the uploader when {@code ownsClient}
     * @param ownsClient whether {@link #close(Duration)} closes {@code client}
     * @param namespace  the CloudWatch namespace (MetricsNamespace)
     * @param interval   the upload interval (MetricsUploadDelay), positive
     * @param clock      monotonic time for intervals and backoff, wall time for timestamps
     * @throws IllegalArgumentException when the namespace breaks CloudWatch's rules or the interval is not positive
     * @throws NullPointerException     when {@code metrics}, {@code client} or {@code clock} is null
     */
    public CloudWatchUploader(MetricDataSource metrics, CloudWatchClient client, boolean ownsClient,
            String namespace, Duration interval, Clock clock) {
        this(metrics, client, ownsClient, namespace, interval, clock, PutMetricDataRequest.MAX_METRIC_DATA,
                QueryEncoder.MAX_PAYLOAD_BYTES);
    }

    CloudWatchUploader(MetricDataSource metrics, CloudWatchClient client, boolean ownsClient, String namespace,
            Duration interval, Clock clock, int maxItems, int maxBytes) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        PutMetricDataRequest.checkNamespace(namespace);
        this.namespace = namespace;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("MetricsUploadDelay must be positive, was " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
        long now = clock.nanoTime();
        this.nextUploadNanos = now + intervalNanos;
        this.nextSampleNanos = now + Math.min(SAMPLE_INTERVAL_NANOS, intervalNanos);
    }

    /** Starts the upload thread. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::run, "runnel-metrics-upload");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        while (!stopping) {
            long next;
            try {
                next = poll(clock.nanoTime());
            } catch (RuntimeException e) {
                LOG.warn("CloudWatch metrics upload failed; trying again in a second", e);
                next = clock.nanoTime() + SAMPLE_INTERVAL_NANOS;
            }
            long wait = next - clock.nanoTime();
            if (wait > 0 && !stopping) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** Wakes the upload thread to look at the clock again (after an answer, or when a test moved its clock). */
    public void wakeUp() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Does what is due at {@code nowNanos}: samples UserRecordsPending, closes the interval and queues its calls,
     * sends queued calls whose backoff is over. The upload thread calls it; tests call it by hand.
     *
     * @param nowNanos the clock's monotonic time now
     * @return when to call again (monotonic nanos)
     */
    public long poll(long nowNanos) {
        for (Upload u; (u = returned.poll()) != null; ) {
            queue.addLast(u);
        }
        if (nowNanos - nextSampleNanos >= 0) {
            metrics.sample();
            nextSampleNanos = nowNanos + Math.min(SAMPLE_INTERVAL_NANOS, intervalNanos);
        }
        if (nowNanos - nextUploadNanos >= 0) {
            enqueueInterval(nowNanos);
            nextUploadNanos = nowNanos + intervalNanos;
        }
        long next = Math.min(nextUploadNanos, nextSampleNanos);
        for (Iterator<Upload> it = queue.iterator(); it.hasNext(); ) {
            Upload u = it.next();
            if (u.dueNanos - nowNanos <= 0 && inFlight.get() < MAX_IN_FLIGHT) {
                it.remove();
                send(u);
            } else if (u.dueNanos - nowNanos > 0) {
                next = Math.min(next, u.dueNanos);
            }
        }
        return next;
    }

    private void enqueueInterval(long nowNanos) {
        List<MetricDatum> data = metrics.drain(Instant.ofEpochMilli(clock.wallMillis()));
        if (data.isEmpty()) {
            return;
        }
        for (PutMetricDataRequest r : QueryEncoder.batches(namespace, data, maxItems, maxBytes)) {
            queue.addLast(new Upload(r, nowNanos));
        }
        while (queue.size() > MAX_QUEUED_REQUESTS) {
            queue.pollFirst();
            dropped.incrementAndGet();
            warn(nowNanos, "CloudWatch metrics: more than " + MAX_QUEUED_REQUESTS + " PutMetricData calls waiting; "
                    + "dropped the oldest (" + dropped.get() + " dropped so far)", null);
        }
    }

    private CompletableFuture<Void> send(Upload u) {
        u.attempts++;
        inFlight.incrementAndGet();
        CompletableFuture<Void> f;
        try {
            f = client.putMetricData(u.request);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.whenComplete((v, e) -> {
            inFlight.decrementAndGet();
            if (e == null) {
                succeeded.incrementAndGet();
            } else {
                failed(u, e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            }
            wakeUp();
        });
    }

    private void failed(Upload u, Throwable e) {
        long now = clock.nanoTime();
        boolean retryable = e instanceof KinesisException k && k.isRetryable();
        if (retryable && u.attempts < MAX_ATTEMPTS && !stopping) {
            long backoff = Math.min(MAX_BACKOFF_NANOS, MIN_BACKOFF_NANOS << Math.min(20, u.attempts - 1));
            u.dueNanos = now + backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
            returned.add(u);
            failedAttempts.incrementAndGet(); // after the retry is queued, with its due time set
            warn(now, "CloudWatch metrics upload failed (attempt " + u.attempts + ", retrying): " + e, null);
        } else {
            dropped.incrementAndGet();
            failedAttempts.incrementAndGet();
            warn(now, "CloudWatch metrics upload failed after " + u.attempts + " attempt(s); dropped "
                    + u.request.metricData().size() + " metrics (needs cloudwatch:PutMetricData on namespace "
                    + namespace + ")", e);
        }
    }

    /** Logs at most one warning per upload interval. */
    private void warn(long nowNanos, String message, Throwable e) {
        long last = lastWarnNanos.get();
        if (last != Long.MIN_VALUE && nowNanos - last < intervalNanos) {
            LOG.debug(message, e);
            return;
        }
        if (lastWarnNanos.compareAndSet(last, nowNanos)) {
            if (e == null) {
                LOG.warn(message);
            } else {
                LOG.warn("{}: {}", message, e.toString());
            }
        }
    }

    /** {@return the number of PutMetricData calls that succeeded} */
    public long succeededRequests() {
        return succeeded.get();
    }

    /** {@return the number of PutMetricData attempts that failed (retried or not)} */
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /**
     * {@return the number of PutMetricData calls given up on (not retryable, out of attempts, or pushed out of a full
     * queue)}
     */
    public long droppedRequests() {
        return dropped.get();
    }

    /** {@link #close(Duration)} waiting up to 5 s. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    /**
     * Stops the thread, uploads the current interval and whatever still waits (each once more, backoff or not), and
     * waits up to {@code timeout} for the answers; then closes the client if it is ours. A zero timeout aborts:
     * nothing more is sent. Idempotent.
     *
     * @param timeout how long to wait for the last calls' answers
     * @return whether every final call succeeded in time
     */
    public boolean close(Duration timeout) {
        if (stopping) {
            return true;
        }
        stopping = true;
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Math.max(1, timeout.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean ok = true;
        try {
            long now = clock.nanoTime();
            for (Upload u; (u = returned.poll()) != null; ) {
                queue.addLast(u);
            }
            if (timeout.isZero() || timeout.isNegative()) {
                dropped.addAndGet(queue.size());
                queue.clear();
                return false;
            }
            enqueueInterval(now);
            List<CompletableFuture<Void>> last = new ArrayList<>();
            for (Upload u; (u = queue.pollFirst()) != null; ) {
                last.add(send(u));
            }
            if (!last.isEmpty()) {
                try {
                    CompletableFuture.allOf(last.toArray(new CompletableFuture<?>[0]))
                            .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    ok = false;
                    LOG.warn("CloudWatch metrics: the last {} PutMetricData call(s) did not finish within {}",
                            last.size(), timeout);
                } catch (ExecutionException e) {
                    ok = false; // logged by failed()
                } catch (InterruptedException e) {
                    ok = false;
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            if (ownsClient) {
                client.close();
            }
        }
        return ok;
    }
}
