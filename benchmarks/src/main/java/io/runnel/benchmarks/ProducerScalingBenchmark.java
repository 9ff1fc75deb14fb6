package io.runnel.benchmarks;

import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ConfigKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How the producer's cost per user record changes with the threads that add records and the shards they go to:
 * {@link ProducerIngestBenchmark}'s workload (100-byte records, 1,000 keys, aggregation on, an in-memory Kinesis that
 * answers at once) with {@code callers} threads adding their share of the records at the same time, to a stream of
 * {@code shards} shards, with {@code pipelineThreads} pipeline threads. A producer that scales keeps the time per
 * record falling as callers and pipeline threads are added (up to the machine's cores) and flat as shards are.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProducerScalingBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ProducerScalingBenchmark {
    /**
     * Records per invocation: enough that the end of each (the last requests' round trip after the flush, a few
     * milliseconds) is a small share of its time. Their data cycles through {@link #DISTINCT_DATA} arrays.
     */
    static final int RECORDS = 1_000_000;
    static final int DISTINCT_DATA = 100_000;
    static final int KEYS = 1_000;

    @Param({"1", "2", "4"})
    int callers;

    @Param({"4", "16", "64"})
    int shards;

    /** PipelineThreads: the producer's threads that aggregate, pace and send, each owning a slice of the keys. */
    @Param({"1", "2"})
    int pipelineThreads;

    String[] keys;
    byte[][] data;
    ProducerIngestBenchmark.FakeKinesis kinesis;
    KinesisProducer producer;
    ExecutorService callerThreads;

    @Setup(Level.Trial)
    public void setUp() {
        keys = ProducerIngestBenchmark.keys(KEYS);
        data = ProducerIngestBenchmark.records(DISTINCT_DATA);
        kinesis = new ProducerIngestBenchmark.FakeKinesis(shards);
        producer = new KinesisProducer(ProducerIngestBenchmark.againstTheFake()
                .set(ConfigKeys.PIPELINE_THREADS, (long) pipelineThreads).build(), kinesis);
        callerThreads = Executors.newFixedThreadPool(callers);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        callerThreads.shutdownNow();
        producer.close(Duration.ofSeconds(30));
        kinesis.close();
    }

    /** {@link #RECORDS} records added by {@code callers} threads at once (each every callers-th), then flushed. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long producer() throws Exception {
        List<Future<CompletableFuture<UserRecordResult>>> parts = new ArrayList<>(callers);
        for (int c = 0; c < callers; c++) {
            int first = c;
            parts.add(callerThreads.submit(() -> {
                CompletableFuture<UserRecordResult> last = null;
                for (int i = first; i < RECORDS; i += callers) {
                    last = producer.addUserRecord("bench", keys[i % KEYS], data[i % DISTINCT_DATA]);
                }
                return last;
            }));
        }
        List<CompletableFuture<UserRecordResult>> lasts = new ArrayList<>(callers);
        for (Future<CompletableFuture<UserRecordResult>> part : parts) {
            lasts.add(part.get());
        }
        // Flush before waiting for the last records: otherwise each invocation also waits RecordMaxBufferedTime for
        // the last aggregates' deadline, and that wait, not the producer's work, becomes the time per record.
        producer.flushSync();
        for (CompletableFuture<UserRecordResult> last : lasts) {
            if (last != null && !last.get().successful()) {
                throw new IllegalStateException("record failed: " + last.get());
            }
        }
        return kinesis.records.get();
    }
}
