package io.runnel.benchmarks;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import io.runnel.aggregation.Deaggregator;
import io.runnel.aggregation.proto.Messages;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost per user record of building and reading KPL aggregates. {@code protobufBaseline} builds the same aggregates
 * the obvious way, with the generated protobuf classes and a HashMap of keys: the ratio to it is what the incremental
 * encoder buys. Each invocation handles {@link #RECORDS} user records into aggregates of the KPL's default limits.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar AggregatorBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AggregatorBenchmark {
    static final int RECORDS = 1024;

    @Param({"100"})
    int recordBytes;

    @Param({"1000"})
    int distinctKeys;

    String[] keys;
    byte[][] data;
    Aggregator aggregator;
    byte[] oneAggregate;

    @Setup
    public void setUp() {
        Random random = new Random(42);
        keys = new String[RECORDS];
        data = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            keys[i] = "pk-" + random.nextInt(distinctKeys);
            data[i] = new byte[recordBytes];
            random.nextBytes(data[i]);
        }
        aggregator = new Aggregator(AggregationLimits.KPL_DEFAULTS);
        Aggregator full = new Aggregator(AggregationLimits.KPL_DEFAULTS);
        for (int i = 0; i < RECORDS; i++) {
            if (full.tryAdd(keys[i], null, data[i]) != Aggregator.AddResult.ADDED) {
                break;
            }
        }
        oneAggregate = full.toBytes();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long runnelAggregator() {
        long bytes = 0;
        Aggregator a = aggregator;
        for (int i = 0; i < RECORDS; i++) {
            if (a.tryAdd(keys[i], null, data[i]) == Aggregator.AddResult.FULL) {
                bytes += a.toBytes().length;
                a.reset();
                a.tryAdd(keys[i], null, data[i]);
            }
        }
        bytes += a.toBytes().length;
        a.reset();
        return bytes;
    }

    /**
     * The usual Java way (as in the public kinesis-aggregation library): keep the user records in a list, track the
     * size with protobuf's size helpers, and at flush build the message with the generated builders, serialise it and
     * hash it.
     */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long protobufBaseline() throws Exception {
        long bytes = 0;
        Map<String, Integer> pks = new HashMap<>();
        List<Integer> indices = new ArrayList<>();
        List<byte[]> pending = new ArrayList<>();
        long size = 20;
        for (int i = 0; i < RECORDS; i++) {
            Integer index = pks.get(keys[i]);
            long grow = 0;
            int newIndex = index == null ? pks.size() : index;
            if (index == null) {
                grow += CodedOutputStream.computeStringSize(1, keys[i]);
            }
            int body = CodedOutputStream.computeUInt64Size(1, newIndex) + CodedOutputStream.computeBytesSize(3,
                    ByteString.copyFrom(data[i]));
            grow += CodedOutputStream.computeTagSize(3) + CodedOutputStream.computeUInt32SizeNoTag(body) + body;
            if (size + grow > 51_200) {
                bytes += flush(pks, indices, pending).length;
                size = 20;
                i--;
                continue;
            }
            if (index == null) {
                pks.put(keys[i], newIndex);
            }
            indices.add(newIndex);
            pending.add(data[i]);
            size += grow;
        }
        bytes += flush(pks, indices, pending).length;
        return bytes;
    }

    private static byte[] flush(Map<String, Integer> pks, List<Integer> indices, List<byte[]> pending)
            throws Exception {
        Messages.AggregatedRecord.Builder builder = Messages.AggregatedRecord.newBuilder();
        String[] table = new String[pks.size()];
        pks.forEach((k, v) -> table[v] = k);
        builder.addAllPartitionKeyTable(Arrays.asList(table));
        for (int i = 0; i < pending.size(); i++) {
            builder.addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(indices.get(i))
                    .setData(ByteString.copyFrom(pending.get(i))));
        }
        byte[] protobuf = builder.build().toByteArray();
        byte[] out = new byte[protobuf.length + 20];
        System.arraycopy(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2}, 0, out, 0, 4);
        System.arraycopy(protobuf, 0, out, 4, protobuf.length);
        System.arraycopy(MessageDigest.getInstance("MD5").digest(protobuf), 0, out, 4 + protobuf.length, 16);
        pks.clear();
        indices.clear();
        pending.clear();
        return out;
    }

    /** Reading one aggregate of the KPL's default size back (about 390 records of 100 bytes). */
    @Benchmark
    public List<?> deaggregateOneAggregate() {
        return Deaggregator.deaggregate("outer", null, oneAggregate);
    }
}
