package io.runnel.producer.internal;

import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.ListShardsResponse;
import io.runnel.wire.model.Shard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * One stream's open shards and their hash key ranges, as the producer uses them to predict the shard of each user
 * record (and so aggregate only records bound for the same shard).
 *
 * <p>Readers take the current {@link Snapshot} without locking (a volatile reference to an immutable object); a
 * refresh (ListShards, paginated, every shard still listed: closed ones too, since a record Kinesis stored on a shard
 * that closed since is judged by that shard's range) builds a new snapshot and swaps it in. At most one refresh runs
 * at a time: concurrent {@link #refresh()} calls share it. The pipeline refreshes after a split or merge, when a
 * PutRecords response shows a record landed on another shard than predicted, and on errors that suggest the stream
 * changed.
 */
public final class ShardMap {
    private final String stream;
    private final KinesisClient client;
    private volatile Snapshot snapshot; // null until the first refresh succeeds
    private final SharedCall<Snapshot> listing = new SharedCall<>();

    public ShardMap(String stream, KinesisClient client) {
        this.stream = Objects.requireNonNull(stream, "stream");
        this.client = Objects.requireNonNull(client, "client");
    }

    public String stream() {
        return stream;
    }

    /** The current snapshot, or null before the first successful refresh. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Reloads the open shards. Completes with the new snapshot, or exceptionally with the ListShards error (the old
     * snapshot stays in place).
     */
    public CompletableFuture<Snapshot> refresh() {
        return listing.join(() -> {
            List<Shard> shards = new ArrayList<>();
            return page(null, shards).thenApply(done -> {
                Snapshot s = Snapshot.of(shards);
                snapshot = s;
                return s;
            });
        });
    }

    private CompletableFuture<Void> page(String nextToken, List<Shard> out) {
        ListShardsRequest request = nextToken == null
                ? new ListShardsRequest(stream, null, null, null, 10_000, null, null)
                : new ListShardsRequest(null, null, nextToken, null, 10_000, null, null);
        return client.listShards(request).thenCompose((ListShardsResponse r) -> {
            if (r.shards() != null) {
                out.addAll(r.shards());
            }
            return r.nextToken() == null ? CompletableFuture.completedFuture(null) : page(r.nextToken(), out);
        });
    }

    /**
     * The open shards of a stream at one moment, sorted by starting hash key. Immutable; {@link #predict} is a binary
     * search over two long arrays, with no allocation.
     */
    public static final class Snapshot {
        private final long[] startHi;
        private final long[] startLo;
        private final HashKeyRange[] ranges;
        private final String[] shardIds;
        private final Map<String, HashKeyRange> everyRange; // open and closed shards

        private Snapshot(HashKeyRange[] ranges, String[] shardIds, Map<String, HashKeyRange> everyRange) {
            this.ranges = ranges;
            this.shardIds = shardIds;
            this.everyRange = everyRange;
            this.startHi = new long[ranges.length];
            this.startLo = new long[ranges.length];
            for (int i = 0; i < ranges.length; i++) {
                startHi[i] = ranges[i].startInclusive().hi();
                startLo[i] = ranges[i].startInclusive().lo();
            }
        }

        /**
         * A snapshot of the open shards among {@code shards} (closed ones, with an ending sequence number, are left
         * out).
         *
         * @throws IllegalStateException when the open shards do not tile the hash key space without gaps or overlaps
         */
        public static Snapshot of(List<Shard> shards) {
            List<Shard> open = new ArrayList<>();
            Map<String, HashKeyRange> everyRange = new HashMap<>();
            for (Shard s : shards) {
                everyRange.put(s.shardId(), HashKeyRange.parse(s.hashKeyRange().startingHashKey(),
                        s.hashKeyRange().endingHashKey()));
                if (s.sequenceNumberRange() == null || s.sequenceNumberRange().endingSequenceNumber() == null) {
                    open.add(s);
                }
            }
            HashKeyRange[] ranges = new HashKeyRange[open.size()];
            String[] ids = new String[open.size()];
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < open.size(); i++) {
                ranges[i] = HashKeyRange.parse(open.get(i).hashKeyRange().startingHashKey(),
                        open.get(i).hashKeyRange().endingHashKey());
                order.add(i);
            }
            order.sort(Comparator.comparing(i -> ranges[i].startInclusive()));
            HashKeyRange[] sortedRanges = new HashKeyRange[ranges.length];
            String[] sortedIds = new String[ranges.length];
            for (int i = 0; i < order.size(); i++) {
                sortedRanges[i] = ranges[order.get(i)];
                sortedIds[i] = open.get(order.get(i)).shardId();
            }
            HashKey expected = HashKey.ZERO;
            for (int i = 0; i < sortedRanges.length; i++) {
                if (!sortedRanges[i].startInclusive().equals(expected)) {
                    throw new IllegalStateException("open shards do not cover the hash key space: expected a shard "
                            + "starting at " + expected + ", found " + sortedIds[i] + " " + sortedRanges[i]);
                }
                expected = sortedRanges[i].endInclusive().add(HashKey.ONE);
            }
            if (sortedRanges.length == 0 || !sortedRanges[sortedRanges.length - 1].endInclusive().equals(HashKey.MAX)) {
                throw new IllegalStateException("open shards do not reach the end of the hash key space");
            }
            return new Snapshot(sortedRanges, sortedIds, Map.copyOf(everyRange));
        }

        /** The shard that owns {@code key}. */
        public String predict(HashKey key) {
            return shardIds[indexOf(key.hi(), key.lo())];
        }

        private int indexOf(long hi, long lo) {
            int low = 0;
            int high = startHi.length - 1;
            while (low < high) {
                int mid = (low + high + 1) >>> 1;
                int c = Long.compareUnsigned(startHi[mid], hi);
                if (c == 0) {
                    c = Long.compareUnsigned(startLo[mid], lo);
                }
                if (c <= 0) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            return low;
        }

        /** Whether the listing had closed shards (a reshard's parents, until the retention period drops them). */
        public boolean hasClosed() {
            return everyRange.size() > shardIds.length;
        }

        /** Whether {@code shardId} is one of the open shards. */
        public boolean isOpen(String shardId) {
            HashKeyRange r = everyRange.get(shardId);
            return r != null && shardIds[indexOf(r.startInclusive().hi(), r.startInclusive().lo())].equals(shardId);
        }

        /** The open shards whose ranges share a hash key with {@code range}, in hash key order. */
        public List<String> openShardsOverlapping(HashKeyRange range) {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < ranges.length; i++) {
                if (ranges[i].startInclusive().compareTo(range.endInclusive()) <= 0
                        && range.startInclusive().compareTo(ranges[i].endInclusive()) <= 0) {
                    out.add(shardIds[i]);
                }
            }
            return out;
        }

        /** The hash key range of a shard, open or closed, or null when ListShards did not list it. */
        public HashKeyRange rangeOf(String shardId) {
            return everyRange.get(shardId);
        }

        /** Open shard ids in hash key order. */
        public List<String> shardIds() {
            return Arrays.asList(shardIds.clone());
        }
    }
}
