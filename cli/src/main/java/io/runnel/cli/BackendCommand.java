package io.runnel.cli;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.TlsMaterial;
import io.runnel.backend.api.WriteStats;
import io.runnel.backend.store.OnDemandScaling;
import io.runnel.backend.store.StoreSettings;
import io.runnel.cli.loadgen.LoadReport;
import io.runnel.wire.auth.Credentials;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel backend}: runs the bundled Kinesis-compatible backend until SIGTERM or Ctrl-C. */
@Command(name = "backend", mixinStandardHelpOptions = true,
        description = {"Runs the bundled Kinesis-compatible stream backend.",
            "Prints 'listening on http://HOST:PORT' (and the https one) when ready; stops cleanly on SIGTERM."})
public final class BackendCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "4567",
            description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-port", description = "Also serve HTTPS on this port (the KPL only speaks HTTPS).")
    Integer tlsPort;

    @Option(names = "--tls-cert",
            description = "PEM certificate chain for HTTPS (default: a self-signed one, generated once).")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PKCS#8 PEM private key for --tls-cert.")
    Path tlsKey;

    @Option(names = "--data-dir", description = "Keep streams and records here (default: in memory).")
    Path dataDir;

    @Option(names = "--spill-dir", paramLabel = "DIR|off",
            description = "Without --data-dir: where records older than each shard's --hot-bytes-per-shard go, in a "
                    + "runnel-backend-<pid>-<random> directory removed at exit (default: java.io.tmpdir); off keeps "
                    + "every record on the heap until retention drops it.")
    String spillDir;

    @Option(names = "--hot-bytes-per-shard", paramLabel = "BYTES",
            defaultValue = "" + io.runnel.backend.store.DataDirectory.DEFAULT_HOT_BYTES_PER_SHARD,
            description = "Data each shard keeps in memory; older records are read back from the data directory or the "
                    + "spill files (default: ${DEFAULT-VALUE}).")
    long hotBytesPerShard;

    @Option(names = "--fsync", defaultValue = "never",
            description = "always: records reach the disk before they are acknowledged (survives power loss); never: "
                    + "the OS writes them back (survives kill -9). Default: ${DEFAULT-VALUE}.")
    String fsync;

    @Option(names = "--limits", defaultValue = "on",
            description = "Per-shard throughput limits: on (default) or off (benchmarks).")
    String limits;

    @Option(names = "--on-demand-scaling", defaultValue = "normal",
            description = "How on-demand streams follow their writes: normal (default: judged every minute, a shard at "
                    + "half its write capacity splits, idle neighbours merge after 15 minutes), fast (every second, "
                    + "merges after 5 s: tests and demos) or off.")
    String onDemandScaling;

    @Option(names = "--create-stream", paramLabel = "NAME[:SHARDS]",
            description = "Create a provisioned stream at start (repeatable; default 1 shard).")
    List<String> createStreams = new ArrayList<>();

    @Option(names = "--create-delivery-stream", paramLabel = "NAME",
            description = "Create a Firehose DirectPut delivery stream at start (repeatable; buffering 5 MiB or 300 s, "
                    + "files under --firehose-dir).")
    List<String> createDeliveryStreams = new ArrayList<>();

    @Option(names = "--firehose-dir",
            description = "Where Firehose delivery streams write their files (default: DATA-DIR/firehose, or without "
                    + "--data-dir a temporary directory, logged when made).")
    Path firehoseDir;

    @Option(names = "--max-record-bytes", defaultValue = "1048576",
            description = "Largest record data accepted (default: ${DEFAULT-VALUE}, Kinesis' 1 MiB; up to 10485760).")
    int maxRecordBytes;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region in ARNs (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--account-id", defaultValue = "000000000000",
            description = "Account in ARNs (default: ${DEFAULT-VALUE}).")
    String accountId;

    @Option(names = "--auth", defaultValue = "none",
            description = "none (default): accept any request; sigv4: verify signatures made with one of the "
                    + "--access-key/--secret-key pairs.")
    String auth;

    @Option(names = "--access-key",
            description = "Access key id clients may sign with (--auth sigv4; repeatable, paired in order with "
                    + "--secret-key).")
    List<String> accessKeys = new ArrayList<>();

    @Option(names = "--secret-key",
            description = "Secret key of the --access-key in the same position (--auth sigv4; repeatable).")
    List<String> secretKeys = new ArrayList<>();

    @Option(names = "--console", defaultValue = "on",
            description = "The web console at /console on the backend's ports (streams, shards, the records inside "
                    + "aggregates): on (default) or off. With --auth sigv4 it stays off: its pages would show the "
                    + "records to anyone who reaches the port.")
    String console;

    private boolean consoleServed;

    @Option(names = "--stats-every", defaultValue = "10", paramLabel = "SECONDS",
            description = "Print what PutRecord(s) stored and the backend's CPU per user record every SECONDS while "
                    + "records arrive, and once at exit; 0: only at exit (default: ${DEFAULT-VALUE}).")
    int statsEverySeconds;

    /** Starts the backend described by the options; the caller closes it. */
    KinesisBackend start() {
        CommandLine cl = spec.commandLine();
        KinesisBackend.Builder b = KinesisBackend.builder().host(host).port(port);
        StoreSettings settings;
        try {
            if (maxRecordBytes < 1 || maxRecordBytes > 10 * 1024 * 1024) {
                throw new IllegalArgumentException("--max-record-bytes must be 1 to 10485760, was " + maxRecordBytes);
            }
            settings = new StoreSettings(region, accountId, 500, 50, 4, 500, maxRecordBytes, true);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage().startsWith("--") ? e.getMessage()
                    : "--region/--account-id: " + e.getMessage());
        }
        b.settings(settings);
        switch (limits) {
            case "on" -> b.limits(true);
            case "off" -> b.limits(false);
            default -> throw new CommandLine.ParameterException(cl, "--limits must be on or off, was " + limits);
        }
        try {
            b.onDemandScaling(OnDemandScaling.parse(onDemandScaling));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--on-demand-scaling: " + e.getMessage());
        }
        switch (fsync) {
            case "always" -> b.fsyncAlways(true);
            case "never" -> b.fsyncAlways(false);
            default -> throw new CommandLine.ParameterException(cl, "--fsync must be always or never, was " + fsync);
        }
        if (dataDir != null) {
            b.dataDir(dataDir);
            if (spillDir != null) {
                throw new CommandLine.ParameterException(cl, "--spill-dir is for in-memory backends, not --data-dir");
            }
        } else if (fsync.equals("always")) {
            throw new CommandLine.ParameterException(cl, "--fsync always needs --data-dir");
        }
        if (spillDir != null) {
            b.spillDir(spillDir.equals("off") ? null : Path.of(spillDir));
        }
        if (hotBytesPerShard < 0) {
            throw new CommandLine.ParameterException(cl, "--hot-bytes-per-shard must be >= 0, was "
                    + hotBytesPerShard);
        }
        b.hotBytesPerShard(hotBytesPerShard);
        if (tlsPort != null) {
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new CommandLine.ParameterException(cl, "--tls-cert and --tls-key go together");
            }
            Path certDir = dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".runnel");
            b.tls(tlsPort, tlsCert != null ? TlsMaterial.pem(tlsCert, tlsKey) : TlsMaterial.selfSigned(certDir));
        } else if (tlsCert != null || tlsKey != null) {
            throw new CommandLine.ParameterException(cl, "--tls-cert/--tls-key need --tls-port");
        }
        switch (auth) {
            case "none" -> {
                if (!accessKeys.isEmpty() || !secretKeys.isEmpty()) {
                    throw new CommandLine.ParameterException(cl, "--access-key/--secret-key need --auth sigv4");
                }
            }
            case "sigv4" -> {
                if (accessKeys.isEmpty() || secretKeys.isEmpty()) {
                    throw new CommandLine.ParameterException(cl, "--auth sigv4 needs --access-key and --secret-key");
                }
                if (accessKeys.size() != secretKeys.size()) {
                    throw new CommandLine.ParameterException(cl, "--auth sigv4: " + accessKeys.size()
                            + " --access-key but " + secretKeys.size() + " --secret-key; give them in pairs");
                }
                try {
                    List<Credentials> pairs = new ArrayList<>();
                    for (int i = 0; i < accessKeys.size(); i++) {
                        pairs.add(Credentials.of(accessKeys.get(i), secretKeys.get(i)));
                    }
                    b.requireSignatures(pairs);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, "--access-key/--secret-key: " + e.getMessage());
                }
            }
            default -> throw new CommandLine.ParameterException(cl, "--auth must be none or sigv4, was " + auth);
        }
        for (String spec : createStreams) {
            String[] parts = spec.split(":", 2);
            int shards = 1;
            if (parts.length == 2) {
                try {
                    shards = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(cl, "--create-stream " + spec
                            + ": SHARDS must be a number");
                }
            }
            if (parts[0].isEmpty() || shards < 1) {
                throw new CommandLine.ParameterException(cl, "--create-stream " + spec + ": expected NAME[:SHARDS]"
                        + " with SHARDS >= 1");
            }
            b.createStream(parts[0], shards);
        }
        for (String name : createDeliveryStreams) {
            if (!name.matches("[a-zA-Z0-9_.-]{1,64}") || name.equals(".") || name.equals("..")) {
                throw new CommandLine.ParameterException(cl, "--create-delivery-stream " + name + ": expected 1-64"
                        + " characters of [a-zA-Z0-9_.-], not . or ..");
            }
            b.createDeliveryStream(name);
        }
        b.firehoseDir(firehoseDir);
        switch (console) {
            case "on" -> {
                if ("none".equals(auth)) {
                    b.route(io.runnel.console.Console::new);
                    consoleServed = true;
                }
            }
            case "off" -> { }
            default -> throw new CommandLine.ParameterException(cl, "--console must be on or off, was " + console);
        }
        return b.start();
    }

    /**
     * One line of what the backend stored, e.g. {@code stored 1,000,000 user records in 2,000 Kinesis records (2,000
     * requests, 116.0 MB); backend CPU 2.1 s: 2.10 µs per user record; since the last line 1.45 µs}. The CPU is the
     * whole process's since start (start-up and JIT included); "since the last line" divides the CPU used since the
     * previous line by the user records stored since then, the steady state's cost once records flow.
     *
     * @param previous   the counters at the previous line, or null for none
     * @param cpuNanos   process CPU since start, or negative when the JVM does not say
     * @param cpuBetween process CPU since the previous line
     */
    static String statsLine(WriteStats.Snapshot s, long cpuNanos, WriteStats.Snapshot previous, long cpuBetween) {
        String line = String.format(java.util.Locale.ROOT, "stored %,d user records in %,d Kinesis records (%,d"
                + " requests, %.1f MB)", s.userRecords(), s.records(), s.requests(), s.bytes() / 1e6);
        if (cpuNanos < 0) {
            return line;
        }
        line += String.format(java.util.Locale.ROOT, "; backend CPU %.1f s: %.2f µs per user record",
                cpuNanos / 1e9, s.userRecords() == 0 ? 0.0 : cpuNanos / 1e3 / s.userRecords());
        long added = previous == null ? 0 : s.userRecords() - previous.userRecords();
        if (added > 0 && previous.userRecords() > 0) {
            line += String.format(java.util.Locale.ROOT, "; since the last line %.2f µs", cpuBetween / 1e3 / added);
        }
        return line;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (statsEverySeconds < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--stats-every must be >= 0, was "
                    + statsEverySeconds);
        }
        KinesisBackend backend = start();
        long cpuAtStart = LoadReport.Cpu.processCpuNanos();
        WriteStats.Snapshot[] printed = {backend.writeStats()};
        long[] cpuPrinted = {0};
        Runnable printIfChanged = () -> {
            synchronized (printed) {
                WriteStats.Snapshot now = backend.writeStats();
                if (!now.equals(printed[0])) {
                    long cpu = cpuAtStart < 0 ? -1 : LoadReport.Cpu.processCpuNanos() - cpuAtStart;
                    System.out.println(statsLine(now, cpu, printed[0], cpu - cpuPrinted[0]));
                    System.out.flush();
                    printed[0] = now;
                    cpuPrinted[0] = cpu;
                }
            }
        };
        ScheduledExecutorService ticker = statsEverySeconds == 0 ? null
                : Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "runnel-backend-stats");
                    t.setDaemon(true);
                    return t;
                });
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (ticker != null) {
                ticker.shutdownNow();
            }
            backend.close();
            printIfChanged.run(); // the last figures, once nothing more can arrive
            stopped.countDown();
        }, "runnel-backend-shutdown"));
        System.out.println("listening on " + backend.endpoint());
        if (backend.tlsEndpoint() != null) {
            System.out.println("listening on " + backend.tlsEndpoint());
            // Netty's servers take BoringSSL when netty-tcnative loads here (the CLI carries it), else the JDK's.
            System.out.println("TLS by " + (io.netty.handler.ssl.SslContext.defaultServerProvider()
                    == io.netty.handler.ssl.SslProvider.OPENSSL
                    ? io.netty.handler.ssl.OpenSsl.versionString() + " (netty-tcnative)" : "the JDK's engine"));
        }
        if (!backend.firehose().names().isEmpty()) {
            System.out.println("firehose delivers to " + backend.firehose().deliveryRoot());
        }
        if (consoleServed) {
            System.out.println("console at " + backend.endpoint().resolve(io.runnel.console.Console.PREFIX));
            if (backend.tlsEndpoint() != null) {
                System.out.println("console at " + backend.tlsEndpoint().resolve(io.runnel.console.Console.PREFIX));
            }
        } else if ("on".equals(console)) {
            System.out.println("console off: --auth sigv4 is on, and the console's pages do not sign their requests");
        }
        System.out.flush();
        if (ticker != null) {
            ticker.scheduleAtFixedRate(printIfChanged, statsEverySeconds, statsEverySeconds, TimeUnit.SECONDS);
        }
        stopped.await();
        return 0;
    }
}
