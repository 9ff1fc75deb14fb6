package io.runnel.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.aggregation.Aggregator.AddResult;
import io.runnel.aggregation.ProtoReference.Input;
import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the encoder over generated inputs: byte-identical to the protobuf classes, exact size prediction,
 * limits never exceeded, and a lossless round trip through the {@link Deaggregator}.
 */
class AggregatorPropertiesTest {
    private static final List<String> KEY_POOL = List.of("k0", "k1", "k2", "ä", "😀");
    private static final List<String> HASH_KEY_POOL = List.of("0", "1", AggregationFormat.MAX_HASH_KEY_DECIMAL);

    static LongStream seeds() {
        return Seeds.of(300);
    }

    /**
     * One in three: 1 to 128 code points (6/10 printable ASCII, 2/10 U+0080–U+D7FF, 1/10 U+E000–U+FFFF, 1/10
     * supplementary); one in three from a small pool, so keys repeat and the tables are shared; one in three 256 x's.
     */
    private static String partitionKey(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> RandomData.unicodeString(random, 1, 128);
            case 1 -> KEY_POOL.get(random.nextInt(KEY_POOL.size()));
            default -> "x".repeat(256);
        };
    }

    /** Half null; else half any decimal in [0, 2^128 - 1], half "0", "1" or the maximum. */
    private static String explicitHashKey(SplittableRandom random) {
        if (random.nextBoolean()) {
            return null;
        }
        return random.nextBoolean() ? RandomData.unsigned128(random).toString()
                : HASH_KEY_POOL.get(random.nextInt(HASH_KEY_POOL.size()));
    }

    /** One in three: 0 to 64 bytes; 100 to 3000 bytes; empty. */
    private static byte[] data(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> RandomData.bytes(random, 0, 64);
            case 1 -> RandomData.bytes(random, 100, 3000);
            default -> new byte[0];
        };
    }

    private static List<Input> inputs(SplittableRandom random) {
        int count = RandomData.length(random, 1, 200);
        List<Input> inputs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inputs.add(new Input(partitionKey(random), explicitHashKey(random), data(random)));
        }
        return inputs;
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void aggregatesMatchProtobufSizesArePredictedAndNothingIsLost(long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<Input> inputs = inputs(random);
        int maxSize = RandomData.intBetween(random, 64, 20_000);
        long maxCount = RandomData.longBetween(random, 1, 50);
        Aggregator aggregator = new Aggregator(new AggregationLimits(maxCount, maxSize));
        List<Input> current = new ArrayList<>();
        List<Input> readBack = new ArrayList<>();
        List<Input> sentAlone = new ArrayList<>();
        for (Input in : inputs) {
            long predicted = aggregator.sizeIfAdded(in.partitionKey(), in.explicitHashKey(), in.data().length);
            AddResult result = aggregator.tryAdd(in.partitionKey(), in.explicitHashKey(), in.data());
            if (result == AddResult.FULL) {
                assertThat(predicted > maxSize || aggregator.count() == maxCount).as("seed %d", seed).isTrue();
                readBack.addAll(flush(aggregator, current, maxSize, seed));
                predicted = aggregator.sizeIfAdded(in.partitionKey(), in.explicitHashKey(), in.data().length);
                result = aggregator.tryAdd(in.partitionKey(), in.explicitHashKey(), in.data());
                assertThat(result).as("seed %d", seed).isNotEqualTo(AddResult.FULL);
            }
            if (result == AddResult.TOO_LARGE) {
                assertThat(predicted).as("seed %d", seed).isGreaterThan(maxSize);
                sentAlone.add(in);
                continue;
            }
            assertThat(result).as("seed %d", seed).isEqualTo(AddResult.ADDED);
            assertThat(aggregator.size()).as("seed %d", seed).isEqualTo(predicted).isLessThanOrEqualTo(maxSize);
            assertThat(aggregator.count()).as("seed %d", seed).isLessThanOrEqualTo(maxCount);
            current.add(in);
        }
        if (!aggregator.isEmpty()) {
            readBack.addAll(flush(aggregator, current, maxSize, seed));
        }
        List<Input> expected = new ArrayList<>(inputs);
        expected.removeAll(sentAlone);
        assertThat(readBack).as("seed %d", seed).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(readBack.get(i).partitionKey()).as("seed %d", seed).isEqualTo(expected.get(i).partitionKey());
            assertThat(readBack.get(i).explicitHashKey()).as("seed %d", seed)
                    .isEqualTo(expected.get(i).explicitHashKey());
            assertThat(readBack.get(i).data()).as("seed %d", seed).isEqualTo(expected.get(i).data());
        }
    }

    private static List<Input> flush(Aggregator aggregator, List<Input> current, int maxSize, long seed)
            throws Exception {
        byte[] bytes = aggregator.toBytes();
        assertThat(bytes.length).as("seed %d", seed).isEqualTo(aggregator.size()).isLessThanOrEqualTo(maxSize);
        assertThat(bytes).as("seed %d", seed).isEqualTo(ProtoReference.aggregate(current));
        List<DeaggregatedRecord> records = Deaggregator.deaggregate("outer", null, bytes);
        List<Input> out = new ArrayList<>();
        long subSequence = 0;
        for (DeaggregatedRecord r : records) {
            assertThat(r.aggregated()).as("seed %d", seed).isTrue();
            assertThat(r.subSequenceNumber()).as("seed %d", seed).isEqualTo(subSequence++);
            out.add(new Input(r.partitionKey(), r.explicitHashKey(), r.data()));
        }
        aggregator.reset();
        current.clear();
        return out;
    }
}
