package io.runnel.benchmarks;

import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * Signing one PutRecords request the way the producer's sender does (SigV4: the payload's SHA-256, the canonical
 * request, two more SHA-256/HMAC steps). {@code payload}: the body's size; 1 KiB shows the fixed cost of a signature,
 * 84 KiB is about what a request carries at the shard limit (4 shards, 100-byte records). The instant moves by a
 * second every 4,096 signatures, as it would at a few thousand requests a second.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SigV4Benchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SigV4Benchmark {
    @Param({"1024", "86016"})
    int payload;

    SigV4Signer signer;
    Credentials credentials;
    List<Map.Entry<String, String>> headers;
    ByteBuffer body;
    long calls;
    Instant start;

    @Setup
    public void setUp() {
        signer = new SigV4Signer("us-east-1", "kinesis");
        credentials = Credentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        headers = List.of(Map.entry("Host", "kinesis.us-east-1.amazonaws.com"),
                Map.entry("Content-Type", "application/x-amz-cbor-1.1"),
                Map.entry("X-Amz-Target", "Kinesis_20131202.PutRecords"));
        byte[] data = new byte[payload];
        new Random(7).nextBytes(data);
        body = ByteBuffer.allocateDirect(payload).put(data).flip();
        start = Instant.parse("2026-12-05T12:00:00Z");
    }

    @Benchmark
    public Map<String, String> sign() {
        Instant now = start.plusSeconds(calls++ >> 12);
        return signer.sign(new SignableRequest("POST", "/", null, headers, body), credentials, now);
    }
}
