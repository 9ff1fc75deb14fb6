package io.runnel.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.aggregation.Aggregator.AddResult;
import io.runnel.aggregation.ProtoReference.Input;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatorTest {
    private static final AggregationLimits ROOMY = new AggregationLimits(1_000_000, 1024 * 1024);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodesExactlyWhatTheProtobufClassesEncode() throws Exception {
        Aggregator aggregator = new Aggregator(ROOMY);
        List<Input> inputs = List.of(
                new Input("alpha", null, bytes("one")),
                new Input("beta", "12345", bytes("two")),
                new Input("alpha", "12345", new byte[0]),
                new Input("gämma ✓ 😀", "0", bytes("four")),
                new Input("beta", null, new byte[300]));
        for (Input in : inputs) {
            assertThat(aggregator.tryAdd(in.partitionKey(), in.explicitHashKey(), in.data()))
                    .isEqualTo(AddResult.ADDED);
        }
        byte[] encoded = aggregator.toBytes();
        assertThat(encoded).isEqualTo(ProtoReference.aggregate(inputs));
        assertThat(aggregator.size()).isEqualTo(encoded.length);
        assertThat(aggregator.count()).isEqualTo(5);
    }

    @Test
    void sharesKeysThroughTheTables() throws Exception {
        Aggregator aggregator = new Aggregator(ROOMY);
        for (int i = 0; i < 100; i++) {
            aggregator.tryAdd("key-" + (i % 3), i % 2 == 0 ? "42" : null, bytes("d" + i));
        }
        byte[] encoded = aggregator.toBytes();
        var message = io.runnel.aggregation.proto.Messages.AggregatedRecord.parseFrom(
                java.util.Arrays.copyOfRange(encoded, 4, encoded.length - 16));
        assertThat(message.getPartitionKeyTableList()).containsExactly("key-0", "key-1", "key-2");
        assertThat(message.getExplicitHashKeyTableList()).containsExactly("42");
        assertThat(message.getRecordsCount()).isEqualTo(100);
    }

    @Test
    void recordThatExactlyFillsTheSizeLimitIsAddedAndTheNextIsFull() {
        Aggregator probe = new Aggregator(ROOMY);
        probe.tryAdd("k", null, new byte[100]);
        int sizeWithHundred = probe.size();

        Aggregator aggregator = new Aggregator(new AggregationLimits(100, sizeWithHundred));
        assertThat(aggregator.sizeIfAdded("k", null, 100)).isEqualTo(sizeWithHundred);
        assertThat(aggregator.tryAdd("k", null, new byte[100])).isEqualTo(AddResult.ADDED);
        assertThat(aggregator.size()).isEqualTo(sizeWithHundred);
        assertThat(aggregator.tryAdd("k", null, new byte[0])).isEqualTo(AddResult.FULL);
        assertThat(aggregator.count()).isEqualTo(1);
        assertThat(aggregator.size()).isEqualTo(sizeWithHundred);
    }

    @Test
    void recordLargerThanAnEmptyAggregateIsTooLargeEvenWhenAggregatorHasRecords() {
        Aggregator aggregator = new Aggregator(new AggregationLimits(100, 200));
        assertThat(aggregator.tryAdd("k", null, new byte[10])).isEqualTo(AddResult.ADDED);
        int before = aggregator.size();
        assertThat(aggregator.tryAdd("k", null, new byte[200])).isEqualTo(AddResult.TOO_LARGE);
        assertThat(aggregator.size()).isEqualTo(before);
        assertThat(new Aggregator(new AggregationLimits(100, 200)).tryAdd("k", null, new byte[200]))
                .isEqualTo(AddResult.TOO_LARGE);
    }

    @Test
    void recordsUpToTheLargestAggregateRoundTrip() {
        for (int maxSize : new int[] {51_200, 1024 * 1024, AggregationLimits.MAX_SIZE_BYTES}) {
            Aggregator aggregator = new Aggregator(new AggregationLimits(10, maxSize));
            // The largest data that fits: shrink from maxSize until the exact prediction fits.
            int length = maxSize;
            while (aggregator.sizeIfAdded("max", "1", length) > maxSize) {
                length--;
            }
            byte[] data = new byte[length];
            new java.util.Random(maxSize).nextBytes(data);
            assertThat(aggregator.tryAdd("max", "1", new byte[length + 1])).isEqualTo(AddResult.TOO_LARGE);
            assertThat(aggregator.tryAdd("max", "1", data)).isEqualTo(AddResult.ADDED);
            byte[] encoded = aggregator.toBytes();
            assertThat(encoded).hasSize(maxSize);
            assertThat(Deaggregator.deaggregate("o", null, encoded))
                    .containsExactly(new DeaggregatedRecord("max", "1", data, 0, true));
        }
    }

    @Test
    void countLimitMakesTheAggregateFull() {
        Aggregator aggregator = new Aggregator(new AggregationLimits(2, 1024));
        assertThat(aggregator.tryAdd("a", null, bytes("1"))).isEqualTo(AddResult.ADDED);
        assertThat(aggregator.tryAdd("a", null, bytes("2"))).isEqualTo(AddResult.ADDED);
        assertThat(aggregator.tryAdd("a", null, bytes("3"))).isEqualTo(AddResult.FULL);
        assertThat(aggregator.count()).isEqualTo(2);
    }

    @Test
    void resetReusesTheAggregatorAndProducesTheSameBytes() {
        Aggregator aggregator = new Aggregator(ROOMY);
        aggregator.tryAdd("x", "7", bytes("first"));
        aggregator.tryAdd("y", null, bytes("second"));
        byte[] first = aggregator.toBytes();
        aggregator.reset();
        assertThat(aggregator.isEmpty()).isTrue();
        assertThat(aggregator.size()).isEqualTo(AggregationFormat.OVERHEAD_BYTES);
        aggregator.tryAdd("x", "7", bytes("first"));
        aggregator.tryAdd("y", null, bytes("second"));
        assertThat(aggregator.toBytes()).isEqualTo(first);
    }

    @Test
    void firstKeysDescribeTheFirstRecord() {
        Aggregator aggregator = new Aggregator(ROOMY);
        assertThat(aggregator.firstPartitionKey()).isNull();
        aggregator.tryAdd("first", null, bytes("a"));
        aggregator.tryAdd("second", "99", bytes("b"));
        assertThat(aggregator.firstPartitionKey()).isEqualTo("first");
        assertThat(aggregator.firstExplicitHashKey()).isNull();
        aggregator.reset();
        aggregator.tryAdd("third", "5", bytes("c"));
        assertThat(aggregator.firstPartitionKey()).isEqualTo("third");
        assertThat(aggregator.firstExplicitHashKey()).isEqualTo("5");
    }

    @Test
    void byteBufferAndSliceInputsAreCopiedWithoutMovingTheCaller() {
        Aggregator fromArray = new Aggregator(ROOMY);
        fromArray.tryAdd("k", null, bytes("payload"));

        ByteBuffer direct = ByteBuffer.allocateDirect(16);
        direct.put(bytes("xxpayload")).flip().position(2);
        Aggregator fromBuffer = new Aggregator(ROOMY);
        fromBuffer.tryAdd("k", null, direct);
        assertThat(direct.position()).isEqualTo(2);

        Aggregator fromSlice = new Aggregator(ROOMY);
        fromSlice.tryAdd("k", null, bytes("--payload--"), 2, 7);

        assertThat(fromBuffer.toBytes()).isEqualTo(fromArray.toBytes());
        assertThat(fromSlice.toBytes()).isEqualTo(fromArray.toBytes());
    }

    @Test
    void drainToWritesIntoHeapAndDirectBuffersAndResets() {
        Aggregator aggregator = new Aggregator(ROOMY);
        aggregator.tryAdd("k", null, bytes("v"));
        byte[] expected = aggregator.toBytes();

        ByteBuffer heap = ByteBuffer.allocate(expected.length + 3).position(3);
        assertThat(aggregator.drainTo(heap)).isEqualTo(expected.length);
        assertThat(aggregator.isEmpty()).isTrue();
        byte[] fromHeap = new byte[expected.length];
        heap.flip().position(3);
        heap.get(fromHeap);
        assertThat(fromHeap).isEqualTo(expected);

        aggregator.tryAdd("k", null, bytes("v"));
        ByteBuffer direct = ByteBuffer.allocateDirect(expected.length);
        aggregator.drainTo(direct);
        byte[] fromDirect = new byte[expected.length];
        direct.flip().get(fromDirect);
        assertThat(fromDirect).isEqualTo(expected);

        aggregator.tryAdd("k", null, bytes("v"));
        assertThatThrownBy(() -> aggregator.drainTo(ByteBuffer.allocate(expected.length - 1)))
                .isInstanceOf(java.nio.BufferOverflowException.class);
        assertThat(aggregator.count()).isEqualTo(1);
    }

    @Test
    void emptyAggregateCannotBeEncoded() {
        assertThatThrownBy(() -> new Aggregator(ROOMY).toBytes()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one user record");
    }

    @Test
    void invalidKeysAreRejectedWithTheFieldNamedAndNothingAdded() {
        Aggregator aggregator = new Aggregator(ROOMY);
        assertThatThrownBy(() -> aggregator.tryAdd("", null, bytes("x")))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.field()).isEqualTo(InvalidRecordException.Field.PARTITION_KEY))
                .hasMessageContaining("PartitionKey");
        assertThatThrownBy(() -> aggregator.tryAdd("k", "01", bytes("x")))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.field()).isEqualTo(InvalidRecordException.Field.EXPLICIT_HASH_KEY))
                .hasMessageContaining("\"01\"");
        assertThatThrownBy(() -> aggregator.sizeIfAdded("k", null, -1))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.field()).isEqualTo(InvalidRecordException.Field.DATA));
        assertThat(aggregator.isEmpty()).isTrue();
        assertThat(aggregator.size()).isEqualTo(AggregationFormat.OVERHEAD_BYTES);
    }

    @Test
    void manyDistinctKeysGrowTheTablesAndStayIndexedCorrectly() throws Exception {
        Aggregator aggregator = new Aggregator(ROOMY);
        List<Input> inputs = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            Input in = new Input("pk-" + (i * 7919 % 2000), i % 5 == 0 ? Integer.toString(i % 300) : null,
                    bytes(Integer.toString(i)));
            inputs.add(in);
            assertThat(aggregator.tryAdd(in.partitionKey(), in.explicitHashKey(), in.data()))
                    .isEqualTo(AddResult.ADDED);
        }
        assertThat(aggregator.toBytes()).isEqualTo(ProtoReference.aggregate(inputs));
    }
}
