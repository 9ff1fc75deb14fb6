package io.runnel.producer.internal;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.runnel.aggregation.AggregationLimits;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.ProducerClosedException;
import io.runnel.producer.errors.RecordRejectedException;
import io.runnel.producer.metrics.ProducerMetrics;
import io.runnel.wire.HashKey;
import io.runnel.wire.KinesisClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's pipeline, run by one thread ({@code runnel-pipeline}) fed by a Disruptor ring. For each user record
 * it predicts the shard from the stream's shard map, which {@link StreamMetadata} keeps up to date (with the stream's
 * distribution strategy and maximum record size), and hands the record to the stream's stages ({@link StreamState}):
 * aggregation per shard, rate limiting and collection into PutRecords batches. Every tick it looks at deadlines
 * (linger, RecordTtl, UserRecordTimeoutInMillis, backoff), has the {@link Sender} send what is ready with at most
 * MaxConnections requests in flight, lets {@link Backpressure} decide which keys callers must hold, and hands what
 * finished to the callback thread ({@link Completions}); {@link Answers} judges each response. Every mutable structure
 * here is confined to that thread; other threads only publish into the ring or post to the inbox (responses, shard map
 * refreshes), then publish a wake-up.
 */
public final class Pipeline implements EventHandler<RecordEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
    /** Longest the pipeline thread waits without an event: the granularity of linger deadlines. */
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /**
     * The longest sleep once nothing reached the pipeline for a tick (see {@link #sleepUntil}): records, flushes and
     * tasks end it at once, the next deadline sooner. An idle pipeline wakes this often; each such tick costs ~0.7 ms
     * of CPU (it runs too rarely to be compiled), which at 100 ms was ~1 % of a core.
     */
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * The longest such sleep while a request is out or callers wait for room: the answers, and the records that
     * callers add once completions free room, wake the pipeline sooner, and this bounds how late it sees what
     * arrives without an event (a caller that starts to wait for room).
     */
    private static final long BUSY_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** A RecordMaxBufferedTime under this: each user record wakes the pipeline thread (see PipelineWaitStrategy). */
    private static final long WAKE_ON_RECORD_BELOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * The longest the pipeline lets records gather in the ring while they come and nothing is due (see
     * {@link #sleepUntil}): well under WAKE_ON_RECORD_BELOW_NANOS, so no record added meanwhile is due before it, and
     * short enough that what arrives without an event is seen soon.
     */
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The most records that gather in the ring while the pipeline lingers: the one after wakes it. */
    private static final int LINGER_BACKLOG = 4096;

    private final ProducerConfig config;
    private final Clock clock;
    private final ProducerMetrics metrics;
    private final Disruptor<RecordEvent> disruptor;
    private final RingBuffer<RecordEvent> ring;
    private final PipelineWaitStrategy waitStrategy;
    private final boolean wakeOnRecord;
    private final int lingerBacklog;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AggregationLimits aggregationLimits;
    private final AggregateBuffers aggregateBuffers;
    private final long maxBufferedNanos;
    private final Retrier retrier;
    private final boolean strictOrdering;
    private final boolean aggregationEnabled; // read per record: kept out of the config's map
    private final Sender sender;
    private final Answers answers;
    /** What every pipeline shares of each stream. */
    private final java.util.function.Function<String, SharedStream> sharedStreams;
    /** Requests this pipeline may have in flight: its part of MaxConnections. */
    private final int maxConnections;
    private final StreamMetadata metadata;

    // confined to the pipeline thread
    private final Map<String, StreamState> streams = new java.util.concurrent.ConcurrentHashMap<>();
    private final Completions completions;
    private StreamState lastStream; // most records go to the stream of the record before
    private final Backpressure backpressure;
    private final java.util.function.BooleanSupplier callersWaitForRoom;
    /** Events handled between two looks at the streams within one long batch. */
    private static final int EVENTS_PER_TICK = 1024;
    // The earliest a routed record's linger (RecordMaxBufferedTime) counts from; it counts from when the record was
    // added if that is later. For records from the ring, the last tick that found the ring empty: records that came
    // while the pipeline slept or lingered lose no time for it. For records routed within a tick (retries, answers,
    // shard maps), that tick's start: they linger anew. A clock read per record could cost as much as routing it.
    private long routeFromNanos = Long.MIN_VALUE;
    private long ringFromNanos = Long.MIN_VALUE; // the last tick that found the ring empty
    private int eventsSinceTick; // confined to the pipeline thread
    private boolean reachedSinceTick; // whether any event came since the last tick; confined to the pipeline thread
    /** UserRecordTimeoutInMillis in nanoseconds, 0 for none; records in arrival order, so deadlines in order too. */
    private final long userRecordTimeoutNanos;
    private final java.util.ArrayDeque<PendingUserRecord> timeouts = new java.util.ArrayDeque<>();
    private volatile Thread thread;
    private volatile boolean stopping;
    private String stopReason;

    /**
     * @param backpressure       told, whenever it changes, per stream the hash key ranges of the shards whose records
     *                           wait to be sent longer than a quarter of RecordTtl (they take less than is added: new
     *                           records of those keys should wait for room), until the wait is down to an eighth
     * @param ready              the pipeline sends no request (ListShards, DescribeStreamSummary, hence no PutRecords)
     *                           before this completes, normally or not: the first credentials fetch (records added
     *                           meanwhile wait for the shard map, as they always do, within their RecordTtl)
     * @param callersWaitForRoom whether callers wait for room in MaxBufferedBytes: then nothing more comes until
     *                           records complete, so the pipeline sends what it has without waiting for deadlines
     *                           (aggregates of shards with nothing else queued are closed, partial requests go)
     * @param sharedStreams      what the pipelines share of a stream, the same for every pipeline: its limiter (a
     *                           shard whose keys two pipelines send has one rate), shard map and metadata calls
     * @param part               which of several pipelines this is (it gets only the records of its slice of the
     *                           hash keys, and its part of MaxConnections), null when it is the only one
     */
    public Pipeline(ProducerConfig config, KinesisClient client, Clock clock, Completer completer,
            ProducerMetrics metrics,
            java.util.function.Consumer<Map<String, List<io.runnel.wire.HashKeyRange>>> backpressure,
            CompletableFuture<?> ready, java.util.function.BooleanSupplier callersWaitForRoom,
            java.util.function.Function<String, SharedStream> sharedStreams, Slice part) {
        this.callersWaitForRoom = callersWaitForRoom;
        int parts = part == null ? 1 : part.of();
        this.sharedStreams = sharedStreams;
        // MaxConnections and the idle aggregate arrays are shared out between the pipelines
        this.maxConnections = Math.max(1, config.maxConnections() / parts
                + (part != null && part.index() < config.maxConnections() % parts ? 1 : 0));
        this.backpressure = new Backpressure(config.recordTtl().toNanos() / 4, backpressure);
        this.userRecordTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(
                config.get(io.runnel.producer.config.ConfigKeys.USER_RECORD_TIMEOUT_IN_MILLIS));
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.completions = new Completions(completer, metrics);
        this.aggregationLimits = new AggregationLimits(config.aggregationMaxCount(), config.aggregationMaxSizeBytes());
        // The aggregates' copies of the buffered records' data are about half of what MaxBufferedBytes counts
        // (KinesisProducer.budgetBytes): at most that many bytes of arrays wait for reuse.
        this.aggregateBuffers = new AggregateBuffers(config.aggregationMaxSizeBytes(),
                config.maxBufferedBytes() / 2 / parts);
        this.maxBufferedNanos = config.recordMaxBufferedTime().toNanos();
        this.strictOrdering = config.get(io.runnel.producer.config.ConfigKeys.STRICT_ORDERING);
        this.aggregationEnabled = config.aggregationEnabled();
        this.retrier = new Retrier(clock, metrics,
                Backoff.withJitter(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(5)),
                config.get(io.runnel.producer.config.ConfigKeys.RETURN_USER_RECORD_ON_FAILURE), completions::finish);
        this.answers = new Answers(clock, metrics, retrier, completions, aggregationLimits, config.failIfThrottled(),
                this::route, this::refreshSoon);
        this.sender = new Sender(client, clock, this::post, answers::answered);
        this.metadata = new StreamMetadata(config, clock, retrier, this::post, this::route,
                answers::settleMisplaced, client::recentRoundTripNanos);
        // A user record wakes the sleeping pipeline thread only when RecordMaxBufferedTime is short (a tick matters
        // there); otherwise it waits in the ring for the tick, and flushes, tasks and answers wake the thread.
        this.wakeOnRecord = maxBufferedNanos < WAKE_ON_RECORD_BELOW_NANOS;
        this.waitStrategy = new PipelineWaitStrategy(TICK_NANOS, wakeOnRecord);
        this.lingerBacklog = Math.max(1, Math.min(LINGER_BACKLOG, config.ringBufferSize() / 4));
        this.disruptor = new Disruptor<>(RecordEvent::new, config.ringBufferSize(),
                r -> {
                    Thread t = new Thread(r, part == null ? "runnel-pipeline" : "runnel-pipeline-" + part.index());
                    t.setDaemon(true);
                    thread = t;
                    return t;
                }, ProducerType.MULTI, waitStrategy);
        this.disruptor.handleEventsWith(this);
        this.ring = disruptor.start();
        // the next tick asks for the shard maps of the streams whose records waited
        ready.whenComplete((ignored, error) -> post(metadata::allowRequests));
    }

    /** Which of several pipelines this is: the {@code index}th of {@code of} (see {@link Pipelines}). */
    public record Slice(int index, int of) {
    }

    /** Publishes a user record; false when the ring is full. Caller thread. */
    public boolean tryPublish(PendingUserRecord r) {
        if (ring.tryPublishEvent((e, seq, rec) -> {
            e.type = RecordEvent.Type.RECORD;
            e.record = rec;
        }, r)) {
            return true;
        }
        waitStrategy.wake(); // full: the caller waits for room, which the pipeline thread makes
        return false;
    }

    /** Asks the pipeline to send everything buffered for {@code stream} (null: all) without waiting for deadlines. */
    public void flush(String stream) {
        ring.publishEvent((e, seq, s) -> {
            e.type = RecordEvent.Type.FLUSH;
            e.stream = s;
        }, stream);
        waitStrategy.wake();
    }

    private void post(Runnable task) {
        inbox.add(task);
        ring.tryPublishEvent((e, seq) -> e.type = RecordEvent.Type.WAKE);
        waitStrategy.wake();
    }

    /**
     * Runs {@code task} on the pipeline thread if no PutRecords request is in flight then; completes with whether it
     * ran. Between requests nothing is sent, so a test can move an injected clock shared with the service there
     * and both sides see every request at the same instant.
     */
    public CompletableFuture<Boolean> runWhenNoRequestIsInFlight(Runnable task) {
        CompletableFuture<Boolean> ran = new CompletableFuture<>();
        post(() -> {
            if (sender.inFlight() == 0) {
                task.run();
                ran.complete(true);
            } else {
                ran.complete(false);
            }
        });
        return ran;
    }

    @Override
    public void onEvent(RecordEvent event, long sequence, boolean endOfBatch) {
        try {
            // Records apart from the rest: with a switch over every kind here, the compiler left out the kinds not
            // seen yet, and the first event of each (a flush at the end of a run, a monitoring task) sent the
            // pipeline's compiled loop back to the interpreter to be compiled again (JFR's deoptimization events).
            if (event.type == RecordEvent.Type.RECORD) {
                route(event.record);
            } else {
                onOtherEvent(event);
            }
        } catch (RuntimeException e) {
            LOG.error("pipeline failed on {}", event.type, e);
            if (event.record != null) {
                completions.finish(event.record, null, new RecordRejectedException("internal error: " + e,
                        UserRecordResult.failure(event.record.attempts(), event.record.addedAtNanos())));
            }
        } finally {
            event.clear();
        }
        reachedSinceTick = true;
        // A caller that adds faster than this thread routes keeps the batch going: look at the streams every so
        // often anyway, so that backpressure and sending do not wait for the end of a long batch.
        if (endOfBatch || ++eventsSinceTick >= EVENTS_PER_TICK) {
            eventsSinceTick = 0;
            tick(endOfBatch);
        }
    }

    @Override
    public void onTimeout(long sequence) {
        tick(true);
    }

    private void onOtherEvent(RecordEvent event) {
        switch (event.type) {
            case FLUSH -> requestFlush(event.stream);
            case TASK -> event.task.run();
            default -> { } // WAKE: the tick after it is what was asked for
        }
    }

    private void requestFlush(String stream) {
        if (stream == null) {
            streams.values().forEach(s -> s.flush = true);
        } else {
            StreamState s = streams.get(stream);
            if (s != null) {
                s.flush = true;
            }
        }
    }

    private StreamState stream(String name) {
        return streams.computeIfAbsent(name, n -> new StreamState(n, config, strictOrdering,
                sharedStreams.apply(n)));
    }

    private void route(PendingUserRecord r) {
        if (r.isClaimed()) {
            return;
        }
        if (stopReason != null) {
            completions.finish(r, null, new ProducerClosedException(stopReason));
            return;
        }
        if (userRecordTimeoutNanos > 0 && !r.timeoutTracked) {
            r.timeoutTracked = true;
            timeouts.add(r);
        }
        StreamState s = lastStream;
        if (s == null || !s.name.equals(r.stream)) {
            s = stream(r.stream);
            lastStream = s;
        }
        if (s.snapshot == null || s.auto == null) {
            s.waitingForMap.add(r);
            metadata.refresh(s);
            metadata.describe(s);
            return;
        }
        long size = r.wireBytes();
        if (size > s.maxRecordBytes) {
            completions.finish(r, null, new io.runnel.producer.errors.InvalidUserRecordException("Data: " + size
                    + " bytes of data and partition key, more than stream " + s.name + "'s maximum record size of "
                    + s.maxRecordBytes + " bytes (MaxRecordSizeInKiB; UpdateMaxRecordSize raises it up to 10 MiB)"));
            return;
        }
        if (s.auto) {
            // The service places each record: no aggregation, no shard prediction; lanes let requests overlap.
            String lane = "auto-" + (s.autoLane++ % maxConnections);
            s.collector.add(new KinesisRecord(lane, r.partitionKey, null, r.data, KinesisRecord.one(r), false,
                    Math.max(routeFromNanos, r.arrivalNanos) + maxBufferedNanos, true));
            return;
        }
        if (r.partitionKey == null) {
            completions.finish(r, null, new io.runnel.producer.errors.InvalidUserRecordException("PartitionKey: must"
                    + " be given: stream " + s.name + "'s RecordDistributionStrategy is USER_PARTITION_KEY (only AUTO"
                    + " streams take records without one)"));
            return;
        }
        if (r.hashKey == null) { // normally worked out by the caller (KinesisProducer.add), off this thread
            r.hashKey = r.explicitHashKey != null ? HashKey.parseDecimal(r.explicitHashKey)
                    : HashKey.md5Of(r.partitionKey);
        }
        r.predictedShard = s.snapshot.predict(r.hashKey);
        if (!aggregationEnabled) {
            s.collector.add(new KinesisRecord(r.predictedShard, r.partitionKey, r.explicitHashKey, r.data,
                    KinesisRecord.one(r), false, Math.max(routeFromNanos, r.arrivalNanos) + maxBufferedNanos));
            return;
        }
        ShardAggregator aggregator = s.aggregators.get(r.predictedShard);
        if (aggregator == null) {
            aggregator = new ShardAggregator(r.predictedShard, aggregationLimits, maxBufferedNanos,
                    strictOrdering ? 0 : ShardLanes.MAX_BITS, aggregateBuffers, s.collector::add);
            aggregator.startFor(s.roundTripNanos,
                    s.limiter.share(r.predictedShard) * Limiter.SHARD_BYTES_PER_SECOND);
            s.aggregators.put(r.predictedShard, aggregator);
        }
        s.aggregatorsDeadline = Math.min(s.aggregatorsDeadline, aggregator.add(r, routeFromNanos));
    }

    /** @param caughtUp whether every record published so far has been routed (none waits in the ring) */
    private void tick(boolean caughtUp) {
        long now = clock.nanoTime();
        routeFromNanos = now;
        Runnable task;
        while ((task = inbox.poll()) != null) {
            task.run();
        }
        boolean reached = reachedSinceTick;
        reachedSinceTick = false;
        timeOut(now);
        retrier.due(now, this::route);
        // Callers wait for room and every record they added is routed: nothing more comes until something completes.
        // (While records still wait in the ring, they fill the aggregates: closing those early would only cut them
        // small.)
        boolean starved = caughtUp && callersWaitForRoom.getAsBoolean();
        long next = Long.MAX_VALUE;
        for (StreamState s : streams.values()) {
            next = Math.min(next, tickStream(s, now, starved));
        }
        backpressure.publish(streams.values());
        completions.publish();
        if (caughtUp) {
            ringFromNanos = now;
        }
        routeFromNanos = ringFromNanos;
        if (caughtUp && (!reached || !wakeOnRecord)) {
            sleepUntil(now, next, starved, reached);
        }
    }

    /**
     * Nothing reached the pipeline for a whole tick (no record, answer or task): rather than tick again in 2 ms, it
     * sleeps until the next deadline here ({@code next} from the streams: aggregates, the collectors' limiter waits
     * and expiries; retries, UserRecordTimeoutInMillis), at most {@link #IDLE_NANOS}, and the next publish wakes it.
     * Not while a task waits or the pipeline stops.
     *
     * <p>While records come ({@code flowing}) a publish does not end the sleep (a wake-up per record costs the adding
     * thread more than the records gain): the records gather in the ring until the next deadline, at most
     * {@link #LINGER_NANOS}, or until {@link #LINGER_BACKLOG} of them wait (see PipelineWaitStrategy#linger).
     * Their deadlines count from when they were added, so none is due before the pipeline wakes. (With a
     * RecordMaxBufferedTime under {@link #WAKE_ON_RECORD_BELOW_NANOS} each record wakes it, and it ticks every 2 ms
     * while they come.)
     *
     * <p>While a request is out or callers wait for room ({@code starved}) it sleeps too, at most
     * {@link #BUSY_IDLE_NANOS}: at the shard limit both hold nearly all the time, and the pipeline ticked every 2 ms
     * (~550 ticks a second, ~70 us each, walking every aggregate that waits for the limiter) where the limiter's next
     * budget, the answers and the records added after completions are what it waits for.
     */
    private void sleepUntil(long now, long next, boolean starved, boolean flowing) {
        if (stopping || !inbox.isEmpty()) {
            return;
        }
        next = Math.min(next, retrier.nextDueNanos());
        if (!timeouts.isEmpty()) {
            next = Math.min(next, timeouts.peekFirst().arrivalNanos + userRecordTimeoutNanos);
        }
        boolean busy = starved || sender.inFlight() > 0;
        long nanos = Math.min(busy ? BUSY_IDLE_NANOS : flowing ? LINGER_NANOS : IDLE_NANOS, next - now);
        if (busy && nanos > TICK_NANOS) {
            // Woken at the end of the tick the deadline falls in, as a tick every 2 ms would have seen it: at the
            // shard limit the deadlines are mostly the shards' next budgets, and waking for each of them exactly
            // sent each shard's aggregate in a request of its own (more requests, each ~1.5 ms of CPU).
            long past = Math.floorMod(now + nanos, TICK_NANOS);
            nanos += past == 0 ? 0 : TICK_NANOS - past;
        }
        if (nanos <= TICK_NANOS) {
            return;
        }
        if (flowing) {
            waitStrategy.linger(nanos, lingerBacklog);
        } else {
            waitStrategy.idle(nanos);
        }
    }

    /** Whether the pipeline thread sleeps past a tick, or is about to (see {@link #sleepUntil}). */
    boolean idling() {
        return waitStrategy.idling();
    }

    /**
     * One stream's part of a tick: records waiting for its shard map, its aggregators' deadlines, its collector.
     * (Its own method, as are the aggregators' part and the collector's steps: the JIT compiles mid-sized methods far
     * faster than one that inlines them all.)
     */
    private long tickStream(StreamState s, long now, boolean starved) {
        for (var it = s.waitingForMap.iterator(); it.hasNext();) {
            PendingUserRecord r = it.next();
            if (now >= r.expiryNanos) {
                it.remove();
                retrier.expire(r, "Record has reached expiration while waiting for the shard map of " + s.name,
                        s.lastMapError);
            }
        }
        if (!s.waitingForMap.isEmpty()) {
            metadata.refresh(s);
            metadata.describe(s);
        } else if (s.auto != null && now >= s.nextDescribeNanos) {
            metadata.describe(s); // the strategy can change at any time
        }
        boolean flush = s.flush || stopping;
        // The aggregators are walked only when a lane's deadline may have come (a few hundred shards took ~60 us a
        // tick, ticking every 2 ms while records come), on a flush, or when callers wait for room.
        long next = s.aggregatorsDeadline;
        boolean adapting = next != Long.MAX_VALUE
                && now - s.aggregatorsWalkedNanos >= ShardAggregator.ADAPT_INTERVAL_NANOS / 4;
        if (flush || starved || now >= next || adapting) {
            next = pollAggregators(s, now, flush, starved);
            s.aggregatorsDeadline = next;
            s.aggregatorsWalkedNanos = now;
        }
        next = Math.min(next, s.collector.poll(now, flush || starved, maxConnections - sender.inFlight(),
                s.lanesInFlight,
                s.waitingForParents(),
                batch -> sender.send(s, batch),
                kr -> {
                    kr.userRecords().forEach(r -> retrier.expire(r,
                            "Expiration reached while waiting in limiter", null));
                    kr.release();
                }));
        if (s.flush && s.collector.isEmpty() && s.waitingForMap.isEmpty()) {
            // A flush holds until everything buffered has been sent, request after request.
            s.flush = false;
        }
        backpressure.update(s, now);
        if (s.flush || s.refreshing || s.describing || !s.waitingForMap.isEmpty() || !s.misplaced.isEmpty()) {
            return now; // tick on: these end through answers and retries that are not all deadlines here
        }
        return s.auto == null ? next : Math.min(next, s.nextDescribeNanos);
    }

    /**
     * Hands on the aggregates whose deadline has come (all of them on a flush, or when callers starve); returns the
     * next deadline of those that stay.
     */
    private long pollAggregators(StreamState s, long now, boolean flush, boolean starved) {
        long next = Long.MAX_VALUE;
        boolean leaving = false; // an aggregate reached its deadline on a shard with nothing else to send
        for (Map.Entry<String, ShardAggregator> e : s.aggregators.entrySet()) {
            ShardAggregator a = e.getValue();
            if (flush) {
                a.flush();
            } else {
                if (a.adaptsAt(now)) {
                    a.adapt(now, s.roundTripNanos, s.limiter.share(e.getKey()) * Limiter.SHARD_BYTES_PER_SECOND);
                }
                boolean queued = s.collector.hasQueued(e.getKey());
                if (starved && !queued) {
                    a.flush(); // its aggregates go out now; a shard with a backlog keeps filling them
                } else {
                    leaving = leaving || !queued && a.due(now, s.busyLanes);
                    next = Math.min(next, a.poll(now, s.busyLanes));
                }
            }
        }
        if (leaving && sender.inFlight() < maxConnections) {
            next = sendAlong(s, now);
        }
        return next;
    }

    /**
     * A request leaves now (an aggregate reached its deadline, and a connection is free): what the other shards'
     * lanes hold goes in it too, rather than each lane in a request of its own at its own deadline, as Kafka's
     * producer drains every partition of a broker once one is ready. A producer among many writing to a large stream
     * sees a few records per shard per RecordMaxBufferedTime: with 200 shards at 2,000 records a second it made ~370
     * requests a second of ~5 records each (benchmarks/README.md). A lane busy with an aggregate on its way, or a shard
     * with records waiting (the limiter's backlog, refused records), keeps filling. Returns the next deadline.
     */
    private long sendAlong(StreamState s, long now) {
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, ShardAggregator> e : s.aggregators.entrySet()) {
            ShardAggregator a = e.getValue();
            if (!s.collector.hasQueued(e.getKey())) {
                a.flushIdle(s.busyLanes);
            }
            next = Math.min(next, a.poll(now, s.busyLanes));
        }
        return next;
    }

    /**
     * UserRecordTimeoutInMillis: fails the futures of records that have waited that long. A record in a request then,
     * or in one being built, may still be put; it is not tried again, and its later outcome is not reported.
     */
    private void timeOut(long now) {
        while (!timeouts.isEmpty()) {
            PendingUserRecord r = timeouts.peekFirst();
            if (r.isClaimed()) {
                timeouts.pollFirst();
                continue;
            }
            if (now - r.arrivalNanos < userRecordTimeoutNanos) {
                return;
            }
            timeouts.pollFirst();
            retrier.timeOut(r, userRecordTimeoutNanos);
        }
    }

    /** Calls {@code action} for every record the pipeline holds: buffered, waiting, or in a request in flight. */
    private void forEachHeld(java.util.function.Consumer<PendingUserRecord> action) {
        java.util.function.Consumer<KinesisRecord> each = kr -> kr.userRecords().forEach(action);
        for (StreamState s : streams.values()) {
            s.waitingForMap.forEach(action);
            s.aggregators.values().forEach(a -> a.forEach(action));
            s.collector.forEach(each);
            s.misplaced.forEach(m -> each.accept(m.record()));
        }
        retrier.forEach(action);
        sender.forEachInFlight(each);
    }

    /**
     * Arrival time (epoch ms) of the oldest record the pipeline holds, 0 for none. Asks the pipeline thread, which
     * looks at every record it holds (this is for occasional monitoring calls, not per record); waits up to a second.
     */
    public long oldestArrivalWallMillis() {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        // through the ring, not the inbox: it runs after every record added before this call has been routed
        ring.publishEvent((e, seq, t) -> {
            e.type = RecordEvent.Type.TASK;
            e.task = t;
        }, (Runnable) () -> {
            long[] oldest = {Long.MAX_VALUE};
            forEachHeld(r -> {
                if (!r.isClaimed()) {
                    oldest[0] = Math.min(oldest[0], r.arrivalNanos);
                }
            });
            // The record keeps only its arrival on the monotonic clock: its wall time is now less its age.
            answer.complete(oldest[0] == Long.MAX_VALUE ? 0L
                    : clock.wallMillis() - TimeUnit.NANOSECONDS.toMillis(clock.nanoTime() - oldest[0]));
        });
        waitStrategy.wake();
        try {
            return answer.get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return 0;
        }
    }

    /** Asks for the stream's shard map now (a record landed elsewhere, or the stream is gone). */
    private void refreshSoon(StreamState s) {
        metadata.refreshSoon(s);
    }

    /**
     * Aggregates Kinesis stored on a shard whose range does not hold all their user records (KCL consumers would
     * drop them), each sent again whole.
     */
    public long misplacedAggregates() {
        return answers.misplacedAggregates();
    }

    /**
     * What each shard of each stream took so far: Kinesis records stored and their bytes as Kinesis counts them
     * (data plus partition key), records throttled, and the limiter's rate for the shard. Any thread.
     */
    public List<io.runnel.producer.ShardStats> shardStats() {
        List<io.runnel.producer.ShardStats> out = new ArrayList<>();
        for (StreamState s : List.copyOf(streams.values())) {
            s.counters.forEach((shard, c) -> out.add(new io.runnel.producer.ShardStats(s.name, shard, c.records,
                    c.bytes, c.throttled, c.share,
                    c.firstNanos == Long.MAX_VALUE ? 0 : Math.max(0, c.lastNanos - c.firstNanos))));
        }
        out.sort(java.util.Comparator.comparing(io.runnel.producer.ShardStats::stream)
                .thenComparing(io.runnel.producer.ShardStats::shardId));
        return out;
    }

    /** Kinesis records put so far. */
    public long kinesisRecordsPut() {
        return answers.kinesisRecordsPut();
    }

    /** PutRecords requests answered so far. */
    public long putRecordsRequests() {
        return answers.putRecordsRequests();
    }

    /** Retries so far. */
    public long retries() {
        return retrier.retries();
    }

    /**
     * Fails every record the pipeline holds (buffered, waiting to be retried, or in a request still in flight) and
     * every record it receives from now on with {@link ProducerClosedException}; answers to requests in flight are
     * then ignored.
     */
    public void shutdownNow(String why) {
        stopping = true;
        post(() -> {
            stopReason = why;
            failHeld(why);
            for (StreamState s : streams.values()) {
                s.waitingForMap.clear();
                s.aggregators.values().forEach(ShardAggregator::drain);
                s.collector.drainAll();
                s.misplaced.clear();
            }
            retrier.clear();
            timeouts.clear();
            completions.publish();
            for (StreamState s : streams.values()) {
                s.heldShards.clear();
            }
            backpressure.publish(streams.values());
        });
    }

    private void failHeld(String why) {
        ProducerClosedException closed = new ProducerClosedException(why);
        forEachHeld(r -> completions.finish(r, null, closed));
    }

    /**
     * After {@link #halt}: claims, on the calling thread, what the pipeline still held (only if its thread has ended)
     * and the records published into the ring that it never consumed, failing them with {@code why}. Returns them;
     * their futures are the caller's to complete.
     */
    public List<PendingUserRecord> takeRemaining(String why) {
        ProducerClosedException closed = new ProducerClosedException(why);
        List<PendingUserRecord> out = new ArrayList<>();
        Thread t = thread;
        if (t == null || !t.isAlive()) {
            forEachHeld(r -> {
                if (r.claim(null, closed)) {
                    out.add(r);
                }
            });
        } else {
            LOG.error("the pipeline thread did not stop; records it holds may never complete");
        }
        long consumed = disruptor.getSequenceValueFor(this);
        long cursor = ring.getCursor();
        for (long seq = consumed + 1; seq <= cursor; seq++) {
            RecordEvent e = ring.get(seq);
            PendingUserRecord r = e.record;
            if (e.type == RecordEvent.Type.RECORD && r != null && r.claim(null, closed)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Halts the pipeline thread (after {@link #shutdownNow}); in-flight requests complete into the void. */
    public void halt() {
        try {
            disruptor.shutdown(5, TimeUnit.SECONDS);
        } catch (com.lmax.disruptor.TimeoutException e) {
            disruptor.halt();
        }
        waitStrategy.wake(); // the halt's alert, seen at once rather than at the end of a tick
        sender.shutdown();
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

}
