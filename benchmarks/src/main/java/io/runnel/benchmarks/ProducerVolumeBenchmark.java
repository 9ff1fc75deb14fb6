package io.runnel.benchmarks;

import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Whether the producer's cost per user record stays flat as the volume grows: bursts of 10^5, 10^6 and 10^7 records
 * (each flushed and waited for), every one through the same producer for the whole trial, so the later bursts come
 * after tens of millions of records. {@link ProducerIngestBenchmark}'s workload otherwise: 100-byte records, 1,000
 * keys, 4 shards, aggregation on, an in-memory Kinesis that answers at once, RateLimit lifted.
 *
 * <p>What would make the cost grow with volume: state that grows with the records seen (maps, lists, counters), a
 * heap the collector has to work harder in as the run goes on, or a burst's end (the flush, the last round trips) that
 * costs more than a sliver of it.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProducerVolumeBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ProducerVolumeBenchmark {
    static final int DISTINCT_DATA = 100_000;
    static final int KEYS = 1_000;
    static final int SHARDS = 4;

    String[] keys;
    byte[][] data;
    ProducerIngestBenchmark.FakeKinesis kinesis;
    KinesisProducer producer;

    @Setup(Level.Trial)
    public void setUp() {
        keys = ProducerIngestBenchmark.keys(KEYS);
        data = ProducerIngestBenchmark.records(DISTINCT_DATA);
        kinesis = new ProducerIngestBenchmark.FakeKinesis(SHARDS);
        producer = new KinesisProducer(ProducerIngestBenchmark.againstTheFake().build(), kinesis);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        producer.close(Duration.ofSeconds(30));
        kinesis.close();
    }

    /** 10^5 records, flushed and waited for. */
    @Benchmark
    @OperationsPerInvocation(100_000)
    public long records100k() throws Exception {
        return burst(100_000);
    }

    /** 10^6 records, flushed and waited for. */
    @Benchmark
    @OperationsPerInvocation(1_000_000)
    public long records1m() throws Exception {
        return burst(1_000_000);
    }

    /** 10^7 records, flushed and waited for. */
    @Benchmark
    @OperationsPerInvocation(10_000_000)
    public long records10m() throws Exception {
        return burst(10_000_000);
    }

    private long burst(int records) throws Exception {
        CompletableFuture<UserRecordResult> last = null;
        for (int i = 0; i < records; i++) {
            last = producer.addUserRecord("bench", keys[i % KEYS], data[i % DISTINCT_DATA]);
        }
        producer.flushSync(); // the burst's end: its last aggregates go now, not after RecordMaxBufferedTime
        UserRecordResult result = last.get();
        if (!result.successful()) {
            throw new IllegalStateException("record failed: " + result);
        }
        return kinesis.records.get();
    }
}
