package io.runnel.benchmarks;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one PutRecords request body, CBOR against JSON (the JSON 1.1 protocol base64-encodes every blob), and
 * decoding it back as the backend does. {@code aggregated}: 100 KPL aggregates of ~50 KiB (a full 5 MiB request as
 * the producer sends it); {@code small}: 500 records of 100 bytes. Compare the two protocols' scores in the same run.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar PutRecordsCodecBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PutRecordsCodecBenchmark {
    @Param({"aggregated", "small"})
    String shape;

    @Param({"CBOR", "JSON"})
    String protocol;

    KinesisCodec codec;
    PutRecordsRequest request;
    byte[] encoded;
    ByteArrayOutputStream out;

    @Setup
    public void setUp() {
        codec = "CBOR".equals(protocol) ? KinesisCodec.cbor() : KinesisCodec.json();
        Random random = new Random(7);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        if ("aggregated".equals(shape)) {
            Aggregator aggregator = new Aggregator(AggregationLimits.KPL_DEFAULTS);
            for (int a = 0; a < 100; a++) {
                aggregator.reset();
                byte[] data = new byte[100];
                int i = 0;
                while (aggregator.tryAdd("key-" + (i % 1000), null, data) == Aggregator.AddResult.ADDED) {
                    random.nextBytes(data);
                    i++;
                }
                entries.add(new PutRecordsRequestEntry(aggregator.toBytes(), "1234567890123456789012345678901234567",
                        "key-0"));
            }
        } else {
            for (int i = 0; i < 500; i++) {
                byte[] data = new byte[100];
                random.nextBytes(data);
                entries.add(new PutRecordsRequestEntry(data, null, "key-" + i));
            }
        }
        request = new PutRecordsRequest("bench", null, entries);
        out = new ByteArrayOutputStream(6 * 1024 * 1024);
        codec.encodeRequest(Operation.PUT_RECORDS, request, out);
        encoded = out.toByteArray();
    }

    @Benchmark
    public int encode() {
        out.reset();
        codec.encodeRequest(Operation.PUT_RECORDS, request, out);
        return out.size();
    }

    @Benchmark
    public Object decode() {
        return codec.decodeRequest(Operation.PUT_RECORDS, encoded, 0, encoded.length);
    }
}
