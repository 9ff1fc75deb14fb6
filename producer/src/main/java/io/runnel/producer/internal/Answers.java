package io.runnel.producer.internal;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.metrics.ProducerMetrics;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.auth.CredentialsException;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.error.ResourceNotFoundException;
import io.runnel.wire.model.PutRecordsResponse;
import io.runnel.wire.model.PutRecordsResultEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What each PutRecords answer means for the records in its request, on the pipeline thread: a stored Kinesis record
 * goes to the callback thread to complete; one stored on another shard than predicted waits for the new shard map to
 * be judged (aggregates a KCL consumer there would drop are sent again); a refused record's user records go to the
 * {@link Retrier}, or back whole ahead of their shard's queue; a throttle slows its shard's {@link Limiter}.
 */
final class Answers {
    private final Clock clock;
    private final ProducerMetrics metrics;
    private final Retrier retrier;
    private final Completions completions;
    private final AggregationLimits aggregationLimits;
    private final boolean failIfThrottled;
    private final Consumer<PendingUserRecord> route;
    private final Consumer<StreamState> refreshSoon;
    // written by the pipeline thread, read by any
    private final AtomicLong kinesisRecordsPut = new AtomicLong();
    private final AtomicLong putRecordsRequests = new AtomicLong();
    private final AtomicLong misplacedAggregates = new AtomicLong();

    /**
     * @param route       routes a user record again (through the shard map, as a new one)
     * @param refreshSoon asks for the stream's shard map now: a record landed elsewhere, or the stream is gone
     */
    Answers(Clock clock, ProducerMetrics metrics, Retrier retrier, Completions completions,
            AggregationLimits aggregationLimits, boolean failIfThrottled, Consumer<PendingUserRecord> route,
            Consumer<StreamState> refreshSoon) {
        this.clock = clock;
        this.metrics = metrics;
        this.retrier = retrier;
        this.completions = completions;
        this.aggregationLimits = aggregationLimits;
        this.failIfThrottled = failIfThrottled;
        this.route = route;
        this.refreshSoon = refreshSoon;
    }

    /** Kinesis records put so far. Any thread. */
    long kinesisRecordsPut() {
        return kinesisRecordsPut.get();
    }

    /** PutRecords requests answered so far. Any thread. */
    long putRecordsRequests() {
        return putRecordsRequests.get();
    }

    /** Aggregates stored where KCL consumers would drop them, sent again. Any thread. */
    long misplacedAggregates() {
        return misplacedAggregates.get();
    }

    /** A PutRecords request's answer (exactly one of response and error is null), back on the pipeline thread. */
    void answered(StreamState s, List<KinesisRecord> batch, PutRecordsResponse response, Throwable error,
            long start, long end) {
        putRecordsRequests.incrementAndGet();
        int users = 0;
        for (KinesisRecord kr : batch) {
            users += kr.userRecords().size();
        }
        metrics.putRecordsRequest(s.name, end - start, error != null, batch.size(), users);
        if (error != null) {
            Throwable cause = Retrier.unwrap(error);
            if (cause instanceof KinesisTransportException e && lostInTransit(e.kind())) {
                long bytes = 0;
                for (KinesisRecord kr : batch) {
                    bytes += kr.wireBytes();
                }
                s.collector.requestLost(bytes);
            }
            onRequestFailed(s, batch, cause, start, end);
        } else {
            s.collector.requestAnswered();
            s.roundTripNanos = s.roundTripNanos == 0 ? end - start : (s.roundTripNanos * 4 + (end - start)) / 5;
            onResponse(s, batch, response, start, end);
        }
    }

    /** A request that went out and was lost with its connection, or not answered in time: a smaller one may pass. */
    private static boolean lostInTransit(KinesisTransportException.Kind kind) {
        return kind == KinesisTransportException.Kind.CONNECTION_CLOSED
                || kind == KinesisTransportException.Kind.REQUEST_TIMEOUT;
    }

    private void onResponse(StreamState s, List<KinesisRecord> batch, PutRecordsResponse response, long start,
            long end) {
        List<PutRecordsResultEntry> results = response.records();
        if (results == null || results.size() != batch.size()) {
            for (KinesisRecord kr : batch) {
                kr.userRecords().forEach(r -> retrier.retry(r, "Record Count Mismatch", "PutRecords answered "
                        + (results == null ? 0 : results.size()) + " results for " + batch.size() + " records",
                        start, end));
                kr.release(); // its user records are routed again, into new aggregates
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            KinesisRecord kr = batch.get(i);
            PutRecordsResultEntry e = results.get(i);
            if (e.errorCode() == null) {
                if (!kr.serviceDistributed() && !e.shardId().equals(kr.shardId())) {
                    // The shard map was stale. Kinesis stored the record; an aggregate whose user records belong to
                    // several shards would be partly dropped by KCL consumers, so those are sent again.
                    if (kr.aggregated()) {
                        kinesisRecordsPut.incrementAndGet();
                        stored(s, kr, e.shardId(), end);
                        s.misplaced.add(new StreamState.Misplaced(kr, e.shardId(), e.sequenceNumber(), start, end));
                        s.nextDescribeNanos = 0; // a reshard, or the stream went AUTO: look at both now
                        refreshSoon.accept(s);
                        continue;
                    }
                    refreshSoon.accept(s);
                }
                kinesisRecordsPut.incrementAndGet();
                stored(s, kr, e.shardId(), end);
                completions.stored(s.name, kr,
                        new PendingUserRecord.Delivery(e.shardId(), e.sequenceNumber(), start, end));
            } else {
                boolean retryable = KinesisServiceException.of(e.errorCode(), e.errorMessage(), 400, null)
                        .isRetryable();
                boolean throttled = ErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED.equals(e.errorCode());
                failed(s, kr, retryable && !(throttled && failIfThrottled), e.errorCode(), e.errorMessage(),
                        start, end, null);
            }
        }
    }

    /** Counts a stored Kinesis record and releases its bytes: they are never sent again (a misplaced one's user
     * records go again in new aggregates). */
    private void stored(StreamState s, KinesisRecord kr, String shardId, long end) {
        metrics.kinesisRecordPut(s.name, shardId, kr.wireBytes(), kr.userRecords().size());
        s.shardCounters(shardId).stored(kr.wireBytes(), end, s.limiter.share(shardId));
        kr.release();
    }

    private void onRequestFailed(StreamState s, List<KinesisRecord> batch, Throwable error, long start, long end) {
        String code;
        boolean retryable;
        if (error instanceof KinesisServiceException e) {
            code = e.errorCode();
            retryable = e.isRetryable() || e instanceof ResourceNotFoundException;
            if (e instanceof ResourceNotFoundException) {
                refreshSoon.accept(s);
            }
            if (ErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED.equals(code) && failIfThrottled) {
                retryable = false;
            }
        } else if (error instanceof KinesisTransportException e) {
            code = e.kind().name();
            retryable = e.isRetryable();
        } else if (error instanceof CredentialsException) {
            // No credentials (yet): the refresher keeps fetching, so later attempts may sign.
            code = "CredentialsException";
            retryable = true;
        } else {
            code = error.getClass().getSimpleName();
            retryable = false;
        }
        for (KinesisRecord kr : batch) {
            failed(s, kr, retryable, code, error.getMessage(), start, end, error);
        }
    }

    /**
     * A Kinesis record Kinesis did not store. Its user records are rejected, or go back whole (those not yet expired),
     * ahead of everything else of their shard, which waits for them: so a refused record never falls behind a later
     * one of its shard. A throttle tells the shard's limiter (which then paces the record); a lost connection is tried
     * again at once, then backs off; other errors back off.
     * {@code cause} is the request's error when the whole request failed, null for a per-record error code.
     */
    private void failed(StreamState s, KinesisRecord kr, boolean retryable, String code, String message, long start,
            long end, Throwable cause) {
        if (!retryable) {
            s.logOnce(code, cause != null ? cause : KinesisServiceException.of(code, message, 400, null));
            for (PendingUserRecord r : kr.userRecords()) {
                retrier.reject(r, code, message, start, end, cause);
            }
            kr.release();
            return;
        }
        boolean throttled = ErrorCodes.PROVISIONED_THROUGHPUT_EXCEEDED.equals(code);
        if (throttled && !kr.serviceDistributed()) {
            s.limiter.throttled(kr.shardId(), start, end);
            s.shardCounters(kr.shardId()).throttled++;
        }
        List<PendingUserRecord> again = new ArrayList<>(kr.userRecords().size());
        int attempt = 0;
        for (PendingUserRecord r : kr.userRecords()) {
            if (retrier.failedAttempt(r, code, message, start, end, cause)) {
                attempt = Math.max(attempt, r.retries);
                again.add(r);
            }
        }
        if (again.isEmpty()) {
            kr.release();
            return;
        }
        retrier.counted(again.size());
        KinesisRecord resend = again.size() == kr.userRecords().size() ? kr
                : kr.aggregated() ? ShardAggregator.pack(kr.shardId(), kr.lane(), again, aggregationLimits,
                        kr.deadlineNanos())
                : kr;
        if (resend != kr) {
            kr.release();
        }
        // A throttle: the limiter paces the record. A connection that closed under the request: try once more at
        // once on another (a reset says nothing about the service's load), then back off as for other errors.
        boolean connectionLost = KinesisTransportException.Kind.CONNECTION_CLOSED.name().equals(code);
        long due = throttled && !kr.serviceDistributed() ? end
                : connectionLost && attempt <= 1 ? end
                : end + retrier.backoff().delayNanos(connectionLost ? attempt - 1 : attempt);
        s.collector.retryFirst(resend, Math.min(resend.expiryNanos(), due));
    }

    /**
     * Judges aggregates Kinesis stored on another shard than predicted, with the refreshed map. A KCL consumer of
     * that shard drops an aggregate whole as soon as one of its user records hashes outside the shard's range (the
     * KCL's AggregatorUtil discards every user record of it read so far, and the rest): so an aggregate whose user
     * records all lie in the actual shard's range is in place and succeeds, and one with any outside has all its
     * user records sent again, the in-range ones too. While the map does not show the actual shard yet, it waits
     * for the next refresh.
     *
     * <p>Order: the records sent again go at once (no backoff: nothing refused them), ahead of everything buffered
     * for the open shards, which waited for them (see {@link StreamState#waitingForParents}); so records of one key
     * keep the order they were added in across a reshard, as the KCL reads parents before children.
     */
    void settleMisplaced(StreamState s) {
        if (s.misplaced.isEmpty()) {
            return;
        }
        List<StreamState.Misplaced> waiting = new ArrayList<>();
        List<PendingUserRecord> again = new ArrayList<>();
        for (StreamState.Misplaced m : s.misplaced) {
            HashKeyRange range = s.snapshot.rangeOf(m.actualShard());
            if (range == null && clock.nanoTime() < m.record().expiryNanos()) {
                waiting.add(m);
                continue;
            }
            List<PendingUserRecord> users = m.record().userRecords();
            boolean readable = range != null;
            for (int j = 0; j < users.size() && readable; j++) {
                readable = range.contains(users.get(j).hashKey);
            }
            if (!readable) {
                misplacedAggregates.incrementAndGet();
                for (PendingUserRecord r : users) {
                    if (retrier.failedAttempt(r, "WrongShard", "aggregated record landed on " + m.actualShard()
                            + ", predicted " + m.record().shardId() + "; KCL consumers there would drop all of it",
                            m.start(), m.end())) {
                        retrier.counted(1);
                        again.add(r);
                    }
                }
                continue;
            }
            for (int j = 0; j < users.size(); j++) {
                PendingUserRecord r = users.get(j);
                metrics.userRecordPut(s.name, m.actualShard(), r.data.length, m.start() - r.arrivalNanos, r.retries);
                completions.finish(r, UserRecordResult.success(m.actualShard(), m.sequenceNumber(), j, r.attempts(),
                        Math.max(0, m.start() - r.lastAttemptEndNanos()), Math.max(0, m.end() - m.start()),
                        r.addedAtNanos()), null);
            }
        }
        s.misplaced.clear();
        s.misplaced.addAll(waiting);
        if (!again.isEmpty()) {
            s.takeBuffered(kr -> !kr.serviceDistributed(), again); // everything not yet sent goes behind them
            for (PendingUserRecord r : again) {
                route.accept(r);
            }
        }
        if (!waiting.isEmpty()) {
            refreshSoon.accept(s);
        }
    }
}
