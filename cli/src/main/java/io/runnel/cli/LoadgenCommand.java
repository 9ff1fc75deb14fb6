package io.runnel.cli;

import io.runnel.cli.loadgen.DurationConverter;
import io.runnel.cli.loadgen.LoadClient;
import io.runnel.cli.loadgen.LoadReport;
import io.runnel.cli.loadgen.Pacer;
import io.runnel.cli.loadgen.Progress;
import io.runnel.cli.loadgen.RecordGenerator;
import io.runnel.cli.loadgen.ReportPlot;
import io.runnel.cli.loadgen.RunnelLoadClient;
import io.runnel.cli.loadgen.SdkLoadClient;
import io.runnel.cli.loadgen.StreamReader;
import io.runnel.cli.loadgen.StreamSetup;
import io.runnel.cli.loadgen.Tally;
import io.runnel.cli.loadgen.Verifier;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.ConfigException;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.AwsEnvironment;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsException;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import io.runnel.wire.error.KinesisException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel loadgen}: sends a reproducible workload to a stream with one of several clients and reports what
 * it measured — the contract of issue 7.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sends records i = 0..N-1 (key pk-<i mod K>, data '<i>|' padded to B bytes) to a stream with "
            + "the chosen client, then prints records/s, MB/s, latency percentiles, PutRecords calls, retries, "
            + "throttles and peak heap. Creates the stream if it does not exist. Exit status 0 only if every record "
            + "succeeded (and, with --verify, arrived exactly once, with its key, in per-key order)."})
public final class LoadgenCommand implements Callable<Integer> {
    static final Duration FINISH_TIMEOUT = Duration.ofMinutes(10);
    static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(5);
    static final String KPL_CLIENT = "io.runnel.cli.loadgen.kpl.KplLoadClient";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--endpoint", required = true, paramLabel = "URL",
            description = "Kinesis endpoint, e.g. http://127.0.0.1:4567 or https://kinesis.eu-west-1.amazonaws.com.")
    URI endpoint;

    @Option(names = "--stream", required = true, paramLabel = "NAME", description = "Stream to send to.")
    String stream;

    @Option(names = "--shards", defaultValue = "4", paramLabel = "S",
            description = "Shards when the stream has to be created (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = "--records", defaultValue = "1000000", paramLabel = "N",
            description = "Records to send (default: ${DEFAULT-VALUE}); with --duration, an upper bound if given.")
    long records;

    @Option(names = "--duration", paramLabel = "D", converter = DurationConverter.class,
            description = "Send until D has elapsed (e.g. 30s, 2m) instead of a number of records.")
    Duration duration;

    @Option(names = "--record-size", defaultValue = "100", paramLabel = "B",
            description = "Bytes of data per record (default: ${DEFAULT-VALUE}).")
    int recordSize;

    @Option(names = "--keys", defaultValue = "1000", paramLabel = "K",
            description = "Distinct partition keys (default: ${DEFAULT-VALUE}).")
    long keys;

    @Option(names = "--hot-key-share", defaultValue = "0", paramLabel = "F",
            description = "Share of the records (0..1) sent with one hot key, pk-0, so one shard carries it: skewed "
                    + "traffic (default: ${DEFAULT-VALUE}).")
    double hotKeyShare;

    @Option(names = "--balanced-keys", description = "Choose the --keys partition keys so that each of the --shards "
            + "shards of a stream split evenly (as this command creates it) gets as many: pk-0, pk-1, ... hash "
            + "unevenly (with 1,000 keys on 4 shards one shard gets 29.7 %%), which bounds how much of the stream a "
            + "run can use.")
    boolean balancedKeys;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "Records per second, evenly spaced (in groups up to 5 ms apart); 0 = as fast as the client"
                    + " takes them (default).")
    double rate;

    @Option(names = "--client", defaultValue = "runnel", paramLabel = "runnel|sdk|kpl",
            description = "runnel: Runnel's producer (default); sdk: AWS SDK v2 async PutRecords, 500 per request, "
                + "no aggregation; kpl: the Amazon KPL 1.1.1 over HTTPS (in jars built with -Pkpl only).")
    String client;

    @Option(names = "--config", paramLabel = "FILE.properties",
            description = "Producer configuration for --client runnel or kpl (KPL property names).")
    Path config;

    @Option(names = "--verify", description = "Read the stream back and check every record arrived exactly once, "
            + "with its key, in per-key order.")
    boolean verify;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write every figure as JSON.")
    Path report;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Draw throughput over time and the latency distribution.")
    Path plot;

    @Option(names = "--region", paramLabel = "REGION", description = "Signing region (default: the config's Region, "
            + "else aws.region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region or, on EC2, the instance's, "
            + "else us-east-1).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "Sign with this profile's credentials, and use "
            + "its region (as AWS_PROFILE would).")
    String profile;

    @Option(names = "--sdk-in-flight", defaultValue = "16", paramLabel = "N",
            description = "--client sdk: PutRecords requests in flight at most (default: ${DEFAULT-VALUE}).")
    int sdkInFlight;

    // The process's environment, system properties and home; tests pass their own.
    Map<String, String> environment = System.getenv();
    java.util.Properties systemProperties = System.getProperties();
    Path home = Path.of(System.getProperty("user.home"));

    @Override
    public Integer call() throws Exception {
        boolean durationMode = duration != null;
        RecordGenerator generator = validate(durationMode);
        ProducerConfig producerConfig = "runnel".equals(client) ? producerConfig() : null;
        String signingRegion = resolveRegion(producerConfig);
        Endpoint kinesis;
        try {
            kinesis = Endpoint.of(endpoint, signingRegion);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--endpoint " + endpoint + ": "
                    + e.getMessage());
        }
        // Closed when the run ends: a refreshing source (a role, SSO, instance metadata) holds a client and a thread.
        try (CredentialsProvider credentials = credentials(kinesis)) {
            return run(generator, producerConfig, kinesis, credentials, durationMode);
        }
    }

    private int run(RecordGenerator generator, ProducerConfig producerConfig, Endpoint kinesis,
            CredentialsProvider credentials, boolean durationMode) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int openShards;
        try (NettyKinesisClient control = wireClient(kinesis, credentials)) {
            StreamSetup.Outcome setup = new StreamSetup(control).ensureActive(stream, shards, ACTIVE_TIMEOUT);
            openShards = setup.openShards();
            out.printf("stream %s %s, ACTIVE with %d open shards (%s)%n", stream,
                    setup.created() ? "created" : "exists", openShards, kinesis.uri());
        } catch (KinesisException | IllegalStateException e) {
            err.println("loadgen: cannot get stream " + stream + " ready at " + endpoint + ": " + e.getMessage());
            err.flush();
            return 1;
        }
        out.flush();

        Tally tally = new Tally();
        long maxRecords = durationMode ? (explicitRecords() ? records : Long.MAX_VALUE) : records;
        long cap = generator.maxIndex() + 1; // with --duration: the most records whose index fits
        long sent = 0;
        Double aggregation = null;
        Long daemonRss = null;
        java.util.List<io.runnel.producer.ShardStats> shardStats = java.util.List.of();
        long startNanos;
        long endNanos;
        long cpuStart;
        long cpuEnd;
        Progress progress;
        // CPU and records that succeeded at the steady-state mark, for the cost per record without the warm-up
        AtomicReference<long[]> steadyCpu = new AtomicReference<>(new long[] {-1, 0, -1}); // -1: the run ended first
        // the KPL's daemon's CPU so far (-1: no daemon), once the client is there
        AtomicReference<java.util.function.LongSupplier> daemonCpu = new AtomicReference<>(() -> -1);
        long daemonCpuStart;
        long daemonCpuEnd;
        Thread steadyMark = new Thread(() -> {
            try {
                Thread.sleep(java.util.concurrent.TimeUnit.SECONDS.toMillis(LoadReport.STEADY_AFTER_SECONDS));
            } catch (InterruptedException e) {
                return; // the run ended first
            }
            steadyCpu.set(new long[] {LoadReport.Cpu.processCpuNanos(), tally.ok(), daemonCpu.get().getAsLong()});
        }, "loadgen-steady-mark");
        steadyMark.setDaemon(true);
        resetPeakHeap();
        try (LoadClient sender = newClient(producerConfig, credentials, kinesis, tally)) {
            AtomicLong handed = new AtomicLong(); // read by the progress thread
            progress = new Progress(out, System.console() != null, tally::completed, handed::get,
                    durationMode ? 0 : records, durationMode ? duration.toNanos() : 0);
            Pacer pacer = new Pacer(rate);
            startNanos = System.nanoTime();
            tally.steadyFrom(startNanos
                    + java.util.concurrent.TimeUnit.SECONDS.toNanos(LoadReport.STEADY_AFTER_SECONDS));
            daemonCpu.set(sender::daemonCpuNanos);
            cpuStart = LoadReport.Cpu.processCpuNanos();
            daemonCpuStart = sender.daemonCpuNanos();
            steadyMark.start();
            long stopAt = durationMode ? startNanos + duration.toNanos() : Long.MAX_VALUE;
            progress.start(startNanos);
            try {
                for (long i = 0; i < maxRecords && i < cap; i++) {
                    pacer.await();
                    if (durationMode && System.nanoTime() - stopAt >= 0) {
                        break;
                    }
                    sender.send(i, generator.partitionKey(i), generator.data(i));
                    sent = i + 1;
                    handed.lazySet(sent);
                }
                if (!sender.finish(FINISH_TIMEOUT)) {
                    long unknown = sent - tally.completed();
                    for (long u = 0; u < unknown; u++) {
                        tally.failed("no outcome within " + FINISH_TIMEOUT.toMinutes() + " min");
                    }
                }
                endNanos = System.nanoTime();
                cpuEnd = LoadReport.Cpu.processCpuNanos();
                daemonCpuEnd = sender.daemonCpuNanos();
            } finally {
                progress.stop();
                steadyMark.interrupt();
            }
            aggregation = sender.userRecordsPerKinesisRecord();
            shardStats = sender.shardStats();
            daemonRss = sender.daemonPeakRssBytes();
        }
        if (durationMode && sent == cap && cap < maxRecords) {
            out.printf("note: stopped at %,d records, the most whose index fits in --record-size %d (or that "
                    + "--verify can track)%n", cap, recordSize);
        }
        long peakHeap = peakHeap();

        Verifier.Result verification = null;
        if (verify) {
            try {
                verification = readBack(kinesis, credentials, generator, sent, out);
            } catch (KinesisException e) {
                err.println("loadgen: reading the stream back failed: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
        double seconds = Math.max(1e-9, (endNanos - startNanos) / 1e9);
        Histogram latency = tally.takeLatencyMicros();
        Histogram steadyLatency = tally.takeSteadyLatencyMicros();
        boolean passed = tally.failed() == 0 && tally.ok() == sent && (verification == null || verification.passed());
        long[] steady = steadyCpu.get(); // one read: the 5 s mark replaces the pair as a whole
        LoadReport result = new LoadReport(client, stream, openShards, recordSize, keys, rate,
                durationMode ? duration.toMillis() / 1000.0 : null, sent, tally.ok(), tally.failed(), seconds,
                tally.ok() / seconds, tally.ok() * (double) recordSize / seconds / 1e6,
                LoadReport.Latency.ofMicros(latency),
                steadyLatency.getTotalCount() == 0 ? null : LoadReport.Latency.ofMicros(steadyLatency),
                tally.putRecordsCalls(), tally.retries(), tally.throttles(),
                peakHeap, daemonRss, aggregation, verification, progress.samples(),
                LoadReport.Utilization.of(shardStats, stream, openShards, seconds),
                LoadReport.Cpu.between(cpuStart, cpuEnd, tally.ok(), steady[0], steady[1]),
                LoadReport.Cpu.between(daemonCpuStart, daemonCpuEnd, tally.ok(), steady[2], steady[1]),
                tally.firstError(), passed);
        result.print(out);
        if (report != null) {
            result.writeJson(report);
            out.println("report    " + report);
        }
        if (plot != null) {
            ReportPlot.write(result, latency, plot);
            out.println("plot      " + plot);
        }
        out.flush();
        return passed ? 0 : 1;
    }

    private RecordGenerator validate(boolean durationMode) {
        CommandLine cl = spec.commandLine();
        if (!"runnel".equals(client) && !"sdk".equals(client) && !"kpl".equals(client)) {
            throw new CommandLine.ParameterException(cl, "--client must be runnel, sdk or kpl, was '" + client + "'");
        }
        if ("kpl".equals(client)) {
            if (!kplAvailable()) {
                throw new CommandLine.ParameterException(cl, "--client kpl needs the Amazon KPL, which is built only "
                        + "under the Maven profile 'kpl': ./mvnw -Pkpl -pl cli -am package -DskipTests (downloads the "
                        + "KPL, ~70 MB), then java -jar cli/target/runnel.jar loadgen ...");
            }
            if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
                throw new CommandLine.ParameterException(cl, "--client kpl speaks HTTPS only, --endpoint was "
                        + endpoint + " (for the bundled backend: runnel backend --tls-port P, then https://HOST:P)");
            }
        }
        if (config != null && "sdk".equals(client)) {
            throw new CommandLine.ParameterException(cl, "--config is the producer configuration of --client runnel"
                    + " or kpl; it does not apply to --client sdk");
        }
        if (stream.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--stream must not be empty");
        }
        if (shards < 1) {
            throw new CommandLine.ParameterException(cl, "--shards must be at least 1, was " + shards);
        }
        if (records < 1 || records > Integer.MAX_VALUE) {
            throw new CommandLine.ParameterException(cl, "--records must be 1.." + Integer.MAX_VALUE + ", was "
                    + records);
        }
        if (recordSize < 1 || recordSize > 1_048_576) {
            throw new CommandLine.ParameterException(cl, "--record-size must be 1..1048576 bytes, was " + recordSize);
        }
        if (keys < 1 || keys > 10_000_000) {
            throw new CommandLine.ParameterException(cl, "--keys must be 1..10000000, was " + keys);
        }
        if (rate < 0 || Double.isNaN(rate) || Double.isInfinite(rate)) {
            throw new CommandLine.ParameterException(cl, "--rate must be 0 (as fast as possible) or positive, was "
                    + rate);
        }
        if (sdkInFlight < 1 || sdkInFlight > 1024) {
            throw new CommandLine.ParameterException(cl, "--sdk-in-flight must be 1..1024, was " + sdkInFlight);
        }
        long maxIndex = durationMode
                ? Math.min(RecordGenerator.maxIndexFor(recordSize), Integer.MAX_VALUE - 1L)
                : records - 1;
        if (durationMode && explicitRecords()) {
            maxIndex = Math.min(maxIndex, records - 1);
        }
        try {
            return new RecordGenerator(recordSize, keys, Math.max(0, maxIndex), hotKeyShare,
                    balancedKeys ? shards : 0);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    private boolean explicitRecords() {
        CommandLine.ParseResult pr = spec.commandLine().getParseResult();
        return pr != null && pr.hasMatchedOption("--records");
    }

    private ProducerConfig producerConfig() {
        ProducerConfig base;
        try {
            base = config == null ? ProducerConfig.builder().build() : ProducerConfig.fromPropertiesFile(config);
        } catch (ConfigException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--config " + config + ": "
                    + e.getMessage());
        }
        return base;
    }

    private String resolveRegion(ProducerConfig producerConfig) {
        if (region != null && !region.isBlank()) {
            return region;
        }
        if (producerConfig != null && !producerConfig.get(ConfigKeys.REGION).isEmpty()) {
            return producerConfig.get(ConfigKeys.REGION);
        }
        // The SDKs' region chain (aws.region, AWS_REGION, AWS_DEFAULT_REGION, the profile, instance metadata); a
        // Kinesis on this machine does not wait for the instance metadata service.
        Map<String, String> env = ProfileChain.environment(environment, profile);
        boolean local;
        try {
            local = isLocal(Endpoint.of(endpoint, "us-east-1").host());
        } catch (IllegalArgumentException e) {
            local = false; // reported when the endpoint is made with the region
        }
        if (local) {
            env = withoutInstanceMetadata(env);
        }
        AwsEnvironment.Setting r = new AwsEnvironment(env, systemProperties, home).region();
        return r == null ? "us-east-1" : r.value();
    }

    /**
     * {@code env} with the instance metadata service turned off (AWS_EC2_METADATA_DISABLED), unless it says otherwise
     * itself: for an endpoint on this machine, where off EC2 the service's address can take the connect timeout to
     * fail.
     */
    private static Map<String, String> withoutInstanceMetadata(Map<String, String> env) {
        Map<String, String> copy = new HashMap<>(env);
        copy.putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        return copy;
    }

    /**
     * The default chain (with {@code --profile}'s profile); for an endpoint on this machine, placeholder credentials
     * when the chain has none. Without a profile, a Kinesis on this machine does not wait for the instance metadata
     * service either: off EC2 its address can take the connect timeout to fail, and its keys would sign for nothing.
     */
    private CredentialsProvider credentials(Endpoint kinesis) {
        boolean local = isLocal(kinesis.host());
        // with a profile, its credential_source may be the instance's own
        Map<String, String> env = profile == null && local ? withoutInstanceMetadata(environment) : environment;
        DefaultCredentialsProvider chain = ProfileChain.chain(env, systemProperties, home, profile);
        try {
            chain.resolveCredentials();
            return chain;
        } catch (CredentialsException e) {
            chain.close();
            if (profile == null && local) {
                return CredentialsProvider.of(Credentials.of("local", "local"));
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "no AWS credentials for " + kinesis.uri()
                    + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or a profile (" + e.getMessage() + ")");
        }
    }

    /**
     * Runnel's own client for setup and read-back; trusts any certificate only on this machine (self-signed). Like
     * the SDK, {@code -Daws.cborEnabled=false} makes it speak JSON (for emulators whose CBOR is incomplete).
     */
    private static NettyKinesisClient wireClient(Endpoint kinesis, CredentialsProvider credentials) {
        return NettyKinesisClient.builder().endpoint(kinesis).credentialsProvider(credentials)
                .protocol("false".equalsIgnoreCase(System.getProperty("aws.cborEnabled"))
                        ? io.runnel.wire.Protocol.JSON : io.runnel.wire.Protocol.CBOR)
                .trustAllCertificates(kinesis.isTls() && isLocal(kinesis.host())).build();
    }

    private static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean kplAvailable() {
        try {
            Class.forName(KPL_CLIENT, false, LoadgenCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The KPL client, compiled only under the kpl profile, hence created by name. */
    private LoadClient newKplClient(Endpoint kinesis, CredentialsProvider credentials, Tally tally) {
        try {
            return (LoadClient) Class.forName(KPL_CLIENT).getConstructor(URI.class, String.class, Credentials.class,
                    String.class, int.class, Path.class, boolean.class, Tally.class).newInstance(kinesis.uri(),
                    kinesis.region(), credentials.resolveCredentials(), stream, recordSize, config,
                    isLocal(kinesis.host()), tally);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot start the KPL: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the KPL client " + KPL_CLIENT + ": " + e, e);
        }
    }

    private LoadClient newClient(ProducerConfig producerConfig, CredentialsProvider credentials, Endpoint kinesis,
            Tally tally) {
        if ("kpl".equals(client)) {
            return newKplClient(kinesis, credentials, tally);
        }
        if ("sdk".equals(client)) {
            return new SdkLoadClient(kinesis.uri(), kinesis.region(), credentials.resolveCredentials(), stream, keys,
                    sdkInFlight, kinesis.isTls() && isLocal(kinesis.host()), tally);
        }
        ProducerConfig.Builder effective = producerConfig.toBuilder().region(kinesis.region())
                .kinesisEndpointUrl(kinesis.uri().toString());
        if (kinesis.isTls() && isLocal(kinesis.host()) && !producerConfig.isSet(ConfigKeys.VERIFY_CERTIFICATE)) {
            effective.set(ConfigKeys.VERIFY_CERTIFICATE, false); // the bundled backend's certificate is self-signed
        }
        return new RunnelLoadClient(new KinesisProducer(effective.build(), credentials), stream, tally);
    }

    private Verifier.Result readBack(Endpoint kinesis, CredentialsProvider credentials, RecordGenerator generator,
            long sent, PrintWriter out) throws InterruptedException {
        Verifier verifier = new Verifier(generator, sent);
        long start = System.nanoTime();
        StreamReader.Counts counts;
        try (NettyKinesisClient reader = wireClient(kinesis, credentials)) {
            counts = new StreamReader(reader).read(stream, verifier::accept);
        }
        out.printf("read back %,d user records in %,d Kinesis records from %d shards in %.1f s%n",
                counts.userRecords(), counts.kinesisRecords(), counts.shards(), (System.nanoTime() - start) / 1e9);
        return verifier.result();
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid() && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
