package io.runnel.benchmarks;

import io.runnel.producer.internal.ShardMap;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
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
 * Cost per record of predicting its shard: MD5 of the partition key, then finding the shard whose hash key range
 * holds it. {@code bigIntegerBaseline} does it the obvious way (MessageDigest, BigInteger, a linear scan of the ranges
 * as BigIntegers, as KPL-style Java code commonly does); {@code runnel} uses HashKey (two longs) and the producer's
 * ShardMap snapshot (binary search over long arrays, no allocation beyond the key).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar ShardPredictionBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ShardPredictionBenchmark {
    static final int KEYS = 1024;

    @Param({"4", "64"})
    int shards;

    String[] keys;
    ShardMap.Snapshot snapshot;
    BigInteger[] starts;
    BigInteger[] ends;
    String[] ids;
    MessageDigest md5;

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "user-" + (i * 7919L);
        }
        List<HashKeyRange> ranges = HashKeyRange.split(HashKeyRange.ALL, shards);
        List<Shard> list = new ArrayList<>();
        starts = new BigInteger[shards];
        ends = new BigInteger[shards];
        ids = new String[shards];
        for (int i = 0; i < shards; i++) {
            String start = ranges.get(i).startInclusive().toDecimalString();
            String end = ranges.get(i).endInclusive().toDecimalString();
            ids[i] = String.format("shardId-%012d", i);
            list.add(new Shard(ids[i], null, null, new ShardHashKeyRange(start, end),
                    new SequenceNumberRange("0", null)));
            starts[i] = new BigInteger(start);
            ends[i] = new BigInteger(end);
        }
        snapshot = ShardMap.Snapshot.of(list);
        md5 = MessageDigest.getInstance("MD5");
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public int runnel() {
        int sink = 0;
        for (String key : keys) {
            sink += snapshot.predict(HashKey.md5Of(key)).length();
        }
        return sink;
    }

    @Benchmark
    @OperationsPerInvocation(KEYS)
    public int bigIntegerBaseline() {
        int sink = 0;
        for (String key : keys) {
            BigInteger hash = new BigInteger(1, md5.digest(key.getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < starts.length; i++) {
                if (hash.compareTo(starts[i]) >= 0 && hash.compareTo(ends[i]) <= 0) {
                    sink += ids[i].length();
                    break;
                }
            }
        }
        return sink;
    }
}
