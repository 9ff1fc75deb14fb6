package io.runnel.producer.testing;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * A whole stream read back with the AWS SDK v2 and deaggregated with the KCL's own {@link AggregatorUtil}, shard by
 * shard with each shard's hash key range: what a KCL record processor of each shard is handed. The KCL drops an
 * aggregate whole when one of its user records hashes outside the shard's range, so this is the check that matters
 * after a reshard. The same records are also counted without the range check: every user record in the stream.
 *
 * @param kcl       how many times a KCL consumer sees each user record, by its id
 * @param raw       how many times each user record is in the stream, KCL or not
 * @param dropped   user records inside aggregates the KCL drops (counted in {@code raw}, not in {@code kcl})
 * @param kclOrder  the ids a KCL application is handed, in the order it reads them: each shard after its parents
 *                  (the KCL finishes a parent before it starts a child), each shard's records in sequence order
 */
public record KclView(Map<String, Integer> kcl, Map<String, Integer> raw, long dropped, List<String> kclOrder) {

    /**
     * Reads every shard of {@code stream} (open and closed) from TRIM_HORIZON to its end; with per-shard read limits
     * on, throttled reads are tried again.
     *
     * @param id a user record's id from its data
     */
    public static KclView read(KinesisAsyncClient sdk, String stream, Function<ByteBuffer, String> id) {
        Map<String, Integer> kcl = new HashMap<>();
        Map<String, Integer> raw = new HashMap<>();
        AggregatorUtil util = new AggregatorUtil();
        BigInteger max = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        List<String> order = new ArrayList<>();
        for (Shard shard : parentsFirst(listShards(sdk, stream))) {
            List<Record> records = readShard(sdk, stream, shard.shardId());
            for (KinesisClientRecord user : util.deaggregate(forKcl(records),
                    new BigInteger(shard.hashKeyRange().startingHashKey()),
                    new BigInteger(shard.hashKeyRange().endingHashKey()))) {
                String userId = id.apply(user.data());
                kcl.merge(userId, 1, Integer::sum);
                order.add(userId);
            }
            for (KinesisClientRecord user : util.deaggregate(forKcl(records), BigInteger.ZERO, max)) {
                raw.merge(id.apply(user.data()), 1, Integer::sum);
            }
        }
        long inKcl = kcl.values().stream().mapToLong(Integer::longValue).sum();
        long inRaw = raw.values().stream().mapToLong(Integer::longValue).sum();
        return new KclView(kcl, raw, inRaw - inKcl, order);
    }

    /** Shards ordered so that each comes after the parents it names. */
    private static List<Shard> parentsFirst(List<Shard> shards) {
        List<Shard> out = new ArrayList<>();
        java.util.Set<String> listed = new java.util.HashSet<>();
        shards.forEach(s -> listed.add(s.shardId()));
        java.util.Set<String> done = new java.util.HashSet<>();
        List<Shard> left = new ArrayList<>(shards);
        while (!left.isEmpty()) {
            int before = left.size();
            for (var it = left.iterator(); it.hasNext();) {
                Shard s = it.next();
                if (ready(s.parentShardId(), listed, done) && ready(s.adjacentParentShardId(), listed, done)) {
                    out.add(s);
                    done.add(s.shardId());
                    it.remove();
                }
            }
            if (left.size() == before) {
                throw new IllegalStateException("shard lineage has a cycle: " + left);
            }
        }
        return out;
    }

    private static boolean ready(String parent, java.util.Set<String> listed, java.util.Set<String> done) {
        return parent == null || !listed.contains(parent) || done.contains(parent);
    }

    /**
     * How many user records a KCL application is handed after a later record of the same key ({@code key} gives a
     * record's key from its id, {@code index} its place in the order they were added).
     */
    public long outOfOrder(java.util.function.Function<String, String> key,
            java.util.function.ToLongFunction<String> index) {
        Map<String, Long> last = new HashMap<>();
        long late = 0;
        for (String id : kclOrder) {
            long i = index.applyAsLong(id);
            Long previous = last.get(key.apply(id));
            if (previous != null && i < previous) {
                late++;
            } else {
                last.put(key.apply(id), i);
            }
        }
        return late;
    }

    private static List<Shard> listShards(KinesisAsyncClient sdk, String stream) {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = retryThrottled(() -> sdk.listShards(r -> {
                if (token == null) {
                    r.streamName(stream);
                } else {
                    r.nextToken(token);
                }
            }).join());
            shards.addAll(page.shards());
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    /** Fresh KCL records each time: deaggregation reads through their data buffers. */
    private static List<KinesisClientRecord> forKcl(List<Record> records) {
        List<KinesisClientRecord> out = new ArrayList<>(records.size());
        for (Record r : records) {
            out.add(KinesisClientRecord.builder().partitionKey(r.partitionKey()).sequenceNumber(r.sequenceNumber())
                    .data(r.data().asByteBuffer()).build());
        }
        return out;
    }

    private static List<Record> readShard(KinesisAsyncClient sdk, String stream, String shardId) {
        List<Record> out = new ArrayList<>();
        String it = retryThrottled(() -> sdk.getShardIterator(r -> r.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).join().shardIterator());
        while (it != null) {
            String from = it;
            GetRecordsResponse page = retryThrottled(() -> sdk.getRecords(r -> r.shardIterator(from).limit(10_000))
                    .join());
            out.addAll(page.records());
            if (page.records().isEmpty()) { // the end of an open shard (a closed one ends with no next iterator)
                break;
            }
            it = page.nextShardIterator();
        }
        return out;
    }

    private static <T> T retryThrottled(java.util.function.Supplier<T> call) {
        for (int attempt = 0;; attempt++) {
            try {
                return call.get();
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof ProvisionedThroughputExceededException) || attempt > 200) {
                    throw e;
                }
                try {
                    Thread.sleep(250); // read limits on: five calls a second per shard
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(interrupted);
                }
            }
        }
    }

    /** User records the KCL sees more than once. */
    public long kclDuplicates() {
        return kcl.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
    }

    /** User records in the stream more than once (KCL-visible or not). */
    public long rawDuplicates() {
        return raw.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
    }
}
