package io.runnel.benchmarks;

import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.PutRecordsEntries;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.model.ListShardsResponse;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsResponse;
import io.runnel.wire.model.PutRecordsResultEntry;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * The producer's own cost per user record, end to end from {@code addUserRecord} to the completed future, with the
 * network taken out: the Kinesis client is an in-memory fake that answers every PutRecords at once (on its own
 * thread, as an I/O thread would) with each record on the shard its hash key belongs to. 1,000 keys, 100-byte
 * records, 4 shards, aggregation on, RateLimit off, the KPL's defaults otherwise.
 *
 * <p>{@code unavoidableWork} is the floor measured in the same run: the MD5 of each partition key and packing the
 * records into aggregates (with their MD5 trailer), single-threaded. The ratio {@code producer / unavoidableWork} is
 * the producer's overhead: ring buffer, futures, batching, completion. {@code producerWhenComplete} and
 * {@code producerCallback} count every outcome, through a {@code whenComplete} on each future or through the
 * callback form of {@code addUserRecord}: what the callback form saves (compare their {@code -prof gc} figures).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ProducerIngestBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class ProducerIngestBenchmark {
    static final int RECORDS = 100_000;
    static final int KEYS = 1_000;
    static final int SHARDS = 4;

    String[] keys;
    byte[][] data;
    FakeKinesis kinesis;
    KinesisProducer producer;
    Aggregator aggregator;

    @Setup(Level.Trial)
    public void setUp() {
        keys = keys(KEYS);
        data = records(RECORDS);
        kinesis = new FakeKinesis(SHARDS);
        producer = new KinesisProducer(againstTheFake().build(), kinesis);
        aggregator = new Aggregator(AggregationLimits.KPL_DEFAULTS);
    }

    /**
     * The producer settings every benchmark against {@link FakeKinesis} starts from: the fake has no shard limits, so
     * the client-side limiter has nothing to protect (RateLimit lifted).
     */
    static ProducerConfig.Builder againstTheFake() {
        return ProducerConfig.builder().region("us-east-1").recordTtl(Duration.ofMinutes(1))
                .set(ConfigKeys.RATE_LIMIT, 1_000_000L);
    }

    /** {@code pk-0} … {@code pk-(n-1)}. */
    static String[] keys(int n) {
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = "pk-" + i;
        }
        return keys;
    }

    /** {@code n} records of 100 bytes, record {@code i} starting with {@code i|}. */
    static byte[][] records(int n) {
        byte[][] data = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] d = new byte[100];
            byte[] index = (i + "|").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(index, 0, d, 0, index.length);
            data[i] = d;
        }
        return data;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        producer.close(Duration.ofSeconds(30));
        kinesis.close();
    }

    /** Every record through the producer until its future completes; one calling thread. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long producer() throws Exception {
        CompletableFuture<UserRecordResult> last = null;
        for (int i = 0; i < RECORDS; i++) {
            last = producer.addUserRecord("bench", keys[i % KEYS], data[i]);
        }
        producer.flushSync();
        if (!last.get().successful()) {
            throw new IllegalStateException("record failed: " + last.get());
        }
        return kinesis.records.get();
    }

    /** Outcomes the two benchmarks below saw (a callback per record, as an application counts what it sent). */
    final java.util.concurrent.atomic.LongAdder seen = new java.util.concurrent.atomic.LongAdder();

    /** As {@link #producer}, with {@code whenComplete} on every future: a dependent future and a node per record. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long producerWhenComplete() {
        for (int i = 0; i < RECORDS; i++) {
            producer.addUserRecord("bench", keys[i % KEYS], data[i]).whenComplete((r, e) -> seen.increment());
        }
        producer.flushSync();
        return seen.sum();
    }

    /** As {@link #producerWhenComplete}, the outcome handed to a callback instead of a future. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long producerCallback() {
        for (int i = 0; i < RECORDS; i++) {
            producer.addUserRecord("bench", keys[i % KEYS], data[i], (r, e) -> seen.increment());
        }
        producer.flushSync();
        return seen.sum();
    }

    /** The floor: MD5 of every key and aggregation of every record (per predicted shard, as the producer does). */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long unavoidableWork() {
        long sink = 0;
        Aggregator[] perShard = new Aggregator[SHARDS];
        for (int s = 0; s < SHARDS; s++) {
            perShard[s] = new Aggregator(AggregationLimits.KPL_DEFAULTS);
        }
        for (int i = 0; i < RECORDS; i++) {
            String key = keys[i % KEYS];
            HashKey hash = HashKey.md5Of(key);
            Aggregator a = perShard[(int) ((hash.hi() >>> 62) & 3)];
            if (a.tryAdd(key, null, data[i]) == Aggregator.AddResult.FULL) {
                sink += a.toBytes().length;
                a.reset();
                a.tryAdd(key, null, data[i]);
            }
        }
        for (Aggregator a : perShard) {
            if (a.count() > 0) {
                sink += a.toBytes().length;
            }
        }
        return sink;
    }

    /** An in-memory Kinesis of {@code shardCount} even shards, PutRecords answered at once from its own thread. */
    static final class FakeKinesis implements KinesisClient {
        final List<HashKeyRange> ranges;
        final List<Shard> shards = new ArrayList<>();
        final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fake-kinesis-io");
            t.setDaemon(true);
            return t;
        });
        final AtomicLong records = new AtomicLong();
        final AtomicLong sequence = new AtomicLong();

        FakeKinesis(int shardCount) {
            ranges = HashKeyRange.split(HashKeyRange.ALL, shardCount);
            for (int i = 0; i < shardCount; i++) {
                HashKeyRange r = ranges.get(i);
                shards.add(new Shard(shardId(i), null, null, new ShardHashKeyRange(
                        r.startInclusive().toDecimalString(), r.endInclusive().toDecimalString()),
                        new SequenceNumberRange("0", null)));
            }
        }

        static String shardId(int i) {
            return String.format("shardId-%012d", i);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R extends Record> CompletableFuture<R> execute(Operation operation, Record request,
                Class<R> responseType) {
            return CompletableFuture.supplyAsync(() -> switch (operation) {
                case LIST_SHARDS -> (R) new ListShardsResponse(shards, null);
                case PUT_RECORDS -> (R) put((PutRecordsRequest) request);
                default -> throw new UnsupportedOperationException(operation.name());
            }, io);
        }

        /**
         * As NettyKinesisClient does, takes the records' data where the producer keeps it rather than in arrays of
         * their own (which the default method would copy); only the keys are needed here, read before returning.
         */
        @Override
        public CompletableFuture<PutRecordsResponse> putRecords(String streamName, String streamARN,
                PutRecordsEntries entries) {
            String[] partitionKeys = new String[entries.size()];
            String[] explicitHashKeys = new String[entries.size()];
            for (int i = 0; i < partitionKeys.length; i++) {
                partitionKeys[i] = entries.partitionKey(i);
                explicitHashKeys[i] = entries.explicitHashKey(i);
            }
            return CompletableFuture.supplyAsync(() -> put(partitionKeys, explicitHashKeys), io);
        }

        private PutRecordsResponse put(PutRecordsRequest request) {
            int n = request.records().size();
            String[] partitionKeys = new String[n];
            String[] explicitHashKeys = new String[n];
            for (int i = 0; i < n; i++) {
                partitionKeys[i] = request.records().get(i).partitionKey();
                explicitHashKeys[i] = request.records().get(i).explicitHashKey();
            }
            return put(partitionKeys, explicitHashKeys);
        }

        private PutRecordsResponse put(String[] partitionKeys, String[] explicitHashKeys) {
            List<PutRecordsResultEntry> results = new ArrayList<>(partitionKeys.length);
            for (int i = 0; i < partitionKeys.length; i++) {
                HashKey key = explicitHashKeys[i] != null ? HashKey.parseDecimal(explicitHashKeys[i])
                        : HashKey.md5Of(partitionKeys[i]);
                int shard = 0;
                while (!ranges.get(shard).contains(key)) {
                    shard++;
                }
                results.add(new PutRecordsResultEntry(Long.toString(sequence.incrementAndGet()), shardId(shard),
                        null, null));
            }
            records.addAndGet(results.size());
            return new PutRecordsResponse(0, results, null);
        }

        @Override
        public void close() {
            io.shutdownNow();
        }
    }
}
