package io.runnel.producer.internal;

import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.HashKeyRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's state in the pipeline: its shard map, aggregators, limiter and collector, what waits for the map, and
 * what the service said about it. Confined to the pipeline thread, except {@link #counters}.
 */
final class StreamState {
    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /** An aggregate Kinesis stored on another shard than predicted, waiting for the new shard map to judge it. */
    record Misplaced(KinesisRecord record, String actualShard, String sequenceNumber, long start, long end) {
    }

    final String name;
    /** What the pipeline threads share of the stream: the limiter, the shard map, the calls that read them. */
    final SharedStream shared;
    final ShardMap map;
    final Map<String, ShardAggregator> aggregators = new HashMap<>();
    /**
     * The aggregators' next deadline, as their last walk found it and brought forward by each record routed to one
     * since (Long.MAX_VALUE: they hold nothing): the pipeline walks them again when it comes, or when
     * {@link #aggregatorsWalkedNanos} is old enough that their lane choices ({@link ShardAggregator#adapt}) are due.
     */
    long aggregatorsDeadline = Long.MIN_VALUE;
    long aggregatorsWalkedNanos;
    final Collector collector;
    final Limiter limiter;
    /** What each shard took, for the producer's shard stats: written by the pipeline thread only, read by any. */
    final ConcurrentHashMap<String, ShardCounters> counters = new ConcurrentHashMap<>();
    final List<PendingUserRecord> waitingForMap = new ArrayList<>();
    /** The lanes of each shard with a request in flight (see {@link ShardLanes}). */
    final ShardLanes lanesInFlight = new ShardLanes();
    /** {@link #laneBusy}, for the aggregators' polls. */
    final ShardAggregator.LaneBusy busyLanes = this::laneBusy;
    /** Shards whose records wait too long to be sent: new records of their keys wait (see {@link Backpressure}). */
    final Set<String> heldShards = new HashSet<>();
    /**
     * Recent PutRecords round trip (a moving average; until one is answered the client's round trip when the first
     * shard map came, without connecting; 0 before that or when the client does not measure it): sizes the
     * aggregators' lanes.
     */
    long roundTripNanos;
    final List<Misplaced> misplaced = new ArrayList<>();
    ShardMap.Snapshot snapshot;
    boolean refreshing;
    long nextRefreshNanos;
    int refreshFailures;
    Throwable lastMapError; // the last ListShards failure, null once it succeeds
    private final Set<String> loggedErrors = new HashSet<>(); // error codes logged at ERROR
    boolean flush;
    // from DescribeStreamSummary: null until known; records wait for it (never aggregated for an AUTO stream)
    Boolean auto;
    long maxRecordBytes = Long.MAX_VALUE; // data plus partition key; the stream's MaxRecordSizeInKiB
    boolean describing;
    long nextDescribeNanos;
    int describeFailures;
    int autoLane;
    boolean warnedDefault;

    /** @param shared what every pipeline thread shares of the stream */
    StreamState(String name, ProducerConfig config, boolean strictOrdering, SharedStream shared) {
        this.name = name;
        this.shared = shared;
        this.map = shared.map;
        this.limiter = shared.limiter;
        this.collector = new Collector(config.collectionMaxCount(), config.collectionMaxSizeBytes(), limiter,
                strictOrdering, Math.min(Collector.GATHER_NANOS, config.recordMaxBufferedTime().toNanos()));
    }

    /**
     * Whether a lane of a shard has a Kinesis record on its way: in flight, or here waiting to be sent (see
     * {@link ShardAggregator#poll(long, ShardAggregator.LaneBusy)}).
     */
    boolean laneBusy(String shardId, int lane) {
        return lanesInFlight.overlaps(shardId, lane) || collector.hasQueued(shardId, lane);
    }

    ShardCounters shardCounters(String shardId) {
        ShardCounters c = counters.get(shardId);
        if (c == null) {
            c = new ShardCounters();
            counters.put(shardId, c);
        }
        return c;
    }

    /**
     * Takes buffered user records back into {@code into}, oldest first: those of the built Kinesis records waiting to
     * be sent that {@code which} selects, then all those the aggregators hold.
     */
    void takeBuffered(Predicate<KinesisRecord> which, List<PendingUserRecord> into) {
        for (KinesisRecord kr : collector.takeIf(which)) {
            into.addAll(kr.userRecords());
            kr.release(); // never sent: its user records go again, into new aggregates
        }
        for (ShardAggregator a : aggregators.values()) {
            into.addAll(a.drain());
        }
        aggregators.clear();
    }

    /**
     * The open shards whose records must not be sent yet: a Kinesis record predicted for a shard that has closed since
     * is still in flight, or landed elsewhere and waits to be judged, and its user records may have to be sent again
     * to these shards — before anything later of theirs.
     */
    Set<String> waitingForParents() {
        if (snapshot == null || Boolean.TRUE.equals(auto)) {
            return Set.of();
        }
        Set<String> out = null;
        if (snapshot.hasClosed()) { // else every shard in flight is open (or unlisted, which judges nothing)
            for (String shard : lanesInFlight.shards()) {
                if (!snapshot.isOpen(shard)) {
                    out = addOverlapping(shard, out);
                }
            }
        }
        for (Misplaced m : misplaced) {
            out = addOverlapping(m.record().shardId(), out);
        }
        return out == null ? Set.of() : out;
    }

    private Set<String> addOverlapping(String closedShard, Set<String> to) {
        HashKeyRange range = snapshot.rangeOf(closedShard);
        if (range == null) {
            return to; // no longer listed (past the retention period): nothing can be judged by it
        }
        Set<String> out = to == null ? new HashSet<>() : to;
        out.addAll(snapshot.openShardsOverlapping(range));
        return out;
    }

    /** Logs at ERROR the first time the stream meets an error (by its code): records keep failing quietly after. */
    void logOnce(String code, Throwable e) {
        if (loggedErrors.add(code)) {
            LOG.error("stream {}: {} (records fail at once with it as the cause; logged once per stream and error)",
                    name, Retrier.describeError(e));
        }
    }
}
