package io.runnel.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.aggregation.Aggregator.AddResult;
import io.runnel.aggregation.ProtoReference.Input;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the encoder over generated inputs: byte-identical to the protobuf classes, exact size prediction,
 * limits never exceeded, and a lossless round trip through the {@link Deaggregator}.
 */
class AggregatorProperties {

    @Provide
    Arbitrary<String> partitionKeys() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        Arbitrary<String> any = codePoints.list().ofMinSize(1).ofMaxSize(128).map(cps -> {
            StringBuilder sb = new StringBuilder();
            for (int cp : cps) {
                sb.appendCodePoint(cp);
            }
            return sb.toString();
        });
        // A small pool too, so keys repeat and the tables are shared.
        return Arbitraries.oneOf(any, Arbitraries.of("k0", "k1", "k2", "ä", "😀"), Arbitraries.just("x".repeat(256)));
    }

    @Provide
    Arbitrary<String> explicitHashKeys() {
        Arbitrary<String> random = Arbitraries.bigIntegers()
                .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))
                .map(BigInteger::toString);
        return Arbitraries.oneOf(random, Arbitraries.of("0", "1", AggregationFormat.MAX_HASH_KEY_DECIMAL))
                .injectNull(0.5);
    }

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<byte[]> data = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64),
                Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(3000),
                Arbitraries.just(new byte[0]));
        return Combinators.combine(partitionKeys(), explicitHashKeys(), data).as(Input::new);
    }

    @Property(tries = 300)
    void aggregatesMatchProtobufSizesArePredictedAndNothingIsLost(
            @ForAll("inputs") @Size(min = 1, max = 200) List<Input> inputs,
            @ForAll @IntRange(min = 64, max = 20_000) int maxSize,
            @ForAll @LongRange(min = 1, max = 50) long maxCount) throws Exception {
        Aggregator aggregator = new Aggregator(new AggregationLimits(maxCount, maxSize));
        List<Input> current = new ArrayList<>();
        List<Input> readBack = new ArrayList<>();
        List<Input> sentAlone = new ArrayList<>();
        for (Input in : inputs) {
            long predicted = aggregator.sizeIfAdded(in.partitionKey(), in.explicitHashKey(), in.data().length);
            AddResult result = aggregator.tryAdd(in.partitionKey(), in.explicitHashKey(), in.data());
            if (result == AddResult.FULL) {
                assertThat(predicted > maxSize || aggregator.count() == maxCount).isTrue();
                readBack.addAll(flush(aggregator, current, maxSize));
                predicted = aggregator.sizeIfAdded(in.partitionKey(), in.explicitHashKey(), in.data().length);
                result = aggregator.tryAdd(in.partitionKey(), in.explicitHashKey(), in.data());
                assertThat(result).isNotEqualTo(AddResult.FULL);
            }
            if (result == AddResult.TOO_LARGE) {
                assertThat(predicted).isGreaterThan(maxSize);
                sentAlone.add(in);
                continue;
            }
            assertThat(result).isEqualTo(AddResult.ADDED);
            assertThat(aggregator.size()).isEqualTo(predicted).isLessThanOrEqualTo(maxSize);
            assertThat(aggregator.count()).isLessThanOrEqualTo(maxCount);
            current.add(in);
        }
        if (!aggregator.isEmpty()) {
            readBack.addAll(flush(aggregator, current, maxSize));
        }
        List<Input> expected = new ArrayList<>(inputs);
        expected.removeAll(sentAlone);
        assertThat(readBack).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(readBack.get(i).partitionKey()).isEqualTo(expected.get(i).partitionKey());
            assertThat(readBack.get(i).explicitHashKey()).isEqualTo(expected.get(i).explicitHashKey());
            assertThat(readBack.get(i).data()).isEqualTo(expected.get(i).data());
        }
    }

    private static List<Input> flush(Aggregator aggregator, List<Input> current, int maxSize) throws Exception {
        byte[] bytes = aggregator.toBytes();
        assertThat(bytes.length).isEqualTo(aggregator.size()).isLessThanOrEqualTo(maxSize);
        assertThat(bytes).isEqualTo(ProtoReference.aggregate(current));
        List<DeaggregatedRecord> records = Deaggregator.deaggregate("outer", null, bytes);
        List<Input> out = new ArrayList<>();
        long subSequence = 0;
        for (DeaggregatedRecord r : records) {
            assertThat(r.aggregated()).isTrue();
            assertThat(r.subSequenceNumber()).isEqualTo(subSequence++);
            out.add(new Input(r.partitionKey(), r.explicitHashKey(), r.data()));
        }
        aggregator.reset();
        current.clear();
        return out;
    }
}
