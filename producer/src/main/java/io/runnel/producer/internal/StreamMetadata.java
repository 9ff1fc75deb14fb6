package io.runnel.producer.internal;

import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.error.ExpiredTokenException;
import io.runnel.wire.error.KinesisException;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.ResourceInUseException;
import io.runnel.wire.error.ResourceNotFoundException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline knows of each stream from the service, kept up to date: its shard map (ListShards, at start, when
 * a record lands elsewhere or a shard closes, after failures with backoff) and its record distribution strategy and
 * maximum record size (DescribeStreamSummary, at start and every DescribeStreamSummaryIntervalMs). The calls go out
 * from the pipeline thread; their answers come back to it, and records that waited for them, or were shaped for an
 * old map or strategy, are routed again. Nothing goes out before {@link #allowRequests} (the first credentials fetch).
 */
final class StreamMetadata {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class); // the pipeline's messages, as before

    private final ProducerConfig config;
    private final Clock clock;
    private final Retrier retrier;
    private final Consumer<Runnable> post;
    private final Consumer<PendingUserRecord> route;
    private final Consumer<StreamState> settleMisplaced;
    private final java.util.function.LongSupplier recentRoundTrip;
    private boolean requestsAllowed; // pipeline thread

    /**
     * @param post            runs a task on the pipeline thread
     * @param route           routes a user record (again)
     * @param settleMisplaced judges a stream's misplaced aggregates once its map is new
     * @param recentRoundTrip the client's latest round trip, without connecting (KinesisClient.recentRoundTripNanos)
     */
    StreamMetadata(ProducerConfig config, Clock clock, Retrier retrier, Consumer<Runnable> post,
            Consumer<PendingUserRecord> route, Consumer<StreamState> settleMisplaced,
            java.util.function.LongSupplier recentRoundTrip) {
        this.config = config;
        this.clock = clock;
        this.retrier = retrier;
        this.post = post;
        this.route = route;
        this.settleMisplaced = settleMisplaced;
        this.recentRoundTrip = recentRoundTrip;
    }

    /** Pipeline thread: the start gate opened; the next tick asks for what records wait for. */
    void allowRequests() {
        requestsAllowed = true;
    }

    /**
     * Learns the stream's record distribution strategy and maximum record size (DescribeStreamSummary), at start and
     * every DescribeStreamSummaryIntervalMs. When the call is not permitted, RecordDistributionStrategyDefault
     * decides (UNSET: as USER_PARTITION_KEY, with a warning).
     */
    void describe(StreamState s) {
        long now = clock.nanoTime();
        if (!requestsAllowed || s.describing || now < s.nextDescribeNanos) {
            return;
        }
        s.describing = true;
        s.shared.describe().whenComplete((response, error) -> post.accept(() -> {
            s.describing = false;
            long interval = TimeUnit.MILLISECONDS.toNanos(
                    config.get(ConfigKeys.DESCRIBE_STREAM_SUMMARY_INTERVAL_MS));
            if (error == null) {
                s.describeFailures = 0;
                s.nextDescribeNanos = clock.nanoTime() + interval;
                var summary = response.streamDescriptionSummary();
                Integer kib = summary == null ? null : summary.maxRecordSizeInKiB();
                applyStrategy(s, summary != null && "AUTO".equals(summary.recordDistributionStrategy()),
                        kib == null ? 1024L * 1024 : kib * 1024L);
                return;
            }
            Throwable e = Retrier.unwrap(error);
            boolean denied = e instanceof KinesisServiceException k && "AccessDeniedException".equals(k.errorCode());
            // Refused: ask again at the interval. Failed otherwise (throttled, unreachable): again soon.
            s.describeFailures++;
            s.nextDescribeNanos = clock.nanoTime() + (denied ? interval
                    : Math.min(interval, retrier.backoff().delayNanos(Math.min(s.describeFailures, 10))));
            if (s.auto == null) {
                // Like the KPL, do not hold records back: RecordDistributionStrategyDefault decides until we know.
                String fallback = config.get(ConfigKeys.RECORD_DISTRIBUTION_STRATEGY_DEFAULT);
                if (!s.warnedDefault) {
                    s.warnedDefault = true;
                    LOG.warn("cannot read the record distribution strategy of stream {} (DescribeStreamSummary: {});"
                            + " assuming {} until it can. On an AUTO stream, aggregated records can be dropped by KCL "
                            + "consumers: grant kinesis:DescribeStreamSummary, or set RecordDistributionStrategyDefault"
                            + "=AUTO for AUTO streams", s.name, e.toString(),
                            "AUTO".equals(fallback) ? "AUTO" : "USER_PARTITION_KEY");
                }
                applyStrategy(s, "AUTO".equals(fallback), Long.MAX_VALUE);
            }
        }));
    }

    private void applyStrategy(StreamState s, boolean auto, long maxRecordBytes) {
        Boolean was = s.auto;
        s.auto = auto;
        s.maxRecordBytes = maxRecordBytes;
        s.limiter.maxRecordBytes(maxRecordBytes == Long.MAX_VALUE ? Limiter.SHARD_BYTES_PER_SECOND : maxRecordBytes);
        List<PendingUserRecord> reroute = new ArrayList<>();
        if (was != null && was != auto) {
            LOG.info("stream {} now distributes records {}", s.name, auto ? "by the service (AUTO): not aggregating"
                    : "by partition key (USER_PARTITION_KEY): aggregating again");
            // What is buffered was shaped for the other strategy: shape it again. (Aggregates already in flight
            // are judged by where they land, like any misplaced aggregate.)
            s.takeBuffered(kr -> kr.serviceDistributed() != auto, reroute);
        }
        if (s.snapshot != null) {
            reroute.addAll(s.waitingForMap);
            s.waitingForMap.clear();
        }
        for (PendingUserRecord r : reroute) {
            route.accept(r);
        }
    }

    void refresh(StreamState s) {
        long now = clock.nanoTime();
        if (!requestsAllowed || s.refreshing || now < s.nextRefreshNanos) {
            return;
        }
        s.refreshing = true;
        s.map.refresh().whenComplete((snapshot, error) -> post.accept(() -> {
            s.refreshing = false;
            if (error != null) {
                Throwable e = Retrier.unwrap(error);
                s.lastMapError = e;
                s.refreshFailures++;
                if (cannotHeal(e)) {
                    // Waiting cannot help (no such stream, refused credentials or signature, access denied): what
                    // waits for the map fails now, with the service's own words; records added later ask again
                    // after a second (the stream may have been created, the policy changed).
                    s.logOnce(e instanceof KinesisServiceException k ? k.errorCode() : e.getClass().getSimpleName(),
                            e);
                    s.nextRefreshNanos = clock.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    if (e instanceof ResourceNotFoundException) {
                        s.snapshot = null; // the stream is gone: nothing more goes out on the old map
                    }
                    List<PendingUserRecord> waiting = new ArrayList<>(s.waitingForMap);
                    s.waitingForMap.clear();
                    long failedAt = clock.nanoTime();
                    for (PendingUserRecord r : waiting) {
                        retrier.reject(r,
                                e instanceof KinesisServiceException k ? k.errorCode() : e.getClass().getSimpleName(),
                                "cannot list the shards of stream " + s.name + ": " + e.getMessage(), failedAt,
                                failedAt, e);
                    }
                    return;
                }
                s.nextRefreshNanos = clock.nanoTime() + retrier.backoff().delayNanos(Math.min(s.refreshFailures, 10));
                LOG.warn("cannot list the shards of stream {} ({} records waiting): {}", s.name,
                        s.waitingForMap.size(), error.toString());
                return;
            }
            s.refreshFailures = 0;
            s.lastMapError = null;
            if (s.roundTripNanos == 0) {
                // Until a PutRecords is answered, the client's round trip of this answer (or one just before) is the
                // best guess of the endpoint's: it sizes the first aggregators' lanes. Not the call's own time, which
                // includes opening a connection (a cold JVM's first TLS handshake makes a near endpoint look far).
                s.roundTripNanos = recentRoundTrip.getAsLong();
            }
            boolean changed = s.snapshot != null && !s.snapshot.shardIds().equals(snapshot.shardIds());
            s.snapshot = snapshot;
            List<PendingUserRecord> reroute = new ArrayList<>();
            if (s.auto != null) {
                reroute.addAll(s.waitingForMap);
                s.waitingForMap.clear();
            }
            if (changed) {
                // Records aggregated for shards that are no longer open are aggregated again for the new ones, those
                // still being filled and those built and waiting to be sent alike: sent as they are, they would land
                // on a child shard whose range covers only part of them.
                Set<String> open = new HashSet<>(snapshot.shardIds());
                s.takeBuffered(kr -> !kr.serviceDistributed() && !open.contains(kr.shardId()), reroute);
                s.limiter.retainOnly(snapshot.shardIds());
            }
            for (PendingUserRecord r : reroute) {
                route.accept(r);
            }
            settleMisplaced.accept(s);
        }));
    }

    /**
     * Whether an error of ListShards says that waiting cannot help: an error the wire module marks not retryable (a
     * service error, or the proxy refusing its credentials), except an expired session token (refreshed credentials
     * heal it) and a stream in use (CREATING or UPDATING: it becomes ACTIVE).
     */
    private static boolean cannotHeal(Throwable e) {
        return e instanceof KinesisException k && !k.isRetryable()
                && !(k instanceof ExpiredTokenException)
                && !(k instanceof ResourceInUseException);
    }

    /** Asks for the stream's shard map now, whatever the backoff said. */
    void refreshSoon(StreamState s) {
        s.nextRefreshNanos = 0;
        refresh(s);
    }
}
