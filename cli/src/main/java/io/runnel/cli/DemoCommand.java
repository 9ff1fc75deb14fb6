package io.runnel.cli;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.ProducerStats;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.StreamRecord;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel demo}: the producer's main job on the embedded backend — N records into a 4-shard stream, read back,
 * every one accounted for.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the backend in-process, sends records through the producer into a 4-shard stream with a "
            + "live progress line, reads everything back, and prints throughput, latency, aggregation and the proof "
            + "that every record arrived exactly once."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--records", defaultValue = "1000000", description = "Records to send (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--record-size", defaultValue = "100", description = "Bytes per record (default: ${DEFAULT-VALUE}).")
    int recordSize;

    @Option(names = "--shards", defaultValue = "4", description = "Shards of the demo stream (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--keys", defaultValue = "1000", description = "Distinct partition keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--limits", defaultValue = "off", description = "Kinesis' per-shard limits on the backend: off "
            + "(default, to show the producer's speed) or on (1 MiB/s and 1,000 records/s per shard).")
    String limits;

    @Option(names = "--keep-running", description = "Leave the backend running afterwards and print aws CLI commands.")
    boolean keepRunning;

    @Option(names = "--port", defaultValue = "4567", description = "Backend port with --keep-running (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || recordSize < 12 || shards < 1 || keys < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--records, --shards and --keys must be positive and --record-size at least 12");
        }
        PrintStream out = System.out;
        String stream = "demo";
        KinesisBackend backend = KinesisBackend.builder().port(keepRunning ? port : 0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits("on".equals(limits)))
                .createStream(stream, shards).start();
        try {
            out.printf("backend on %s, stream '%s' with %d shards (limits %s)%n", backend.endpoint(), stream, shards,
                    "on".equals(limits) ? "on" : "off");
            // With the backend's limits off there is nothing for the producer's own per-shard limiter to protect.
            long rateLimit = "on".equals(limits) ? 150 : 1_000_000;
            ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                    .kinesisEndpointUrl(backend.endpoint().toString())
                    .set(io.runnel.producer.config.ConfigKeys.RATE_LIMIT, rateLimit).build();
            Recorder latency = new Recorder(3);
            AtomicLong failed = new AtomicLong();
            AtomicLong done = new AtomicLong();
            long start = System.nanoTime();
            ProducerStats stats;
            try (KinesisProducer producer = new KinesisProducer(config,
                    CredentialsProvider.of(Credentials.of("demo", "demo")))) {
                Thread progress = progressLine(done, start);
                byte[] filler = new byte[recordSize];
                Arrays.fill(filler, (byte) '.');
                for (long i = 0; i < records; i++) {
                    byte[] data = payload(i, filler);
                    long sent = System.nanoTime();
                    producer.addUserRecord(stream, "pk-" + (i % keys), data).whenComplete((r, e) -> {
                        latency.recordValue(Math.max(1, (System.nanoTime() - sent) / 1000));
                        if (e != null) {
                            failed.incrementAndGet();
                        }
                        done.incrementAndGet();
                    });
                }
                producer.flushSync();
                progress.interrupt();
                progress.join();
                stats = producer.stats();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Histogram h = latency.getIntervalHistogram();
            out.printf("%nsent      %,d records of %d bytes in %.2f s: %,.0f records/s, %.1f MB/s%n", records,
                    recordSize, seconds, records / seconds, records * (double) recordSize / seconds / 1e6);
            out.printf("latency   p50 %.1f ms, p99 %.1f ms, max %.1f ms (addUserRecord to future)%n",
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
            out.printf("batching  %.1f user records per Kinesis record, %.1f Kinesis records per PutRecords "
                    + "(%,d requests, %,d retries)%n", stats.userRecordsPerKinesisRecord(),
                    stats.kinesisRecordsPerRequest(), stats.putRecordsRequests(), stats.retries());
            Verification v = readBack(backend, stream);
            out.printf("read back %,d user records from %,d Kinesis records: %,d distinct, %,d missing, %,d duplicated, "
                    + "%,d failed futures%n", v.userRecords, v.kinesisRecords, v.seen.cardinality(),
                    records - v.seen.cardinality(), v.duplicates, failed.get());
            boolean exact = v.seen.cardinality() == records && v.duplicates == 0 && failed.get() == 0;
            out.println(exact ? "every record arrived exactly once" : "RECORDS WERE LOST OR DUPLICATED");
            if (keepRunning) {
                printAwsCommands(out, backend, stream);
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
            return exact ? 0 : 1;
        } finally {
            backend.close();
        }
    }

    private static byte[] payload(long i, byte[] filler) {
        byte[] head = (i + "|").getBytes(StandardCharsets.US_ASCII);
        byte[] data = filler.clone();
        System.arraycopy(head, 0, data, 0, Math.min(head.length, data.length));
        return data;
    }

    private Thread progressLine(AtomicLong done, long start) {
        boolean terminal = System.console() != null;
        Thread t = new Thread(() -> {
            long lastPrint = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long n = done.get();
                long now = System.nanoTime();
                if (terminal || now - lastPrint > TimeUnit.SECONDS.toNanos(2)) {
                    int width = 30;
                    int filled = (int) (width * n / records);
                    String bar = "#".repeat(filled) + " ".repeat(width - filled);
                    System.out.printf(terminal ? "\r[%s] %,d / %,d records, %,.0f/s" : "[%s] %,d / %,d records, "
                            + "%,.0f/s%n", bar, n, records, n / Math.max(1e-9, (now - start) / 1e9));
                    lastPrint = now;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "runnel-demo-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static final class Verification {
        final BitSet seen = new BitSet();
        long duplicates;
        long userRecords;
        long kinesisRecords;
    }

    private Verification readBack(KinesisBackend backend, String stream) {
        Verification v = new Verification();
        try (NettyKinesisClient reader = NettyKinesisClient.builder()
                .endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("demo", "demo"))).build()) {
            for (Shard shard : reader.listShards(new ListShardsRequest(stream, null, null, null, null, null, null))
                    .join().shards()) {
                String it = reader.getShardIterator(new GetShardIteratorRequest(stream, null, shard.shardId(),
                        "TRIM_HORIZON", null, null)).join().shardIterator();
                while (it != null) {
                    GetRecordsResponse r = reader.getRecords(new GetRecordsRequest(it, 10_000, null)).join();
                    for (StreamRecord rec : r.records()) {
                        v.kinesisRecords++;
                        for (DeaggregatedRecord d : Deaggregator.deaggregate(rec.partitionKey(), null, rec.data())) {
                            v.userRecords++;
                            int bar = indexOf(d.data(), (byte) '|');
                            int n = Integer.parseInt(new String(d.data(), 0, bar, StandardCharsets.US_ASCII));
                            if (v.seen.get(n)) {
                                v.duplicates++;
                            }
                            v.seen.set(n);
                        }
                    }
                    if (r.records().isEmpty() && (r.millisBehindLatest() == null || r.millisBehindLatest() == 0)) {
                        break;
                    }
                    it = r.nextShardIterator();
                }
            }
        }
        return v;
    }

    private static int indexOf(byte[] data, byte b) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return data.length;
    }

    private static void printAwsCommands(PrintStream out, KinesisBackend backend, String stream) {
        String e = "aws --endpoint-url " + backend.endpoint() + " kinesis ";
        out.println();
        out.println("The backend keeps running (Ctrl-C stops it). Look at the stream with the aws CLI:");
        out.println("  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1");
        out.println("  " + e + "describe-stream-summary --stream-name " + stream);
        out.println("  " + e + "list-shards --stream-name " + stream);
        out.println("  " + e + "get-shard-iterator --stream-name " + stream
                + " --shard-id shardId-000000000000 --shard-iterator-type TRIM_HORIZON");
        out.println("  " + e + "get-records --limit 5 --shard-iterator <ShardIterator from above>");
    }
}
