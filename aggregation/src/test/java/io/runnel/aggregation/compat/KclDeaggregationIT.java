package io.runnel.aggregation.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import io.runnel.aggregation.Deaggregator;
import io.runnel.aggregation.DeaggregatedRecord;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * Cross-check with the KCL: what our {@link Aggregator} writes, the KCL's own {@link AggregatorUtil} reads back as
 * the same user records, keys and order — and both sides agree on what is not an aggregate.
 */
class KclDeaggregationIT {
    private static final AggregatorUtil KCL = new AggregatorUtil();

    private record UserRecord(String partitionKey, String explicitHashKey, byte[] data) {
    }

    private static KinesisClientRecord kinesisRecord(String pk, byte[] data) {
        return KinesisClientRecord.builder().partitionKey(pk)
                .sequenceNumber("49590338271490256608559692538361571095921575989136588898")
                .data(ByteBuffer.wrap(data)).build();
    }

    private static byte[] bytesOf(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static List<UserRecord> randomRecords(Random random, int n) {
        List<UserRecord> records = new ArrayList<>();
        String[] keyPool = {"user-1", "user-2", "ключ", "鍵", "😀-emoji", "k".repeat(256)};
        for (int i = 0; i < n; i++) {
            String pk = random.nextInt(3) == 0 ? "pk-" + random.nextInt(1000) : keyPool[random.nextInt(keyPool.length)];
            String ehk = random.nextInt(4) == 0 ? new BigInteger(128, random).toString() : null;
            byte[] data = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(400)];
            random.nextBytes(data);
            records.add(new UserRecord(pk, ehk, data));
        }
        return records;
    }

    @Test
    void kclReadsOurAggregatesBackExactly() {
        Random random = new Random(20261125L);
        for (int round = 0; round < 50; round++) {
            List<UserRecord> records = randomRecords(random, 1 + random.nextInt(300));
            Aggregator aggregator = new Aggregator(new AggregationLimits(Long.MAX_VALUE, 1024 * 1024));
            for (UserRecord r : records) {
                assertThat(aggregator.tryAdd(r.partitionKey(), r.explicitHashKey(), r.data()))
                        .isEqualTo(Aggregator.AddResult.ADDED);
            }
            byte[] aggregate = aggregator.toBytes();

            List<KinesisClientRecord> kcl = KCL.deaggregate(List.of(kinesisRecord(aggregator.firstPartitionKey(),
                    aggregate)));

            assertThat(kcl).hasSameSizeAs(records);
            for (int i = 0; i < records.size(); i++) {
                KinesisClientRecord got = kcl.get(i);
                UserRecord want = records.get(i);
                assertThat(got.aggregated()).isTrue();
                assertThat(got.subSequenceNumber()).isEqualTo(i);
                assertThat(got.partitionKey()).isEqualTo(want.partitionKey());
                assertThat(got.explicitHashKey()).isEqualTo(want.explicitHashKey());
                assertThat(bytesOf(got.data())).isEqualTo(want.data());
            }
        }
    }

    @Test
    void kclKeepsRecordsInsideTheShardRangeWhenWeRouteByHashKey() throws Exception {
        // The KCL drops user records whose hash key lies outside the shard it reads; records that the producer
        // aggregated for one shard must all fall in that shard's range. Two halves of the key space:
        BigInteger half = BigInteger.ONE.shiftLeft(127);
        Aggregator lower = new Aggregator(AggregationLimits.KPL_DEFAULTS);
        int added = 0;
        for (int i = 0; added < 100; i++) {
            String pk = "key-" + i;
            BigInteger hash = new BigInteger(1, MessageDigest.getInstance("MD5")
                    .digest(pk.getBytes(StandardCharsets.UTF_8)));
            if (hash.compareTo(half) < 0) {
                lower.tryAdd(pk, null, pk.getBytes(StandardCharsets.UTF_8));
                added++;
            }
        }
        List<KinesisClientRecord> kcl = KCL.deaggregate(List.of(kinesisRecord(lower.firstPartitionKey(),
                lower.toBytes())), BigInteger.ZERO, half.subtract(BigInteger.ONE));
        assertThat(kcl).hasSize(100);
    }

    @Test
    void bothSidesAgreeOnWhatIsNotAnAggregate() {
        Aggregator aggregator = new Aggregator(AggregationLimits.KPL_DEFAULTS);
        aggregator.tryAdd("pk", null, "payload".getBytes(StandardCharsets.UTF_8));
        byte[] good = aggregator.toBytes();
        byte[] badDigest = good.clone();
        badDigest[badDigest.length - 1] ^= 0x55;
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
        byte[] plain = "plain record".getBytes(StandardCharsets.UTF_8);

        for (byte[] data : List.of(badDigest, truncated, plain)) {
            List<KinesisClientRecord> kcl = KCL.deaggregate(List.of(kinesisRecord("outer", data)));
            List<DeaggregatedRecord> ours = Deaggregator.deaggregate("outer", null, data);
            assertThat(kcl).hasSize(1);
            assertThat(kcl.get(0).aggregated()).isFalse();
            assertThat(bytesOf(kcl.get(0).data())).isEqualTo(data);
            assertThat(ours).containsExactly(new DeaggregatedRecord("outer", null, data, 0, false));
        }
    }
}
