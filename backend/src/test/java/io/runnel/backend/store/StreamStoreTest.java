package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static io.runnel.backend.store.StoreAssertions.assertRefused;

import io.runnel.backend.store.StreamStore.IteratorType;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamStoreTest {
    private final ManualTime time = new ManualTime(1_764_000_000_000L);
    private final StreamStore store = new StreamStore(StoreSettings.defaults(), time, new IteratorTokens());

    private StreamState activeStream(String name, int shards) {
        StreamState s = store.createStream(name, shards, StreamState.Mode.PROVISIONED);
        time.advanceMillis(store.settings().transitionMillis());
        return s;
    }

    private StreamStore.PutOutcome put(StreamState stream, String pk, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return store.put(stream, store.hashKeyOf(pk, null, bytes), pk, bytes);
    }

    private List<String> readAll(StreamState stream, String shardId) {
        List<String> out = new ArrayList<>();
        String it = store.shardIterator(stream.name(), null, shardId, IteratorType.TRIM_HORIZON, null, null);
        while (it != null) {
            StreamStore.Records r = store.getRecords(it, 10_000);
            r.records().forEach(x -> out.add(new String(x.data(), StandardCharsets.UTF_8)));
            if (r.records().isEmpty() && r.nextShardIterator() != null) {
                break; // open shard, caught up
            }
            it = r.nextShardIterator();
        }
        return out;
    }

    @Test
    void createdStreamSpreadsShardsEvenlyAndBecomesActive() {
        StreamState s = store.createStream("orders", 3, StreamState.Mode.PROVISIONED);
        assertThat(s.status(time.millis())).isEqualTo(StreamState.Status.CREATING);
        assertThat(s.arn()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
        List<ShardState> shards = s.shards();
        assertThat(shards).extracting(ShardState::shardId)
                .containsExactly("shardId-000000000000", "shardId-000000000001", "shardId-000000000002");
        assertThat(shards.get(0).hashKeyRange().startInclusive()).isEqualTo(HashKey.ZERO);
        assertThat(shards.get(1).hashKeyRange().startInclusive().toDecimalString())
                .isEqualTo("113427455640312821154458202477256070485");
        assertThat(shards.get(2).hashKeyRange().endInclusive()).isEqualTo(HashKey.MAX);
        assertRefused(() -> store.streamForWrite("orders", null), StoreException.RESOURCE_NOT_FOUND, "orders");
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(s.status(time.millis())).isEqualTo(StreamState.Status.ACTIVE);
    }

    @Test
    void createRefusesDuplicatesBadNamesAndTooManyShards() {
        activeStream("a", 1);
        assertRefused(() -> store.createStream("a", 1, StreamState.Mode.PROVISIONED), StoreException.RESOURCE_IN_USE,
                "already exists");
        assertRefused(() -> store.createStream("bad name", 1, StreamState.Mode.PROVISIONED), StoreException.VALIDATION,
                "streamName");
        assertRefused(() -> store.createStream("big", 500, StreamState.Mode.PROVISIONED), StoreException.LIMIT_EXCEEDED,
                "shard limit");
        assertRefused(() -> store.createStream("od", 2, StreamState.Mode.ON_DEMAND), StoreException.INVALID_ARGUMENT,
                "ON_DEMAND");
        assertThat(store.createStream("od", null, StreamState.Mode.ON_DEMAND).shards()).hasSize(4);
    }

    @Test
    void recordsGoToTheShardOwningTheirHashKeyWithIncreasingSequenceNumbers() {
        StreamState s = activeStream("s", 4);
        Set<String> seen = new HashSet<>();
        String[] lastPerShard = new String[4];
        for (int i = 0; i < 400; i++) {
            String pk = "key-" + i;
            StreamStore.PutOutcome out = put(s, pk, "v" + i);
            assertThat(out.shard().hashKeyRange().contains(HashKey.md5Of(pk))).isTrue();
            String seq = out.sequenceNumber();
            assertThat(seen.add(seq)).isTrue();
            int idx = out.shard().index();
            if (lastPerShard[idx] != null) {
                assertThat(seq).isGreaterThan(lastPerShard[idx]);
            }
            lastPerShard[idx] = seq;
        }
        byte[] data = {1};
        StreamStore.PutOutcome explicit = store.put(s, store.hashKeyOf("any", HashKey.MAX.toDecimalString(), data),
                "any", data);
        assertThat(explicit.shard().shardId()).isEqualTo("shardId-000000000003");
    }

    @Test
    void invalidRecordsAreRefusedTheWayKinesisRefusesThem() {
        assertRefused(() -> store.hashKeyOf("", null, new byte[1]), StoreException.VALIDATION, "partitionKey");
        assertRefused(() -> store.hashKeyOf("k".repeat(257), null, new byte[1]), StoreException.VALIDATION,
                "partitionKey");
        StreamState bounded = activeStream("bounded", 1);
        // the limit is on data plus partition key
        assertRefused(() -> store.hashKeyOf(bounded, "k", null, new byte[1024 * 1024]), StoreException.VALIDATION,
                "1048576");
        assertThat(store.hashKeyOf(bounded, "k", null, new byte[1024 * 1024 - 1])).isEqualTo(HashKey.md5Of("k"));
        assertRefused(() -> store.hashKeyOf(bounded, null, null, new byte[1]), StoreException.VALIDATION,
                "partitionKey");
        assertRefused(() -> store.hashKeyOf("k", "01", new byte[1]), StoreException.VALIDATION, "explicitHashKey");
        assertRefused(() -> store.hashKeyOf("k", "340282366920938463463374607431768211456", new byte[1]),
                StoreException.INVALID_ARGUMENT, "ExplicitHashKey");
    }

    @Test
    void autoStreamsSpreadRecordsEvenlyIgnoringKeysAndTakeKeylessRecords() {
        assertRefused(() -> store.createStream("prov", 2, StreamState.Mode.PROVISIONED, null, "AUTO"),
                StoreException.INVALID_ARGUMENT, "ON_DEMAND");
        assertRefused(() -> store.createStream("odd", null, StreamState.Mode.ON_DEMAND, null, "RANDOM"),
                StoreException.VALIDATION, "recordDistributionStrategy");
        StreamState s = store.createStream("auto", null, StreamState.Mode.ON_DEMAND, null, "AUTO");
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(s.recordDistributionStrategy()).isEqualTo("AUTO");
        int shards = s.openShards().size();
        for (int i = 0; i < 100 * shards; i++) {
            byte[] data = ("r" + i).getBytes(StandardCharsets.UTF_8);
            String key = i % 2 == 0 ? null : "same-key"; // keys, when given, do not steer
            HashKey hash = store.hashKeyOf(s, key, HashKey.MAX.toDecimalString(), data);
            assertThat(hash).isNull();
            store.put(s, hash, key, data);
        }
        for (ShardState shard : s.openShards()) {
            assertThat(readAll(s, shard.shardId())).hasSize(100);
        }
        // back to keys: a keyless record is refused, keyed ones go by their hash again
        store.setRecordDistributionStrategy(s.arn(), "USER_PARTITION_KEY");
        assertRefused(() -> store.hashKeyOf(s, null, null, new byte[1]), StoreException.VALIDATION, "partitionKey");
        assertThat(store.hashKeyOf(s, "k", null, new byte[1])).isEqualTo(HashKey.md5Of("k"));
        StreamState provisioned = activeStream("provisioned", 1);
        assertRefused(() -> store.setRecordDistributionStrategy(provisioned.arn(), "AUTO"),
                StoreException.INVALID_ARGUMENT, "ON_DEMAND");
    }

    @Test
    void aStreamsMaximumRecordSizeCanBeRaisedTo10MiBAndItsShardsBurstForOneSuchRecord() {
        StreamStore limited = new StreamStore(StoreSettings.defaults().withLimits(true), time, new IteratorTokens(),
                null);
        StreamState s = limited.createStream("big", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(limited.settings().transitionMillis());
        byte[] fiveMiB = new byte[5 * 1024 * 1024];
        assertRefused(() -> limited.hashKeyOf(s, "k", null, fiveMiB), StoreException.VALIDATION, "1048576");
        assertRefused(() -> limited.setMaxRecordSize(s.arn(), 10_241), StoreException.VALIDATION, "10240");
        assertRefused(() -> limited.setMaxRecordSize(s.arn(), 1023), StoreException.VALIDATION, "1024");
        limited.setMaxRecordSize(s.arn(), 10_240);
        assertThat(s.maxRecordSizeKiB()).isEqualTo(10_240);
        HashKey k = limited.hashKeyOf(s, "k", null, fiveMiB);
        assertThat(limited.put(s, k, "k", fiveMiB).throttled()).isFalse(); // the burst takes it
        assertThat(limited.put(s, k, "k", new byte[4 * 1024 * 1024]).throttled()).isFalse();
        assertThat(limited.put(s, k, "k", new byte[1024 * 1024]).throttled()).isTrue(); // burst spent
        time.advanceMillis(2_000); // refills at 1 MiB/s
        assertThat(limited.put(s, k, "k", new byte[1024 * 1024]).throttled()).isFalse();
        assertThat(s.shards().get(0).written().records()).isEqualTo(3);
        assertThat(s.shards().get(0).written().throttledRecords()).as("refused, counted for tools").isEqualTo(1);
    }

    @Test
    void everyIteratorTypeStartsWhereKinesisStarts() {
        StreamState s = activeStream("s", 1);
        List<String> seqs = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            StreamStore.PutOutcome out = put(s, "k", "r" + i);
            seqs.add(out.sequenceNumber());
            arrivals.add(out.record().arrivalMillis());
            time.advanceMillis(10);
        }
        String shard = "shardId-000000000000";
        assertThat(firstData(store.shardIterator("s", null, shard, IteratorType.TRIM_HORIZON, null, null)))
                .isEqualTo("r0");
        assertThat(firstData(store.shardIterator("s", null, shard, IteratorType.AT_SEQUENCE_NUMBER, seqs.get(2),
                null))).isEqualTo("r2");
        assertThat(firstData(store.shardIterator("s", null, shard, IteratorType.AFTER_SEQUENCE_NUMBER, seqs.get(2),
                null))).isEqualTo("r3");
        assertThat(firstData(store.shardIterator("s", null, shard, IteratorType.AT_TIMESTAMP, null,
                arrivals.get(1)))).isEqualTo("r1");
        assertThat(firstData(store.shardIterator("s", null, shard, IteratorType.AT_TIMESTAMP, null,
                arrivals.get(1) + 1))).isEqualTo("r2");
        String latest = store.shardIterator(null, s.arn(), shard, IteratorType.LATEST, null, null);
        assertThat(store.getRecords(latest, 10).records()).isEmpty();
        put(s, "k", "after-latest");
        assertThat(firstData(latest)).isEqualTo("after-latest");
    }

    private String firstData(String iterator) {
        time.advanceMillis(200); // stay within 5 GetRecords per second and shard
        return new String(store.getRecords(iterator, 1).records().get(0).data(), StandardCharsets.UTF_8);
    }

    @Test
    void foreignSequenceNumbersAndBadIteratorsAreRefused() {
        StreamState s = activeStream("s", 2);
        String seqOnShard1 = null;
        for (int i = 0; seqOnShard1 == null; i++) {
            StreamStore.PutOutcome out = put(s, "k" + i, "x");
            if (out.shard().index() == 1) {
                seqOnShard1 = out.sequenceNumber();
            }
        }
        String foreign = seqOnShard1;
        assertRefused(() -> store.shardIterator("s", null, "shardId-000000000000", IteratorType.AT_SEQUENCE_NUMBER,
                foreign, null), StoreException.INVALID_ARGUMENT, "did not come from this stream");
        assertRefused(() -> store.shardIterator("s", null, "shardId-000000000009", IteratorType.LATEST, null, null),
                StoreException.RESOURCE_NOT_FOUND, "shardId-000000000009");
        assertRefused(() -> store.getRecords("garbage", 10), StoreException.INVALID_ARGUMENT, "ShardIterator");
        String it = store.shardIterator("s", null, "shardId-000000000000", IteratorType.LATEST, null, null);
        assertRefused(() -> store.getRecords(it, 0), StoreException.VALIDATION, "limit");
        time.advanceMillis(IteratorTokens.DEFAULT_TTL_MILLIS);
        assertRefused(() -> store.getRecords(it, 10), StoreException.EXPIRED_ITERATOR, "Iterator expired");
    }

    @Test
    void splitClosesTheParentAndReadingItToTheEndLeadsToTheChildren() {
        StreamState s = activeStream("s", 1);
        put(s, "a", "before");
        HashKey mid = HashKey.of(Long.MIN_VALUE, 0); // 2^127
        store.splitShard("s", null, "shardId-000000000000", mid.toDecimalString());
        assertThat(s.status(time.millis())).isEqualTo(StreamState.Status.UPDATING);
        assertRefused(() -> store.splitShard("s", null, "shardId-000000000001", "5"), StoreException.RESOURCE_IN_USE,
                "UPDATING");
        ShardState parent = s.shard("shardId-000000000000");
        assertThat(parent.isOpen()).isFalse();
        assertThat(parent.endingSequenceNumber()).isNotNull();
        List<ShardState> open = s.openShards();
        assertThat(open).extracting(ShardState::parentShardId).containsOnly("shardId-000000000000");
        assertThat(open.get(0).hashKeyRange().endInclusive().add(HashKey.ONE))
                .isEqualTo(open.get(1).hashKeyRange().startInclusive());
        StreamStore.PutOutcome after = put(s, "a", "after");
        assertThat(after.shard().parentShardId()).isEqualTo("shardId-000000000000");
        assertThat(after.sequenceNumber()).isGreaterThan(parent.endingSequenceNumber());

        String it = store.shardIterator("s", null, parent.shardId(), IteratorType.TRIM_HORIZON, null, null);
        StreamStore.Records r = store.getRecords(it, 100);
        assertThat(r.records()).hasSize(1);
        assertThat(r.nextShardIterator()).isNull();
        assertThat(r.childShards()).extracting(ShardState::shardId)
                .containsExactlyInAnyOrder("shardId-000000000001", "shardId-000000000002");
    }

    @Test
    void mergeNeedsAdjacentShards() {
        StreamState s = activeStream("s", 3);
        assertRefused(() -> store.mergeShards("s", null, "shardId-000000000000", "shardId-000000000002"),
                StoreException.INVALID_ARGUMENT, "adjacent");
        store.mergeShards("s", null, "shardId-000000000001", "shardId-000000000000");
        ShardState child = s.shard("shardId-000000000003");
        assertThat(child.parentShardId()).isEqualTo("shardId-000000000001");
        assertThat(child.adjacentParentShardId()).isEqualTo("shardId-000000000000");
        assertThat(child.hashKeyRange().startInclusive()).isEqualTo(HashKey.ZERO);
        assertThat(s.openShards()).hasSize(2);
    }

    @Test
    void updateShardCountEndsUniformWithValidLineage() {
        int[][] cases = {{3, 5}, {4, 2}, {5, 3}, {2, 4}, {4, 7}, {7, 4}};
        for (int[] c : cases) {
            String name = "s" + c[0] + "to" + c[1];
            StreamState s = activeStream(name, c[0]);
            for (int i = 0; i < 50; i++) {
                put(s, "k" + i, name + "-" + i);
            }
            store.updateShardCount(name, null, c[1]);
            time.advanceMillis(store.settings().transitionMillis());
            assertThat(s.openShards()).extracting(ShardState::hashKeyRange)
                    .as(name).containsExactlyElementsOf(HashKeyRange.split(HashKeyRange.ALL, c[1]));
            for (ShardState shard : s.shards()) {
                for (String p : new String[] {shard.parentShardId(), shard.adjacentParentShardId()}) {
                    if (p != null) {
                        ShardState parent = s.shard(p);
                        assertThat(parent.isOpen()).isFalse();
                        assertThat(shard.startingSequenceNumber())
                                .isGreaterThanOrEqualTo(parent.endingSequenceNumber());
                    }
                }
            }
            // Every record is still readable, once, by walking all shards.
            Set<String> all = new HashSet<>();
            for (ShardState shard : s.shards()) {
                for (String d : readAll(s, shard.shardId())) {
                    assertThat(all.add(d)).isTrue();
                }
            }
            assertThat(all).hasSize(50);
        }
        assertRefused(() -> store.updateShardCount("s4to2", null, 5), StoreException.INVALID_ARGUMENT, "double");
    }

    @Test
    void writesBeyondAThousandRecordsPerSecondPerShardAreThrottled() {
        StreamState s = activeStream("s", 1);
        int throttled = 0;
        for (int i = 0; i < 1100; i++) {
            if (put(s, "k", "x").throttled()) {
                throttled++;
            }
        }
        assertThat(throttled).isEqualTo(100);
        time.advanceMillis(1000);
        assertThat(put(s, "k", "x").throttled()).isFalse();
        StreamStore unlimited = new StreamStore(StoreSettings.defaults().withLimits(false), time, new IteratorTokens());
        StreamState u = unlimited.createStream("u", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(unlimited.settings().transitionMillis());
        byte[] data = {1};
        for (int i = 0; i < 5000; i++) {
            assertThat(unlimited.put(u, HashKey.md5Of("k"), "k", data).throttled()).isFalse();
        }
    }

    @Test
    void retentionTrimsOldRecordsAndDeletedStreamsGoAway() {
        StreamState s = activeStream("s", 1);
        put(s, "k", "old");
        time.advanceMillis(25 * 3_600_000L);
        put(s, "k", "new");
        assertThat(store.trim()).isEqualTo(1);
        assertThat(readAll(s, "shardId-000000000000")).containsExactly("new");
        assertRefused(() -> store.setRetention("s", null, 12, false), StoreException.INVALID_ARGUMENT, "out of range");
        assertRefused(() -> store.setRetention("s", null, 48, false), StoreException.INVALID_ARGUMENT,
                "IncreaseRetentionPeriod");
        store.setRetention("s", null, 48, true);
        assertThat(s.retentionHours()).isEqualTo(48);

        String oldSeq = put(s, "k", "x").sequenceNumber();
        store.deleteStream("s", null, false);
        assertThat(s.status(time.millis())).isEqualTo(StreamState.Status.DELETING);
        assertRefused(() -> put(s, "k", "x"), StoreException.RESOURCE_NOT_FOUND, "not found");
        time.advanceMillis(store.settings().transitionMillis());
        assertRefused(() -> store.stream("s", null), StoreException.RESOURCE_NOT_FOUND, "not found");
        StreamState again = activeStream("s", 1);
        assertThat(put(again, "k", "x").sequenceNumber()).isGreaterThan(oldSeq);
    }
}
