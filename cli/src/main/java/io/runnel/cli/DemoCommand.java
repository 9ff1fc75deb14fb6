package io.runnel.cli;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.cli.loadgen.Progress;
import io.runnel.cli.loadgen.RecordGenerator;
import io.runnel.cli.loadgen.RunnelLoadClient;
import io.runnel.cli.loadgen.StreamReader;
import io.runnel.cli.loadgen.Tally;
import io.runnel.cli.loadgen.Verifier;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.ProducerStats;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.HdrHistogram.Histogram;
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

    @Option(names = "--record-size", defaultValue = "100",
            description = "Bytes per record (default: ${DEFAULT-VALUE}).")
    int recordSize;

    @Option(names = "--shards", defaultValue = "4",
            description = "Shards of the demo stream (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--keys", defaultValue = "1000",
            description = "Distinct partition keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--limits", defaultValue = "off", description = "Kinesis' per-shard limits on the backend: off "
            + "(default, to show the producer's speed) or on (1 MiB/s and 1,000 records/s per shard).")
    String limits;

    @Option(names = "--keep-running", description = "Leave the backend running afterwards and print aws CLI commands.")
    boolean keepRunning;

    @Option(names = "--port", defaultValue = "4567",
            description = "Backend port with --keep-running (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws Exception {
        if (records < 1 || records > Integer.MAX_VALUE || shards < 1 || keys < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--records (up to " + Integer.MAX_VALUE + "), --shards and --keys must be positive");
        }
        RecordGenerator generator;
        try {
            generator = new RecordGenerator(recordSize, keys, records - 1);
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), e.getMessage());
        }
        PrintStream out = System.out;
        String stream = "demo";
        KinesisBackend backend = KinesisBackend.builder().port(keepRunning ? port : 0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits("on".equals(limits)))
                .createStream(stream, shards).route(io.runnel.console.Console::new).start();
        try {
            out.printf("backend on %s, stream '%s' with %d shards (limits %s)%n", backend.endpoint(), stream, shards,
                    "on".equals(limits) ? "on" : "off");
            // With the backend's limits off there is nothing for the producer's own per-shard limiter to protect.
            long rateLimit = "on".equals(limits) ? 150 : 1_000_000;
            ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                    .kinesisEndpointUrl(backend.endpoint().toString())
                    .set(io.runnel.producer.config.ConfigKeys.RATE_LIMIT, rateLimit).build();
            Tally tally = new Tally();
            long start = System.nanoTime();
            ProducerStats stats;
            try (RunnelLoadClient client = new RunnelLoadClient(new KinesisProducer(config,
                    CredentialsProvider.of(Credentials.of("demo", "demo"))), stream, tally)) {
                PrintWriter progressOut = new PrintWriter(out, true);
                Progress progress = new Progress(progressOut, System.console() != null, tally::completed,
                        tally::completed, records, 0);
                progress.start(start);
                try {
                    for (long i = 0; i < records; i++) {
                        client.send(i, generator.partitionKey(i), generator.data(i));
                    }
                    client.finish(LoadgenCommand.FINISH_TIMEOUT);
                } finally {
                    progress.stop();
                }
                stats = client.stats();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Histogram h = tally.takeLatencyMicros();
            long failed = records - tally.ok();
            out.printf("%nsent      %,d records of %d bytes in %.2f s: %,.0f records/s, %.1f MB/s%n", records,
                    recordSize, seconds, records / seconds, records * (double) recordSize / seconds / 1e6);
            out.printf("latency   p50 %.1f ms, p99 %.1f ms, max %.1f ms (addUserRecord to future)%n",
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
            out.printf("batching  %.1f user records per Kinesis record, %.1f Kinesis records per PutRecords "
                    + "(%,d requests, %,d retries)%n", stats.userRecordsPerKinesisRecord(),
                    stats.kinesisRecordsPerRequest(), stats.putRecordsRequests(), stats.retries());
            Verifier verifier = new Verifier(generator, records);
            StreamReader.Counts counts;
            try (NettyKinesisClient reader = NettyKinesisClient.builder()
                    .endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                    .credentialsProvider(CredentialsProvider.of(Credentials.of("demo", "demo"))).build()) {
                counts = new StreamReader(reader).read(stream, verifier::accept);
            }
            Verifier.Result v = verifier.result();
            out.printf("read back %,d user records from %,d Kinesis records: %,d distinct, %,d missing, "
                    + "%,d duplicated, "
                    + "%,d failed futures%n", counts.userRecords(), counts.kinesisRecords(), records - v.missing(),
                    v.missing(), v.duplicates(), failed);
            out.println(v.summaryLine());
            if (v.misplacedLine() != null) {
                out.println(v.misplacedLine());
            }
            boolean exact = v.exactlyOnce() && failed == 0;
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

    private static void printAwsCommands(PrintStream out, KinesisBackend backend, String stream) {
        String e = "aws --endpoint-url " + backend.endpoint() + " kinesis ";
        out.println();
        out.println("The backend keeps running (Ctrl-C stops it). Look at the stream in the console, "
                + backend.endpoint().resolve(io.runnel.console.Console.PREFIX + "/streams/" + stream) + ",");
        out.println("or with the aws CLI:");
        out.println("  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_DEFAULT_REGION=us-east-1");
        out.println("  " + e + "describe-stream-summary --stream-name " + stream);
        out.println("  " + e + "list-shards --stream-name " + stream);
        out.println("  " + e + "get-shard-iterator --stream-name " + stream
                + " --shard-id shardId-000000000000 --shard-iterator-type TRIM_HORIZON");
        out.println("  " + e + "get-records --limit 5 --shard-iterator <ShardIterator from above>");
    }
}
