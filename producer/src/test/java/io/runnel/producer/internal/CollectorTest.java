package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CollectorTest {
    private static final long MS = 1_000_000L;

    private static KinesisRecord record(String shard, int bytes, long deadline, long expiry) {
        PendingUserRecord u = PendingUserRecord.create("s", "k", null, new byte[bytes], 0,
                expiry, 0);
        return new KinesisRecord(shard, "k", null, new byte[bytes], List.of(u), false, deadline);
    }

    @Test
    void sendsFullBatchesAtOnceAndPartialOnesAtTheirDeadline() {
        Collector c = new Collector(3, 1_000_000, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            c.add(record("a", 10, 100 * MS, Long.MAX_VALUE));
        }
        long wake = c.poll(0, false, 10, new ShardLanes(), sent::add, r -> { });
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).hasSize(3);
        assertThat(wake).isEqualTo(Long.MAX_VALUE); // shard a has a request in flight: its answer wakes us
        assertThat(c.poll(0, false, 10, new ShardLanes(), sent::add, r -> { })).isEqualTo(100 * MS);
        c.poll(100 * MS, false, 10, new ShardLanes(), sent::add, r -> { });
        assertThat(sent).hasSize(2);
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void respectsTheByteLimitTheSlotsAndFlush() {
        Collector c = new Collector(500, 100, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            c.add(record("a", 39, Long.MAX_VALUE, Long.MAX_VALUE)); // 40 bytes with the key
        }
        c.poll(0, false, 1, new ShardLanes(), sent::add, r -> { });
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).hasSize(2);
        c.poll(0, true, 10, new ShardLanes(), sent::add, r -> { });
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).hasSize(2);
        c.poll(0, true, 10, new ShardLanes(), sent::add, r -> { });
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2)).hasSize(1);
    }

    @Test
    void requestsShrinkAfterEachOneTheNetworkLostAndGrowBackWithAnswers() {
        Collector c = new Collector(500, 1_000, new Limiter(100_000, 1 << 20));
        for (int i = 0; i < 40; i++) {
            c.add(record("shard-" + i, 39, Long.MAX_VALUE, Long.MAX_VALUE)); // 40 bytes with the key
        }
        assertThat(c.requestBytes()).isEqualTo(1_000);
        c.requestLost(1_000);
        assertThat(recordsInTheNextRequest(c)).isEqualTo(12); // 500 bytes
        c.requestLost(480);
        assertThat(recordsInTheNextRequest(c)).isEqualTo(6); // 240 bytes
        c.requestLost(1_000); // a larger request sent before the last shrink: halves what is allowed now
        assertThat(c.requestBytes()).isEqualTo(120);
        c.requestLost(40);
        c.requestLost(40);
        assertThat(c.requestBytes()).isEqualTo(10);
        assertThat(recordsInTheNextRequest(c)).isEqualTo(1); // never less than one record, however large
        c.requestAnswered();
        assertThat(recordsInTheNextRequest(c)).isEqualTo(1); // 20 bytes
        c.requestAnswered();
        c.requestAnswered();
        assertThat(recordsInTheNextRequest(c)).isEqualTo(2); // 80 bytes
        for (int i = 0; i < 10; i++) {
            c.requestAnswered();
        }
        assertThat(c.requestBytes()).isEqualTo(1_000);
        assertThat(recordsInTheNextRequest(c)).isEqualTo(18); // what was left
    }

    private static int recordsInTheNextRequest(Collector c) {
        List<List<KinesisRecord>> sent = new ArrayList<>();
        c.poll(0, true, 1, new ShardLanes(), sent::add, r -> { });
        assertThat(sent).hasSize(1);
        return sent.get(0).size();
    }

    @Test
    void shardsToldToWaitSendNothingAndKeepTheirRecordsInOrder() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        KinesisRecord a1 = record("a", 1, 0, Long.MAX_VALUE);
        KinesisRecord b1 = record("b", 1, 0, Long.MAX_VALUE);
        KinesisRecord a2 = record("a", 1, 0, Long.MAX_VALUE);
        c.add(a1);
        c.add(b1);
        c.add(a2);
        ShardLanes inFlight = new ShardLanes();
        c.poll(0, true, 10, inFlight, java.util.Set.of("a"), sent::add, r -> { });
        assertThat(sent).containsExactly(List.of(b1)); // a waits (a parent's record is still out), b goes
        assertThat(inFlight.shards()).containsExactly("b");
        c.poll(0, true, 10, new ShardLanes(), java.util.Set.of(), sent::add, r -> { });
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).containsExactly(a1, a2);
    }

    @Test
    void aShardWithARequestInFlightWaitsSoRecordsKeepTheirOrder() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        c.add(record("a", 1, 0, Long.MAX_VALUE));
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(inFlight.shards()).containsExactly("a");
        KinesisRecord a2 = record("a", 1, 0, Long.MAX_VALUE);
        KinesisRecord b1 = record("b", 1, 0, Long.MAX_VALUE);
        c.add(a2);
        c.add(b1);
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)).containsExactly(b1); // a2 waits for a's request
        inFlight.remove("a");
        inFlight.remove("b");
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(2)).containsExactly(a2);
    }

    @Test
    void waitsForTheLimiterAndExpiresWhatWaitsTooLong() {
        Collector c = new Collector(500, 5_000_000, new Limiter(1, 1 << 20)); // 10 records/s per shard
        List<List<KinesisRecord>> sent = new ArrayList<>();
        List<KinesisRecord> expired = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            c.add(record("a", 1, 0, 500 * MS));
        }
        long wake = c.poll(0, true, 10, new ShardLanes(), sent::add, expired::add);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).hasSize(10);
        assertThat(wake).isBetween(1L, 100 * MS);
        c.poll(600 * MS, true, 10, new ShardLanes(), sent::add, expired::add);
        assertThat(expired).hasSize(2);
    }

    @Test
    void anAdmittedRecordPastItsTtlExpiresRatherThanGoesOutLate() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        List<KinesisRecord> expired = new ArrayList<>();
        KinesisRecord r = record("a", 1, 0, 100 * MS);
        c.add(r);
        long wake = c.poll(0, true, 0, new ShardLanes(), sent::add, expired::add); // no request slot free
        assertThat(sent).isEmpty();
        assertThat(wake).isLessThanOrEqualTo(100 * MS);
        c.poll(100 * MS, true, 10, new ShardLanes(), sent::add, expired::add);
        assertThat(sent).isEmpty();
        assertThat(expired).containsExactly(r);
        assertThat(c.isEmpty()).isTrue();
        assertThat(c.hasQueued("a")).isFalse();
    }

    @Test
    void aRecordTheLimiterHoldsBackHoldsBackTheLaterRecordsOfItsShard() {
        // 1% of 1 MiB/s: ~10 KB/s per shard, with a burst of 20 KB
        Collector c = new Collector(500, 5_000_000, new Limiter(1, 20_000));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        KinesisRecord big1 = record("a", 15_000, 0, Long.MAX_VALUE);
        KinesisRecord big2 = record("a", 15_000, 0, Long.MAX_VALUE); // does not fit the rest of the burst
        KinesisRecord small = record("a", 10, 0, Long.MAX_VALUE); // would fit, but must not overtake big2
        KinesisRecord other = record("b", 10, 0, Long.MAX_VALUE);
        c.add(big1);
        c.add(big2);
        c.add(small);
        c.add(other);
        c.poll(0, true, 10, new ShardLanes(), sent::add, r -> { });
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0)).containsExactly(big1, other);
    }

    @Test
    void strictOrderingSendsOneRecordPerShardPerRequestAndARefusedRecordFirst() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20), true);
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        KinesisRecord a1 = record("a", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        KinesisRecord a2 = record("a", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        KinesisRecord b1 = record("b", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        c.add(a1);
        c.add(a2);
        c.add(b1);
        c.poll(0, false, 10, inFlight, sent::add, r -> { }); // a has more waiting: no need to wait for deadlines
        assertThat(sent).containsExactly(List.of(a1, b1));
        // Kinesis refused a1: it goes again after its backoff, before a2
        inFlight.clear();
        c.retryFirst(a1, 50 * MS);
        long wake = c.poll(10 * MS, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).hasSize(1); // a2 waits for a1
        assertThat(wake).isEqualTo(50 * MS);
        c.poll(50 * MS, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(1)).containsExactly(a1);
        inFlight.clear();
        c.poll(50 * MS, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(2)).containsExactly(a2);
        assertThat(c.isEmpty()).isTrue();
    }

    /**
     * A due batch waits (at most the gathering time after its first record passed the limiter) for another shard's
     * record the limiter lets through within that time, then both go in one request; also on a flush, or when callers
     * wait for room (partial batches go at once, but a request that leaves before the limiter lets the others in
     * serves them no sooner, and the flush ends no later). Not without a gathering time, not for a shard whose budget
     * comes later than that.
     */
    @Test
    void aDueBatchWaitsForAnotherShardsRecordTheLimiterLetsThroughSoon() {
        for (String variant : List.of("gathers", "flush", "no gathering time", "too late")) {
            // 1% of 1 MiB/s: ~10,486 B/s per shard, with a burst of 20 KB
            Collector c = variant.equals("no gathering time") ? new Collector(500, 5_000_000, new Limiter(1, 20_000))
                    : new Collector(500, 5_000_000, new Limiter(1, 20_000), false, 20 * MS);
            boolean flush = variant.equals("flush"); // flush(), or callers waiting for room
            List<List<KinesisRecord>> sent = new ArrayList<>();
            ShardLanes inFlight = new ShardLanes();
            KinesisRecord b0 = record("b", 15_000, 0, Long.MAX_VALUE); // leaves shard b 4,999 bytes of its burst
            c.add(b0);
            c.poll(0, true, 10, inFlight, sent::add, r -> { });
            assertThat(sent).containsExactly(List.of(b0));
            inFlight.clear();
            sent.clear();
            KinesisRecord a1 = record("a", 15_000, 0, Long.MAX_VALUE); // due
            // 52 bytes short of shard b's budget: ~5 ms away; 6,000 bytes: ~96 ms, past the 20 ms
            KinesisRecord b1 = record("b", variant.equals("too late") ? 6_000 : 5_050, 0, Long.MAX_VALUE);
            c.add(a1);
            c.add(b1);
            long wake = c.poll(MS, flush, 10, inFlight, Set.of(), sent::add, r -> { });
            if (variant.equals("no gathering time") || variant.equals("too late")) {
                assertThat(sent).as(variant).containsExactly(List.of(a1));
                continue;
            }
            assertThat(sent).as(variant).isEmpty();
            assertThat(wake).isBetween(4 * MS, 6 * MS); // when b1 passes
            assertThat(c.poll(wake - 1, flush, 10, inFlight, Set.of(), sent::add, r -> { })).isEqualTo(wake);
            assertThat(sent).isEmpty();
            c.poll(wake, flush, 10, inFlight, Set.of(), sent::add, r -> { });
            assertThat(sent).as(variant).containsExactly(List.of(a1, b1));
            assertThat(c.isEmpty()).isTrue();
        }
    }

    /** Records behind one the limiter holds back are not admitted, yet expire at their time, and keep their order. */
    @Test
    void recordsBehindAShardTheLimiterHoldsStillExpireOnTimeAndKeepTheirOrder() {
        // 1% of 1 MiB/s: ~10,486 B/s per shard, with a burst of 20 KB
        Collector c = new Collector(500, 5_000_000, new Limiter(1, 20_000));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        List<KinesisRecord> expired = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        KinesisRecord first = record("a", 19_000, 0, Long.MAX_VALUE);
        KinesisRecord held = record("a", 5_000, 0, 10_000 * MS); // ~380 ms short of the budget
        KinesisRecord shortLived = record("a", 10, 0, 50 * MS);
        KinesisRecord last = record("a", 10, 0, 10_000 * MS);
        for (KinesisRecord r : List.of(first, held, shortLived, last)) {
            c.add(r);
        }
        c.poll(0, true, 10, inFlight, sent::add, expired::add);
        assertThat(sent).containsExactly(List.of(first));
        inFlight.clear();
        c.poll(40 * MS, true, 10, inFlight, sent::add, expired::add);
        assertThat(expired).isEmpty();
        c.poll(50 * MS, true, 10, inFlight, sent::add, expired::add);
        assertThat(expired).containsExactly(shortLived);
        assertThat(sent).hasSize(1);
        long now = 60 * MS;
        for (int i = 0; i < 10 && !c.isEmpty(); i++) {
            inFlight.clear();
            now = c.poll(now, true, 10, inFlight, sent::add, expired::add);
        }
        assertThat(c.isEmpty()).isTrue();
        assertThat(sent.stream().flatMap(List::stream)).containsExactly(first, held, last);
        assertThat(expired).containsExactly(shortLived);
    }

    /** A shard's oldest record counts even when it was added after younger ones (re-packed after a reshard). */
    @Test
    void aShardsOldestArrivalCountsARecordAddedAfterYoungerOnes() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        c.add(arrivedAt("a", 30 * MS));
        c.add(arrivedAt("a", 40 * MS));
        c.add(arrivedAt("b", 20 * MS));
        assertThat(c.oldestArrivalNanos()).isEqualTo(20 * MS);
        c.add(arrivedAt("a", 10 * MS));
        java.util.Map<String, Long> byShard = new java.util.HashMap<>();
        c.oldestArrivalByShard(byShard);
        assertThat(byShard).containsExactlyInAnyOrderEntriesOf(java.util.Map.of("a", 10 * MS, "b", 20 * MS));
        assertThat(c.oldestArrivalNanos()).isEqualTo(10 * MS);
    }

    private static KinesisRecord arrivedAt(String shard, long arrivalNanos) {
        PendingUserRecord u = PendingUserRecord.create("s", "k", null, new byte[10], arrivalNanos, 1_000_000 * MS,
                0);
        return new KinesisRecord(shard, "k", null, new byte[10], List.of(u), false, Long.MAX_VALUE);
    }

    /**
     * A single record of a shard the batch already has can join it (a request may carry several); an aggregate cannot
     * (one per lane per request), nor a record with StrictOrdering: the batch does not wait for those.
     */
    @Test
    void aBatchWaitsForAnotherRecordOfItsShardOnlyWhenItCanJoin() {
        for (String variant : List.of("single records", "aggregates", "strict")) {
            // 1% of 1 MiB/s: ~10,486 B/s per shard, with a burst of 20 KB
            Collector c = new Collector(500, 5_000_000, new Limiter(1, 20_000), variant.equals("strict"), 20 * MS);
            List<List<KinesisRecord>> sent = new ArrayList<>();
            ShardLanes inFlight = new ShardLanes();
            boolean aggregates = variant.equals("aggregates");
            // aggregates of two lanes that share no key: the second is not held back behind the first's lane
            KinesisRecord first = aggregates ? aggregate("a", ShardLanes.lane(1, 0), 15_000) : record("a", 15_000, 0,
                    Long.MAX_VALUE);
            // ~5 ms short of the rest of shard a's budget
            KinesisRecord second = aggregates ? aggregate("a", ShardLanes.lane(1, 1), 5_050) : record("a", 5_050, 0,
                    Long.MAX_VALUE);
            c.add(first);
            c.add(second);
            // partial batches go now (the aggregates' deadlines are far), gathering on
            long wake = c.poll(0, true, 10, inFlight, Set.of(), sent::add, r -> { });
            if (!variant.equals("single records")) {
                assertThat(sent).as(variant).containsExactly(List.of(first));
                continue;
            }
            assertThat(sent).isEmpty();
            assertThat(wake).isBetween(4 * MS, 6 * MS);
            c.poll(wake, true, 10, inFlight, Set.of(), sent::add, r -> { });
            assertThat(sent).containsExactly(List.of(first, second));
        }
    }

    /**
     * A batch gathers each shard that passes the limiter within the gathering time of its first record, one after the
     * other, and goes as soon as no other shard can join it before that time ends.
     */
    @Test
    void aGatheredBatchGoesOnceNoOtherShardCanJoinItInTime() {
        // ~10,486 B/s per shard, burst 20 KB; shards b and c each come back within 20 ms of a1, one after the other
        Collector c = new Collector(500, 5_000_000, new Limiter(1, 20_000), false, 20 * MS);
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        c.add(record("b", 15_000, 0, Long.MAX_VALUE));
        c.add(record("c", 15_000, 0, Long.MAX_VALUE));
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        inFlight.clear();
        sent.clear();
        KinesisRecord a1 = record("a", 15_000, 0, Long.MAX_VALUE);
        KinesisRecord b1 = record("b", 5_050, 0, Long.MAX_VALUE); // passes at ~5 ms
        KinesisRecord c1 = record("c", 5_150, 0, Long.MAX_VALUE); // passes at ~14.5 ms
        KinesisRecord c2 = record("c", 5_000, 0, Long.MAX_VALUE); // after c1: ~477 ms later
        c.add(a1);
        c.add(b1);
        c.add(c1);
        c.add(c2);
        long now = 0;
        for (int i = 0; i < 10; i++) {
            long next = c.poll(now, false, 10, inFlight, sent::add, r -> { });
            if (!sent.isEmpty()) {
                break;
            }
            now = next;
        }
        assertThat(sent).containsExactly(List.of(a1, b1, c1));
        assertThat(now).isBetween(14 * MS, 16 * MS); // sent once c1 passed: nothing else can join before 20 ms
        inFlight.clear();
        sent.clear();
        long wake = c.poll(now, false, 10, inFlight, sent::add, r -> { });
        assertThat(wake).isGreaterThan(400 * MS); // c2 alone, for the limiter
        c.poll(wake, false, 10, inFlight, sent::add, r -> { });
        assertThat(sent).containsExactly(List.of(c2)); // nothing limited left to wait for: goes at once
    }

    private static KinesisRecord aggregate(String shard, int lane) {
        return aggregate(shard, lane, 100);
    }

    private static KinesisRecord aggregate(String shard, int lane, int bytes) {
        PendingUserRecord u1 = PendingUserRecord.create("s", "k", null, new byte[10], 0, Long.MAX_VALUE, 0);
        PendingUserRecord u2 = PendingUserRecord.create("s", "k", null, new byte[10], 0, Long.MAX_VALUE, 0);
        return new KinesisRecord(shard, "k", null, new byte[bytes], List.of(u1, u2), true, Long.MAX_VALUE, false,
                lane);
    }

    @Test
    void aRecordWhoseLaneHasARequestOutTakesNothingFromTheLimiterUntilItCanGo() {
        // 1% of 1 MiB/s: ~10 KB/s per shard, with a burst of 20 KB; lane (1, 0) of shard a has a request out
        Collector c = new Collector(500, 5_000_000, new Limiter(1, 20_000));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        inFlight.add("a", ShardLanes.lane(1, 0));
        KinesisRecord busy = aggregate("a", ShardLanes.lane(1, 0), 15_000);
        KinesisRecord free = aggregate("a", ShardLanes.lane(1, 1), 15_000);
        c.add(busy);
        c.add(free);
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        // had the busy lane's aggregate been counted while it could not leave, the other would not fit the burst
        assertThat(sent).containsExactly(List.of(free));
        // its lane answered: it now waits for the limiter, as one admitted at this moment would
        inFlight.removeOne("a", ShardLanes.lane(1, 0));
        long wake = c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).hasSize(1);
        assertThat(wake).isGreaterThan(0);
        c.poll(wake, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).containsExactly(List.of(free), List.of(busy));
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void aggregatesOfLanesThatShareNoKeyGoTogetherAndOverlappingOnesWait() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        KinesisRecord a0 = aggregate("a", ShardLanes.lane(1, 0));
        KinesisRecord a1 = aggregate("a", ShardLanes.lane(1, 1));
        KinesisRecord a0b = aggregate("a", ShardLanes.lane(1, 0));
        KinesisRecord a2 = aggregate("a", ShardLanes.lane(2, 2)); // inside lane (1, 0)
        c.add(a0);
        c.add(a1);
        c.add(a0b);
        c.add(a2);
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).containsExactly(List.of(a0, a1)); // one aggregate per lane per request
        // lane (1, 1) answered, (1, 0) still out: nothing of (1, 0) goes, and nothing of it was even admitted twice
        inFlight.removeOne("a", ShardLanes.lane(1, 1));
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).hasSize(1);
        inFlight.removeOne("a", ShardLanes.lane(1, 0));
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(1)).containsExactly(a0b);
        inFlight.clear();
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(2)).containsExactly(a2);
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void knowsWhichLanesHaveRecordsWaitingToBeSent() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        c.add(aggregate("a", ShardLanes.lane(2, 1)));
        c.add(aggregate("a", ShardLanes.lane(2, 1)));
        c.add(aggregate("b", ShardLanes.WHOLE));
        assertThat(c.hasQueued("a", ShardLanes.lane(2, 1))).isTrue();
        assertThat(c.hasQueued("a", ShardLanes.lane(1, 1))).as("holds lane (2, 1)").isTrue();
        assertThat(c.hasQueued("a", ShardLanes.WHOLE)).isTrue();
        assertThat(c.hasQueued("a", ShardLanes.lane(3, 5))).as("inside lane (2, 1)").isTrue();
        assertThat(c.hasQueued("a", ShardLanes.lane(1, 0))).isFalse();
        assertThat(c.hasQueued("a", ShardLanes.lane(2, 3))).isFalse();
        assertThat(c.hasQueued("b", ShardLanes.lane(3, 7))).isTrue();
        assertThat(c.hasQueued("c", ShardLanes.WHOLE)).isFalse();
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        c.poll(0, true, 10, inFlight, sent::add, r -> { }); // one of lane (2, 1) and b's go; the other waits
        assertThat(c.hasQueued("a", ShardLanes.lane(2, 1))).isTrue();
        assertThat(c.hasQueued("b", ShardLanes.WHOLE)).isFalse();
        inFlight.clear();
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(c.hasQueued("a", ShardLanes.WHOLE)).isFalse();
        assertThat(c.isEmpty()).isTrue();
    }

    @Test
    void aRefusedAggregateHoldsBackItsLaneOnly() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        KinesisRecord a0 = aggregate("a", ShardLanes.lane(1, 0));
        KinesisRecord a1 = aggregate("a", ShardLanes.lane(1, 1));
        c.add(a0);
        c.add(a1);
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).containsExactly(List.of(a0, a1));
        inFlight.clear();
        // Kinesis refused a0 (due later) and took a1; the next of lane (1, 1) was already admitted and goes, the next
        // of lane (1, 0) waits for a0
        KinesisRecord a0b = aggregate("a", ShardLanes.lane(1, 0));
        KinesisRecord a1b = aggregate("a", ShardLanes.lane(1, 1));
        c.add(a0b);
        c.add(a1b);
        c.poll(0, false, 10, inFlight, sent::add, r -> { }); // admits both (their deadline is far)
        c.retryFirst(a0, 50 * MS);
        c.poll(10 * MS, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(1)).containsExactly(a1b);
        inFlight.clear();
        c.poll(50 * MS, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(2)).containsExactly(a0);
        inFlight.clear();
        c.poll(50 * MS, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent.get(3)).containsExactly(a0b);
    }

    @Test
    void aWholeShardRecordInFlightHoldsEveryLane() {
        Collector c = new Collector(500, 5_000_000, new Limiter(100_000, 1 << 20));
        List<List<KinesisRecord>> sent = new ArrayList<>();
        ShardLanes inFlight = new ShardLanes();
        inFlight.add("a", ShardLanes.WHOLE);
        c.add(aggregate("a", ShardLanes.lane(3, 5)));
        c.poll(0, true, 10, inFlight, sent::add, r -> { });
        assertThat(sent).isEmpty();
    }
}
