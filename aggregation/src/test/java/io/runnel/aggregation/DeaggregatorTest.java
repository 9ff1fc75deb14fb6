package io.runnel.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.runnel.aggregation.ProtoReference.Input;
import io.runnel.aggregation.proto.Messages;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeaggregatorTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void assertPassedThrough(byte[] data) {
        List<DeaggregatedRecord> out = Deaggregator.deaggregate("outer-pk", "77", data);
        assertThat(out).containsExactly(new DeaggregatedRecord("outer-pk", "77", data, 0, false));
        assertThat(out.get(0).data()).isSameAs(data);
    }

    @Test
    void readsBackEveryUserRecordWithItsKeysAndSubSequenceNumber() throws Exception {
        List<Input> inputs = List.of(
                new Input("a", null, bytes("1")),
                new Input("b", "123", bytes("")),
                new Input("a", "123", bytes("3")));
        byte[] aggregate = ProtoReference.aggregate(inputs);
        assertThat(Deaggregator.isAggregated(aggregate)).isTrue();
        assertThat(Deaggregator.deaggregate("ignored", null, aggregate)).containsExactly(
                new DeaggregatedRecord("a", null, bytes("1"), 0, true),
                new DeaggregatedRecord("b", "123", bytes(""), 1, true),
                new DeaggregatedRecord("a", "123", bytes("3"), 2, true));
    }

    @Test
    void tagsWrittenByOtherProducersAreIgnored() throws Exception {
        Messages.AggregatedRecord message = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("pk")
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).setData(ByteString.copyFromUtf8("x"))
                        .addTags(Messages.Tag.newBuilder().setKey("k").setValue("v")))
                .build();
        assertThat(Deaggregator.deaggregate("o", null, ProtoReference.frame(message.toByteArray())))
                .containsExactly(new DeaggregatedRecord("pk", null, bytes("x"), 0, true));
    }

    @Test
    void plainDataIsNotAggregated() {
        assertPassedThrough(bytes("just a log line"));
        assertPassedThrough(new byte[0]);
        assertPassedThrough(Arrays.copyOf(AggregationFormat.MAGIC, 3));
    }

    @Test
    void magicWithoutBodyIsNotAggregated() {
        assertPassedThrough(AggregationFormat.MAGIC.clone());
        assertPassedThrough(Arrays.copyOf(AggregationFormat.MAGIC, AggregationFormat.OVERHEAD_BYTES));
    }

    @Test
    void wrongDigestIsNotAggregated() throws Exception {
        byte[] aggregate = ProtoReference.aggregate(List.of(new Input("a", null, bytes("1"))));
        aggregate[aggregate.length - 1] ^= 1;
        assertThat(Deaggregator.isAggregated(aggregate)).isFalse();
        assertPassedThrough(aggregate);
    }

    @Test
    void truncatedAggregateIsNotAggregated() throws Exception {
        byte[] aggregate = ProtoReference.aggregate(List.of(new Input("a", null, bytes("12345"))));
        for (int cut = 1; cut < aggregate.length; cut++) {
            assertPassedThrough(Arrays.copyOf(aggregate, aggregate.length - cut));
        }
    }

    @Test
    void validDigestOverGarbageIsNotAggregated() throws Exception {
        assertPassedThrough(ProtoReference.frame(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}));
        // A record without its required data field does not parse.
        byte[] missingData = Messages.AggregatedRecord.newBuilder().addPartitionKeyTable("a")
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).buildPartial())
                .buildPartial().toByteArray();
        assertPassedThrough(ProtoReference.frame(missingData));
    }

    @Test
    void keyIndexOutsideTheTablesReturnsTheWholeRecordInsteadOfHalf() throws Exception {
        Messages.AggregatedRecord badPk = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("a")
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).setData(ByteString.copyFromUtf8("ok")))
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(1).setData(ByteString.copyFromUtf8("x")))
                .build();
        assertPassedThrough(ProtoReference.frame(badPk.toByteArray()));
        Messages.AggregatedRecord badEhk = Messages.AggregatedRecord.newBuilder()
                .addPartitionKeyTable("a")
                .addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).setExplicitHashKeyIndex(0)
                        .setData(ByteString.copyFromUtf8("x")))
                .build();
        assertPassedThrough(ProtoReference.frame(badEhk.toByteArray()));
    }

    @Test
    void aggregateWithoutRecordsIsPassedThroughNotDropped() throws Exception {
        byte[] empty = ProtoReference.frame(Messages.AggregatedRecord.newBuilder().addPartitionKeyTable("a").build()
                .toByteArray());
        assertPassedThrough(empty);
    }
}
