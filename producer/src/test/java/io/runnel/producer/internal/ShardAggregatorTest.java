package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Deaggregator;
import io.runnel.wire.HashKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ShardAggregatorTest {
    private static final ShardAggregator.LaneBusy NO_LANE_BUSY = (shard, lane) -> false;
    private static final long MS = 1_000_000L;

    private static PendingUserRecord user(String pk, int bytes, long arrival) {
        PendingUserRecord r = PendingUserRecord.create("s", pk, null, new byte[bytes],
                arrival, Long.MAX_VALUE / 2, 0);
        r.hashKey = HashKey.md5Of(pk);
        r.predictedShard = "shard";
        return r;
    }

    @Test
    void aggregatesUntilFullOrDueAndSendsALoneRecordAsItself() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(3, 51_200), 100 * MS, out::add);
        for (int i = 0; i < 4; i++) {
            a.add(user("k" + i, 10, 0), 0);
        }
        assertThat(out).hasSize(1);
        assertThat(out.get(0).aggregated()).isTrue();
        assertThat(out.get(0).userRecords()).hasSize(3);
        assertThat(out.get(0).explicitHashKey()).isEqualTo(HashKey.md5Of("k0").toDecimalString());
        assertThat(Deaggregator.deaggregate("x", null, out.get(0).data())).hasSize(3);
        assertThat(a.poll(50 * MS, NO_LANE_BUSY)).isEqualTo(100 * MS);
        a.poll(100 * MS, NO_LANE_BUSY);
        assertThat(out).hasSize(2);
        assertThat(out.get(1).aggregated()).isFalse();
        assertThat(out.get(1).partitionKey()).isEqualTo("k3");
        assertThat(a.isEmpty()).isTrue();
    }

    @Test
    void aLaneWithAnAggregateOnItsWayKeepsFillingPastItsDeadlineUntilThatOneIsAnswered() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(1_000, 51_200), 100 * MS, out::add);
        ShardLanes inFlight = new ShardLanes();
        inFlight.add("shard", ShardLanes.WHOLE); // the lane's previous aggregate is on its way
        inFlight.add("other", ShardLanes.WHOLE);
        a.add(user("k0", 10, 0), 0);
        a.add(user("k1", 10, 0), 0);
        a.poll(100 * MS, inFlight::overlaps);
        assertThat(out).as("due, but it could not be sent yet").isEmpty();
        a.add(user("k2", 10, 150 * MS), 150 * MS);
        a.poll(200 * MS, inFlight::overlaps);
        assertThat(out).isEmpty();
        inFlight.removeOne("shard", ShardLanes.WHOLE); // answered: the aggregate goes, with what came meanwhile
        a.poll(202 * MS, inFlight::overlaps);
        assertThat(out).singleElement().satisfies(kr -> {
            assertThat(kr.userRecords()).extracting(r -> r.partitionKey).containsExactly("k0", "k1", "k2");
            assertThat(kr.deadlineNanos()).isEqualTo(100 * MS);
        });
        // another shard's request in flight holds nothing back here
        a.add(user("k3", 10, 300 * MS), 300 * MS);
        a.add(user("k4", 10, 300 * MS), 300 * MS);
        a.poll(400 * MS, inFlight::overlaps);
        assertThat(out).hasSize(2);
    }

    /** The lane bits a shard starts with at {@code roundTripNanos} and the shard's limit (aggregates of 51,200 B). */
    private static int startingBits(int maxBits, long roundTripNanos) {
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(1_000, 51_200), 100 * MS, maxBits,
                r -> { });
        a.startFor(roundTripNanos, 1 << 20);
        return a.bits();
    }

    @Test
    void startsWithTheLanesItsRateNeedsAtTheKnownRoundTrip() {
        assertThat(startingBits(ShardLanes.MAX_BITS, MS)).isZero(); // 2 KB per round trip, twice over: one lane
        assertThat(startingBits(ShardLanes.MAX_BITS, 0)).isZero(); // not known
        // 105 KB: three aggregates of 51,200 bytes, so four lanes
        assertThat(startingBits(ShardLanes.MAX_BITS, 50 * MS)).isEqualTo(2);
        // more than eight lanes would carry: all it may have
        assertThat(startingBits(ShardLanes.MAX_BITS, 400 * MS)).isEqualTo(ShardLanes.MAX_BITS);
        assertThat(startingBits(0, 400 * MS)).isZero(); // StrictOrdering: one lane always
    }

    @Test
    void anAggregateExpiresWithItsEarliestUserRecordAndTheNextStartsAfresh() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(3, 51_200), 100 * MS, out::add);
        long[] ttls = {900 * MS, 300 * MS, 600 * MS, 800 * MS, 700 * MS, 1_000 * MS};
        for (int i = 0; i < ttls.length; i++) {
            PendingUserRecord r = PendingUserRecord.create("s", "k" + i, null, new byte[10], 0, ttls[i], 0);
            r.hashKey = HashKey.md5Of("k" + i);
            a.add(r, 0);
        }
        a.flush();
        assertThat(out).extracting(KinesisRecord::expiryNanos).containsExactly(300 * MS, 700 * MS);
    }

    @Test
    void tooLargeRecordsGoAloneAndDrainReturnsWhatIsBuffered() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(100, 1_000), 100 * MS, out::add);
        a.add(user("big", 5_000, 0), 0);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).aggregated()).isFalse();
        a.add(user("x", 1, 0), 0);
        a.add(user("y", 1, 0), 0);
        assertThat(a.drain()).extracting(r -> r.partitionKey).containsExactly("x", "y");
        assertThat(a.isEmpty()).isTrue();
    }

    @Test
    void everyKinesisRecordHoldsItsUserRecordsInAListOfOneClass() {
        // Deliveries.claimInto reads them all through that list: one class keeps its compiled loop from being thrown
        // away when another class first comes by.
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(100, 1_000), 100 * MS, out::add);
        a.add(user("a", 10, 0), 0);
        a.add(user("b", 10, 0), 0);
        a.add(user("big", 5_000, 0), 0); // alone, after the aggregate of a and b
        a.add(user("c", 10, 0), 0);
        a.flush(); // c alone
        PendingUserRecord d = user("d", 10, 0);
        PendingUserRecord e = user("e", 10, 0);
        out.add(ShardAggregator.pack("shard", ShardLanes.WHOLE, List.of(d, e), new AggregationLimits(100, 1_000), 0));
        out.add(ShardAggregator.pack("shard", ShardLanes.WHOLE, List.of(d), new AggregationLimits(100, 1_000), 0));
        out.add(new KinesisRecord("shard", "k", null, new byte[1], List.of(d), false, 0)); // as tests build them
        assertThat(out).extracting(KinesisRecord::aggregated).containsExactly(true, false, false, true, false, false);
        assertThat(out).extracting(r -> (Object) r.userRecords().getClass()).containsOnly(ArrayList.class);
        assertThat(out.get(3).userRecords()).containsExactly(d, e);
        assertThat(out.get(5).userRecords()).containsExactly(d);
    }

    @Test
    void aRecordTooLargeToAggregateGoesAfterWhatIsBuffered() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(100, 1_000), 100 * MS, out::add);
        a.add(user("k", 10, 0), 0);
        a.add(user("k", 10, 0), 0);
        a.add(user("k", 5_000, 0), 0);
        assertThat(out).hasSize(2);
        assertThat(out.get(0).userRecords()).hasSize(2); // the two earlier records of key k first
        assertThat(out.get(1).data()).hasSize(5_000);
    }

    @Test
    void widensWhenTheShardSendsMoreInARoundTripThanOneAggregateHoldsAndNarrowsSlowly() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(1_000_000, 10_000), 100 * MS,
                ShardLanes.MAX_BITS, out::add);
        long second = 1_000 * MS;
        a.adapt(0, 50 * MS, 1_000_000);
        // ~390 KB in a second (data and keys), 50 ms round trips: 19.5 KB per round trip, 39 KB with headroom: 4
        // lanes of 10 KB
        for (int i = 0; i < 4_000; i++) {
            a.add(user("pk-" + i, 90, 0), 0);
        }
        a.adapt(second, 50 * MS, 1_000_000);
        assertThat(a.bits()).isEqualTo(2);
        // the shard's limiter allows 100 KB/s: one lane does, but lanes are merged only after three such intervals,
        // one step at a time
        for (int t = 2; t <= 4; t++) {
            for (int i = 0; i < 4_000; i++) {
                a.add(user("pk-" + i, 98, 0), 0);
            }
            a.adapt(t * second, 50 * MS, 100_000);
            assertThat(a.bits()).isEqualTo(t < 4 ? 2 : 1);
        }
        // a slow round trip at the full rate: as many lanes as allowed
        a.add(user("pk-0", 1_000_000, 0), 0);
        a.adapt(5 * second, 1_000 * MS, 1_000_000);
        assertThat(a.bits()).isEqualTo(ShardLanes.MAX_BITS);
    }

    @Test
    void eachKeysRecordsStayInOneLaneInOrder() {
        List<KinesisRecord> out = new ArrayList<>();
        ShardAggregator a = new ShardAggregator("shard", new AggregationLimits(1_000_000, 2_000), 100 * MS,
                ShardLanes.MAX_BITS, out::add);
        a.adapt(0, 1_000 * MS, 1_000_000);
        for (int i = 0; i < 100; i++) {
            a.add(user("pk-" + i % 10, 100, 0), 0);
        }
        a.adapt(1_000 * MS, 1_000 * MS, 1_000_000); // widens: what was buffered goes first
        assertThat(a.bits()).isEqualTo(ShardLanes.MAX_BITS);
        for (int i = 100; i < 1_000; i++) {
            PendingUserRecord r = user("pk-" + i % 10, 100, 0);
            r.retries = i; // the record's index, to check the order
            a.add(r, 0);
        }
        a.flush();
        java.util.Map<String, Integer> laneOfKey = new java.util.HashMap<>();
        java.util.Map<String, Integer> last = new java.util.HashMap<>();
        for (KinesisRecord kr : out) {
            for (PendingUserRecord r : kr.userRecords()) {
                if (ShardLanes.bits(kr.lane()) == ShardLanes.MAX_BITS) {
                    assertThat(laneOfKey.computeIfAbsent(r.partitionKey, k -> kr.lane())).isEqualTo(kr.lane());
                    assertThat(r.retries).isGreaterThan(last.getOrDefault(r.partitionKey, 0));
                    last.put(r.partitionKey, r.retries);
                }
            }
        }
        assertThat(new java.util.HashSet<>(laneOfKey.values())).hasSizeGreaterThan(1);
    }
}
