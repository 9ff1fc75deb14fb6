package io.runnel.cli.loadgen;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.ListShardsResponse;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.StreamRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a whole stream from TRIM_HORIZON: every shard, closed ones too, parents before their children, each to its
 * end (a closed shard) or until it is caught up (an open one), deaggregating as it goes and marking the user records
 * a KCL consumer would drop. Throttled reads are retried
 * after a pause. Shards are read side by side (each shard's read limit is its own). Not thread-safe; one read at a
 * time.
 */
public final class StreamReader {
    /** Receives each user record in stream order. */
    @FunctionalInterface
    public interface UserRecordSink {
        /**
         * Takes one user record; called on the reading thread.
         *
         * @param partitionKey the user record's partition key
         * @param data         its data
         * @param droppedByKcl the record is inside an aggregate that a KCL consumer of its shard drops whole,
         *                     because one of the aggregate's user records hashes outside the shard's range (what
         *                     a reshard does to aggregates built for the old shards)
         */
        void accept(String partitionKey, byte[] data, boolean droppedByKcl);
    }

    /**
     * How many records a GetRecords asks for: halved, down to one, each time a connection is lost under an answer (up
     * to 10 MiB; 100 aggregates of 40 KB are 4 MB), and doubled back, up to the service's 10,000, with each answer
     * that gets through. A floor above one record left a reader behind a network that resets every few hundred
     * kilobytes retrying answers that never arrived. Shared by the reading threads: the network is theirs.
     */
    static final class ReadLimit {
        static final int MAX = 10_000;
        private int value = MAX;

        synchronized int value() {
            return value;
        }

        synchronized void connectionLost() {
            value = Math.max(1, value / 2);
        }

        synchronized void answered() {
            value = Math.min(MAX, value * 2);
        }
    }

    private final KinesisClient client;

    /**
     * A reader.
     *
     * @param client the client it reads through (owned by the caller)
     */
    public StreamReader(KinesisClient client) {
        this.client = client;
    }

    /**
     * Counts of a read.
     *
     * @param shards         the shards read, closed ones included
     * @param kinesisRecords the Kinesis records read
     * @param userRecords    the user records handed to the sink (deaggregated)
     */
    public record Counts(long shards, long kinesisRecords, long userRecords) {
    }

    /** Shards read at once, at most: each waits out its own read limit (2 MiB/s, 5 calls/s per shard). */
    static final int MAX_READERS = 8;

    /**
     * What a shard's reading thread hands the consuming one: a GetRecords answer's records with the shard's hash key
     * range, the end of the shard ({@code end}, after its last records), or the failure that stopped it.
     */
    private record Page(Shard shard, HashKeyRange range, List<StreamRecord> records, boolean end, Throwable failure) {
    }

    /**
     * Reads {@code stream} and hands each user record to {@code sink}. Up to {@link #MAX_READERS} shards are read
     * at once, each by its own thread; a shard is read only once its parents (those still listed) are read to their
     * end, and the sink gets a shard's records in the shard's order, on the calling thread, so a key's records reach
     * it in stream order.
     *
     * @param stream the stream's name
     * @param sink   takes each user record, on this thread
     * @return what was read
     * @throws InterruptedException      when the thread is interrupted while it waits for an answer or a retry
     * @throws KinesisServiceException   when a call fails for a reason that waiting does not heal,
     *                                   or 100 times in a row
     * @throws io.runnel.wire.error.KinesisTransportException when a call does not answer within 30 s
     */
    public Counts read(String stream, UserRecordSink sink) throws InterruptedException {
        List<Shard> waiting = new ArrayList<>(parentsFirst(listShards(stream)));
        long shards = waiting.size();
        if (waiting.isEmpty()) {
            return new Counts(0, 0, 0);
        }
        Set<String> listed = new HashSet<>();
        for (Shard shard : waiting) {
            listed.add(shard.shardId());
        }
        Set<String> done = new HashSet<>();
        int readers = (int) Math.min(MAX_READERS, shards);
        BlockingQueue<Page> pages = new ArrayBlockingQueue<>(readers);
        ReadLimit limit = new ReadLimit(); // the network's state, shared by the readers
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(readers, task -> {
            Thread t = new Thread(task, "runnel-stream-reader-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long kinesisRecords = 0;
        long userRecords = 0;
        try {
            int running = startReady(0, waiting, listed, done, stream, limit, pages, pool);
            while (running > 0) {
                Page page = pages.take();
                if (page.failure() instanceof RuntimeException e) {
                    throw e;
                } else if (page.failure() instanceof Error e) {
                    throw e;
                }
                for (StreamRecord rec : page.records()) {
                    kinesisRecords++;
                    List<DeaggregatedRecord> users = Deaggregator.deaggregate(rec.partitionKey(), null, rec.data());
                    boolean dropped = droppedByKcl(users, page.range());
                    for (DeaggregatedRecord d : users) {
                        userRecords++;
                        sink.accept(d.partitionKey(), d.data(), dropped);
                    }
                }
                if (page.end()) {
                    running--;
                    done.add(page.shard().shardId());
                    running = startReady(running, waiting, listed, done, stream, limit, pages, pool);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Counts(shards, kinesisRecords, userRecords);
    }

    /**
     * Starts reading each waiting shard whose listed parents are done; returns how many are being read now, given
     * that {@code running} were.
     */
    private int startReady(int running, List<Shard> waiting, Set<String> listed, Set<String> done, String stream,
            ReadLimit limit, BlockingQueue<Page> pages, ExecutorService pool) {
        for (var it = waiting.iterator(); it.hasNext(); ) {
            Shard shard = it.next();
            if (parentsDone(shard, listed, done)) {
                it.remove();
                pool.execute(() -> readShard(stream, shard, limit, pages));
                running++;
            }
        }
        if (running == 0 && !waiting.isEmpty()) {
            // Shards whose parents wait on each other (Kinesis makes no such cycle): read them anyway, as listed.
            waiting.forEach(shard -> listed.remove(shard.shardId()));
            return startReady(0, waiting, listed, done, stream, limit, pages, pool);
        }
        return running;
    }

    /**
     * Reads one shard to its end (closed) or until it is caught up (open), handing each answer's records to
     * {@code pages} (waiting while the consumer is behind), then the end; or the failure that stopped it.
     */
    private void readShard(String stream, Shard shard, ReadLimit limit, BlockingQueue<Page> pages) {
        try {
            try {
                String iterator = Calls.awaitRetrying(() -> client.getShardIterator(new GetShardIteratorRequest(
                        stream, null, shard.shardId(), "TRIM_HORIZON", null, null))).shardIterator();
                boolean closed = shard.sequenceNumberRange().endingSequenceNumber() != null;
                HashKeyRange range = HashKeyRange.parse(shard.hashKeyRange().startingHashKey(),
                        shard.hashKeyRange().endingHashKey());
                while (iterator != null) {
                    String at = iterator;
                    // A connection lost under a response (it can be megabytes): ask for less, so some answer gets
                    // through.
                    GetRecordsResponse r = Calls.awaitRetrying(() -> client.getRecords(new GetRecordsRequest(at,
                            limit.value(), null)), e -> {
                                if (e instanceof io.runnel.wire.error.KinesisTransportException) {
                                    limit.connectionLost();
                                }
                            });
                    limit.answered();
                    if (!r.records().isEmpty()) {
                        pages.put(new Page(shard, range, r.records(), false, null));
                    }
                    boolean caughtUp = r.records().isEmpty()
                            && (r.millisBehindLatest() == null || r.millisBehindLatest() == 0);
                    if (caughtUp && !closed) {
                        break;
                    }
                    iterator = r.nextShardIterator();
                }
                pages.put(new Page(shard, null, List.of(), true, null));
            } catch (RuntimeException | Error e) { // whatever stops a reader ends the read, not hangs it
                pages.put(new Page(shard, null, List.of(), true, e));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the read is over (another shard failed, or the caller was stopped)
        }
    }

    /**
     * Whether a KCL consumer of a shard with {@code range} drops these user records of one Kinesis record: the KCL
     * discards an aggregate whole as soon as one of its user records' hash keys (explicit, else the MD5 of the
     * partition key) lies outside the shard's range. A record that is not an aggregate is never dropped.
     */
    static boolean droppedByKcl(List<DeaggregatedRecord> users, HashKeyRange range) {
        for (DeaggregatedRecord d : users) {
            if (!d.aggregated()) {
                return false;
            }
            HashKey key = d.explicitHashKey() != null ? HashKey.parseDecimal(d.explicitHashKey())
                    : HashKey.md5Of(d.partitionKey());
            if (!range.contains(key)) {
                return true;
            }
        }
        return false;
    }

    private List<Shard> listShards(String stream) throws InterruptedException {
        List<Shard> all = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            ListShardsResponse r = Calls.awaitRetrying(() -> client.listShards(token == null
                    ? new ListShardsRequest(stream, null, null, null, null, null, null)
                    : new ListShardsRequest(null, null, token, null, null, null, null)));
            all.addAll(r.shards());
            next = r.nextToken();
        } while (next != null);
        return all;
    }

    /** Orders shards so that every shard comes after the parents that are in the list. */
    static List<Shard> parentsFirst(List<Shard> shards) {
        Set<String> present = new HashSet<>();
        for (Shard s : shards) {
            present.add(s.shardId());
        }
        List<Shard> ordered = new ArrayList<>(shards.size());
        Set<String> emitted = new HashSet<>();
        List<Shard> remaining = new ArrayList<>(shards);
        while (!remaining.isEmpty()) {
            boolean progress = false;
            for (var it = remaining.iterator(); it.hasNext(); ) {
                Shard s = it.next();
                if (parentsDone(s, present, emitted)) {
                    ordered.add(s);
                    emitted.add(s.shardId());
                    it.remove();
                    progress = true;
                }
            }
            if (!progress) {
                // A cycle cannot happen in Kinesis; keep the rest in listed order rather than loop.
                ordered.addAll(remaining);
                break;
            }
        }
        return ordered;
    }

    /** Whether {@code shard} may come: each of its parents is absent, not in {@code present}, or in {@code emitted}. */
    private static boolean parentsDone(Shard shard, Set<String> present, Set<String> emitted) {
        return ready(shard.parentShardId(), present, emitted) && ready(shard.adjacentParentShardId(), present, emitted);
    }

    /** Whether a shard with this parent may come: it has none, the parent is not listed, or it has come. */
    private static boolean ready(String parent, Set<String> present, Set<String> emitted) {
        return parent == null || !present.contains(parent) || emitted.contains(parent);
    }
}
