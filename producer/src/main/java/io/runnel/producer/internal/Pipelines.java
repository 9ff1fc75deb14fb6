package io.runnel.producer.internal;

import io.runnel.producer.ShardStats;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.metrics.ProducerMetrics;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.KinesisClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The producer's pipelines: PipelineThreads of them, each a {@link Pipeline} with its own thread and ring, owning an
 * equal, contiguous slice of the 128-bit hash key space ({@link HashKeyRange#split}). The caller's thread, which has
 * already worked out the record's hash key, publishes it into the ring of the slice that holds that key: every record
 * of a key goes through one thread, so per-key order holds as it does with one, while shards in different slices are
 * aggregated and sent in parallel. Slices and shards both cut the key space into ranges, so a stream whose shards split
 * it evenly (as CreateStream and UpdateShardCount do) puts each whole shard in one slice when the shard count is a
 * multiple of the thread count; a shard that crosses a slice boundary is aggregated by both threads. Either way each
 * stream has one {@link Limiter}, shared, so a shard has one rate and one budget whichever threads send its records,
 * and one {@link SharedStream} in all, so that the threads' ListShards and DescribeStreamSummary calls coalesce.
 * Records without a hash key (AUTO streams, no partition key) have no order to keep and go to any thread.
 *
 * <p>What the threads report is combined here: the keys each holds back (backpressure), shard stats, counters.
 */
public final class Pipelines {
    private final Pipeline[] pipelines;
    /** The first hash key of each slice after the first, in key order. */
    private final HashKey[] starts;
    private final Consumer<Map<String, List<HashKeyRange>>> backpressure;
    private final List<Map<String, List<HashKeyRange>>> held; // per slice; guarded by this

    /** As {@link Pipeline#Pipeline}, one per {@link ProducerConfig#pipelineThreads()}. */
    public Pipelines(ProducerConfig config, KinesisClient client, Clock clock, Completer completer,
            ProducerMetrics metrics, Consumer<Map<String, List<HashKeyRange>>> backpressure,
            CompletableFuture<?> ready, BooleanSupplier callersWaitForRoom) {
        int n = config.pipelineThreads();
        List<HashKeyRange> slices = HashKeyRange.split(HashKeyRange.ALL, n);
        this.starts = starts(slices);
        this.backpressure = backpressure;
        this.held = new ArrayList<>(java.util.Collections.nCopies(n, Map.of()));
        Map<String, SharedStream> shared = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.function.Function<String, SharedStream> sharedOf = stream -> shared.computeIfAbsent(stream,
                s -> new SharedStream(s, client, config.rateLimitPercent()));
        this.pipelines = new Pipeline[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            Consumer<Map<String, List<HashKeyRange>>> heldHere = n == 1 ? backpressure : m -> held(index, m);
            pipelines[i] = new Pipeline(config, client, clock, completer, metrics, heldHere, ready, callersWaitForRoom,
                    sharedOf, n == 1 ? null : new Pipeline.Slice(i, n));
        }
    }

    /** The first key of each slice after the first. */
    static HashKey[] starts(List<HashKeyRange> slices) {
        HashKey[] out = new HashKey[slices.size() - 1];
        for (int i = 1; i < slices.size(); i++) {
            out[i - 1] = slices.get(i).startInclusive();
        }
        return out;
    }

    /** Which of the slices that {@code starts} begin holds {@code key} (a random one for null). */
    static int sliceOf(HashKey[] starts, HashKey key) {
        if (starts.length == 0) {
            return 0;
        }
        if (key == null) {
            return ThreadLocalRandom.current().nextInt(starts.length + 1);
        }
        int i = Arrays.binarySearch(starts, key);
        return i >= 0 ? i + 1 : -i - 1; // a slice's first key, or the slice of the last start below the key
    }

    /** Publishes a user record to the pipeline of its hash key's slice; false when that ring is full. */
    public boolean tryPublish(PendingUserRecord r) {
        return pipelines[sliceOf(starts, r.hashKey)].tryPublish(r);
    }

    /** See {@link Pipeline#flush}: every pipeline. */
    public void flush(String stream) {
        for (Pipeline p : pipelines) {
            p.flush(stream);
        }
    }

    /**
     * See {@link Pipeline#runWhenNoRequestIsInFlight}. With several pipelines, each thread, if it has no request in
     * flight, parks until {@code task} has run on the calling thread (none of them can send meanwhile); if any has
     * one, the task does not run. A test hook: the threads wait for the caller up to a minute.
     */
    public CompletableFuture<Boolean> runWhenNoRequestIsInFlight(Runnable task) {
        if (pipelines.length == 1) {
            return pipelines[0].runWhenNoRequestIsInFlight(task);
        }
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<CompletableFuture<Boolean>> parked = new ArrayList<>();
        for (Pipeline p : pipelines) {
            CompletableFuture<Boolean> here = new CompletableFuture<>();
            parked.add(here);
            p.runWhenNoRequestIsInFlight(() -> {
                here.complete(true);
                try {
                    release.await(1, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }).thenAccept(ran -> here.complete(ran)); // not run: a request was in flight
        }
        try {
            boolean idle = true;
            for (CompletableFuture<Boolean> f : parked) {
                idle &= f.get(1, java.util.concurrent.TimeUnit.MINUTES);
            }
            if (idle) {
                task.run();
            }
            return CompletableFuture.completedFuture(idle);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            release.countDown();
        }
    }

    /** Whether every pipeline thread sleeps for want of anything to do, or is about to (tests). */
    public boolean idle() {
        for (Pipeline p : pipelines) {
            if (!p.idling()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Shard stats of every pipeline; a shard several of them send is one row, their parts added up (the rate is the
     * shard's, from the shared limiter).
     */
    public List<ShardStats> shardStats() {
        if (pipelines.length == 1) {
            return pipelines[0].shardStats();
        }
        Map<List<String>, ShardStats> merged = new LinkedHashMap<>();
        for (Pipeline p : pipelines) {
            for (ShardStats s : p.shardStats()) {
                merged.merge(List.of(s.stream(), s.shardId()), s, (a, b) -> new ShardStats(a.stream(), a.shardId(),
                        a.kinesisRecords() + b.kinesisRecords(), a.bytes() + b.bytes(), a.throttled() + b.throttled(),
                        Math.max(a.rateShare(), b.rateShare()), Math.max(a.activeNanos(), b.activeNanos())));
            }
        }
        List<ShardStats> out = new ArrayList<>(merged.values());
        out.sort(java.util.Comparator.comparing(ShardStats::stream).thenComparing(ShardStats::shardId));
        return out;
    }

    public long kinesisRecordsPut() {
        return sum(Pipeline::kinesisRecordsPut);
    }

    public long putRecordsRequests() {
        return sum(Pipeline::putRecordsRequests);
    }

    public long retries() {
        return sum(Pipeline::retries);
    }

    public long misplacedAggregates() {
        return sum(Pipeline::misplacedAggregates);
    }

    private long sum(java.util.function.ToLongFunction<Pipeline> counter) {
        long n = 0;
        for (Pipeline p : pipelines) {
            n += counter.applyAsLong(p);
        }
        return n;
    }

    /** See {@link Pipeline#oldestArrivalWallMillis}: the oldest over every pipeline, 0 for none. */
    public long oldestArrivalWallMillis() {
        long oldest = 0;
        for (Pipeline p : pipelines) {
            long t = p.oldestArrivalWallMillis();
            if (t != 0 && (oldest == 0 || t < oldest)) {
                oldest = t;
            }
        }
        return oldest;
    }

    /** See {@link Pipeline#shutdownNow}. */
    public void shutdownNow(String why) {
        for (Pipeline p : pipelines) {
            p.shutdownNow(why);
        }
    }

    /** See {@link Pipeline#halt}. */
    public void halt() {
        for (Pipeline p : pipelines) {
            p.halt();
        }
    }

    /** See {@link Pipeline#takeRemaining}. */
    public List<PendingUserRecord> takeRemaining(String why) {
        List<PendingUserRecord> out = new ArrayList<>();
        for (Pipeline p : pipelines) {
            out.addAll(p.takeRemaining(why));
        }
        return out;
    }

    /** One pipeline's held keys changed: callers see the union of every pipeline's. */
    private synchronized void held(int index, Map<String, List<HashKeyRange>> keys) {
        held.set(index, keys);
        Map<String, List<HashKeyRange>> union = new HashMap<>();
        for (Map<String, List<HashKeyRange>> m : held) {
            m.forEach((stream, ranges) -> union.computeIfAbsent(stream, s -> new ArrayList<>()).addAll(ranges));
        }
        backpressure.accept(union);
    }
}
