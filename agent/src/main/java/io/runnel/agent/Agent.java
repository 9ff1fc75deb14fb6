package io.runnel.agent;

import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.internal.Clock;
import io.runnel.producer.metrics.CloudWatchUploader;
import io.runnel.wire.Endpoint;
import io.runnel.wire.cloudwatch.NettyCloudWatchClient;
import io.runnel.wire.auth.AssumeRoleCredentialsProvider;
import io.runnel.wire.auth.AwsEnvironment;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsException;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import io.runnel.wire.firehose.FirehoseClient;
import io.runnel.wire.firehose.NettyFirehoseClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log-tailing agent: every flow's files are polled on one thread, each new line (or multi-line record) goes to
 * its destination through a {@link Sink} — a Kinesis stream through one {@link KinesisProducer}, or a Firehose
 * delivery stream with PutRecordBatch (each line with its newline, as the Kinesis Agent sends it, since Firehose
 * concatenates records) — and each file's checkpoint moves only past a contiguous prefix of acknowledged records, so
 * after a crash nothing is skipped, and only records in flight at the crash are sent twice.
 *
 * <p>Files are known by device and inode plus a fingerprint of their first bytes: a renamed file (rename-and-create
 * rotation) is followed and read to its end, a file truncated in place (copytruncate) is read again from its start,
 * and a copy of a file already read (the copy copytruncate makes) starts where the original was. Files that appear
 * after the first run are read from their beginning; {@code initialPosition} applies only to a flow's first run.
 *
 * <p>Memory is bounded: while more than {@link #MAX_IN_FLIGHT_BYTES} of records (their data and
 * {@link #RECORD_OVERHEAD_BYTES} each) are unacknowledged the agent stops
 * reading (the files wait on disk). Records whose puts fail (an outage longer than the producer's RecordTtl; any
 * failed Firehose record, which its sink retries itself) are put again, never dropped; only a record the service can
 * never take (above the stream's record size, or Firehose's 1,000 KiB) is logged and skipped. Thread-safe; start with
 * {@link #start()}, stop with {@link #close()}.
 *
 * <p>Metrics, given a registry (tag {@code flow}): counters {@code runnel.agent.lines.read},
 * {@code runnel.agent.records.sent}, {@code runnel.agent.puts.retried}, {@code runnel.agent.records.cut}; gauges
 * {@code runnel.agent.bytes.behind} and {@code runnel.agent.files}; and the producer's KPL metrics.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);
    static final long MAX_IN_FLIGHT_BYTES = 16L * 1024 * 1024;
    /**
     * Heap an unacknowledged record holds besides its data: its line, the sink's record, the producer's pending record
     * and futures (Firehose: the sink's queue entry). Counting the data alone let 100-byte lines hold several times
     * the budget.
     */
    static final long RECORD_OVERHEAD_BYTES = 256;
    /** Bytes a flow may have read past its files' checkpoints: what a crash can send again is at most about this. */
    static final long MAX_UNCHECKPOINTED_BYTES = 32L * 1024 * 1024;
    /**
     * The producer's MaxBufferedBytes unless the file's producer settings say otherwise: enough for ~35 shards written
     * at their limit, and a small live heap (under the launcher's small heap, the producer's 32 MiB default had the
     * collector copy tens of MiB of records in flight again and again: twice the CPU).
     */
    static final long PRODUCER_MAX_BUFFERED_BYTES = 8L * 1024 * 1024;
    private static final long POLL_MILLIS = 100;
    private static final long RELEASE_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long MULTILINE_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long RESEND_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Consecutive records of a flow that share a {@code RANDOM} partition key. */
    static final int RANDOM_KEY_RUN = 64;
    /** The STS session name of {@code assumeRoleARN}'s sessions (it shows in CloudTrail). */
    static final String ROLE_SESSION_NAME = "runnel-agent";

    private final AgentConfig config;
    private final CredentialsProvider credentials;
    private final KinesisSink kinesis; // null: no Kinesis flow
    private final FirehoseClient firehose; // null: no Firehose flow
    private final java.util.function.Function<Sink.Outcomes, Sink> sinks; // null: the flows' own (tests give theirs)
    private final CloudWatchUploader cloudWatch; // null: the agent's metrics are not uploaded
    private final Checkpoints checkpoints;
    /** The checkpoint file is written at most this often when it moved: what a crash can send twice is about this. */
    private final long checkpointIntervalNanos;
    private final List<FlowState> flows = new ArrayList<>();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private final ConcurrentLinkedQueue<Resend> resends = new ConcurrentLinkedQueue<>();
    private final Sink.Outcomes outcomes = new Acknowledgements();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong recordsFailed = new AtomicLong();
    private volatile boolean running;
    private boolean closedUnstarted; // guarded by this
    private Thread thread;
    private long lastCheckpointNanos;
    /**
     * A file was opened, released or truncated in place since the last checkpoint write: the next look writes one
     * whatever the interval, so that a crash in the first second does not leave a file found at start (END_OF_FILE)
     * without its place, nor a copytruncate's old generation without its own.
     */
    private boolean trackedChanged;
    private long lastReportNanos;

    private record Resend(Sink.Outgoing record, long dueNanos) {
    }

    /** One flow's files. */
    private final class FlowState {
        final AgentConfig.Flow flow;
        final FilePattern pattern;
        final Map<String, TrackedFile> files = new LinkedHashMap<>(); // by file key
        final java.util.Set<String> notTailed = new java.util.HashSet<>(); // names of files not tailed, logged once
        /** What each directory held at its last listing: a directory that has not changed is not listed again. */
        final DirectoryListings listings = new DirectoryListings(System::currentTimeMillis, System::nanoTime);
        final List<Checkpoints.Entry> saved = new ArrayList<>(); // from the last run, not yet matched
        Sink sink;
        final boolean firstRun;
        boolean scanned; // the first look at the directory is over: files found later are new
        /** Generations of files truncated in place, by fingerprint: their copies resume where they had been read to. */
        final Map<String, TrackedFile.Truncation> copiedFrom = new HashMap<>();
        volatile long linesRead; // written by the agent's thread only
        long bytesRead;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong retried = new AtomicLong();
        final AtomicLong cut = new AtomicLong();
        final AtomicLong skipped = new AtomicLong(); // by a processing option
        volatile long behind;
        volatile int fileCount;
        String randomKey; // RANDOM partition keys: the current run's, and how many records it still gets
        int randomKeyLeft;

        FlowState(AgentConfig.Flow flow, List<Checkpoints.Entry> all) {
            this.flow = flow;
            this.pattern = FilePattern.parse(flow.filePattern());
            for (Checkpoints.Entry e : all) {
                if (e.flow().equals(flow.id())) {
                    saved.add(e);
                }
            }
            this.firstRun = saved.isEmpty();
        }
    }

    /**
     * An agent without metrics that, where the file gives no keys, takes its credentials from the default chain.
     * Its clients are made here; nothing is read or sent before {@link #start()}.
     *
     * @param config the configuration
     * @throws AgentConfigException when {@code config} names something the agent cannot use: a malformed Firehose or
     *                              CloudWatch endpoint, no region for a Firehose flow, a role it cannot assume
     * @throws io.runnel.producer.errors.ProducerException when the producer settings are not valid (a
     *                              {@link io.runnel.producer.errors.ConfigException}), or a Kinesis flow has no
     *                              region or a malformed endpoint
     * @throws NullPointerException when {@code config} is null
     */
    public Agent(AgentConfig config) {
        this(config, (io.micrometer.core.instrument.MeterRegistry) null);
    }

    /**
     * An agent reporting to {@code registry} (null: no metrics), with the default chain's credentials where the file
     * gives no keys.
     *
     * @param config   the configuration
     * @param registry where the agent's and the producer's metrics go, or null
     * @throws AgentConfigException when {@code config} names something the agent cannot use: a malformed Firehose or
     *                              CloudWatch endpoint, no region for a Firehose flow, a role it cannot assume
     * @throws io.runnel.producer.errors.ProducerException when the producer settings are not valid (a
     *                              {@link io.runnel.producer.errors.ConfigException}), or a Kinesis flow has no
     *                              region or a malformed endpoint
     * @throws NullPointerException when {@code config} is null
     */
    public Agent(AgentConfig config, io.micrometer.core.instrument.MeterRegistry registry) {
        this(config, registry, null);
    }

    /**
     * An agent reporting to {@code registry} (null: no metrics) that, where the file gives no keys, takes its
     * credentials from {@code chain} (null: the default chain), e.g. one profile's. The agent owns {@code chain} and
     * closes it (with {@link #close()}, or here when construction fails).
     *
     * @param config   the configuration
     * @param registry where the agent's and the producer's metrics go, or null
     * @param chain    the credentials used when the file gives no keys, or null for the default chain
     * @throws AgentConfigException when {@code config} names something the agent cannot use: a malformed Firehose or
     *                              CloudWatch endpoint, no region for a Firehose flow, a role it cannot assume
     * @throws io.runnel.producer.errors.ProducerException when the producer settings are not valid (a
     *                              {@link io.runnel.producer.errors.ConfigException}), or a Kinesis flow has no
     *                              region or a malformed endpoint
     * @throws NullPointerException when {@code config} is null
     */
    public Agent(AgentConfig config, io.micrometer.core.instrument.MeterRegistry registry, CredentialsProvider chain) {
        this.config = config;
        this.checkpoints = new Checkpoints(config.checkpointFile());
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.checkpointIntervalMillis());
        this.registry = registry;
        this.sinks = null;
        // One credentials provider signs for both services: with assumeRoleARN, the role's.
        this.credentials = credentials(config, chain, AwsEnvironment.system(), System.getenv());
        boolean toKinesis = config.flows().stream().anyMatch(f -> !f.toFirehose());
        boolean toFirehose = config.flows().stream().anyMatch(AgentConfig.Flow::toFirehose);
        KinesisSink kinesisSink = null;
        FirehoseClient firehoseClient = null;
        try {
            // The endpoint first: a configuration problem is reported before any client has threads to leave behind.
            Endpoint firehoseAt = toFirehose ? firehoseEndpoint(config, AwsEnvironment.system()) : null;
            ProducerConfig producerConfig = producerConfig(config);
            kinesisSink = toKinesis ? new KinesisSink(new KinesisProducer(producerConfig, credentials, registry),
                    outcomes) : null;
            this.kinesis = kinesisSink;
            firehoseClient = toFirehose ? firehoseClient(producerConfig, firehoseAt, credentials) : null;
            this.firehose = firehoseClient;
            boolean local = (toKinesis && isLoopback(kinesisEndpoint(config, AwsEnvironment.system())))
                    || (toFirehose && isLoopback(firehoseAt.uri().toString()));
            this.cloudWatch = cloudWatchUploader(config, producerConfig, local, credentials, AwsEnvironment.system());
        } catch (RuntimeException e) {
            if (kinesisSink != null) {
                kinesisSink.close(Duration.ZERO);
            }
            if (firehoseClient != null) {
                firehoseClient.close();
            }
            credentials.close(); // a role's provider may already hold an STS client and a refresh thread
            throw e;
        }
    }

    /** For tests: each flow's records go to a sink {@code sinks} makes (with the agent's outcomes); no clients. */
    Agent(AgentConfig config, java.util.function.Function<Sink.Outcomes, Sink> sinks) {
        this.config = config;
        this.checkpoints = new Checkpoints(config.checkpointFile());
        this.checkpointIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.checkpointIntervalMillis());
        this.registry = null;
        this.sinks = sinks;
        this.credentials = credentials(config, CredentialsProvider.of(Credentials.of("test", "test")),
                AwsEnvironment.system(), Map.of()); // the file's keys, if it has them
        this.kinesis = null;
        this.firehose = null;
        this.cloudWatch = cloudWatchUploader(config, producerConfig(config), true, credentials,
                AwsEnvironment.system());
    }

    /**
     * Where a Kinesis flow's records go, as far as it is set: {@code kinesis.endpoint}, else the producer settings'
     * KinesisEndpointUrl, else KinesisEndpoint (a host, https), else {@code AWS_ENDPOINT_URL_KINESIS} /
     * {@code AWS_ENDPOINT_URL} (or a profile's endpoint_url); null for the region's.
     */
    static String kinesisEndpoint(AgentConfig config, AwsEnvironment environment) {
        if (config.endpoint() != null) {
            return config.endpoint();
        }
        String url = config.producer().getProperty(ConfigKeys.KINESIS_ENDPOINT_URL.name(), "").trim();
        if (!url.isEmpty()) {
            return url;
        }
        String host = config.producer().getProperty(ConfigKeys.KINESIS_ENDPOINT.name(), "").trim();
        if (!host.isEmpty()) {
            return "https://" + host;
        }
        AwsEnvironment.Setting fromEnvironment = environment.endpointUrl("kinesis");
        return fromEnvironment == null ? null : fromEnvironment.value();
    }

    /** Whether {@code url}'s host is this machine (literally: no name is looked up). */
    static boolean isLoopback(String url) {
        if (url == null) {
            return false;
        }
        String host = URI.create(url).getHost();
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("[::1]")
                || h.equals("::1") || h.equals("0.0.0.0");
    }

    /**
     * The uploader of the agent's own metrics ({@link AgentMetrics}), or null: {@code cloudwatch.emitMetrics} false;
     * or the destinations are local ({@code local}) and no {@code cloudwatch.endpoint} is set, so that a local
     * endpoint never sends metrics to AWS (one INFO line says so). To {@code cloudwatch.endpoint}, else the region's
     * CloudWatch, signed for {@code kinesis.region}, else the environment's region, else us-east-1. Uploaded every
     * 60 s (the producer's MetricsUploadDelay default) and at close.
     */
    private CloudWatchUploader cloudWatchUploader(AgentConfig config, ProducerConfig producer, boolean local,
            CredentialsProvider signer, AwsEnvironment environment) {
        if (!config.emitMetrics()) {
            return null;
        }
        if (local && config.cloudwatchEndpoint() == null) {
            LOG.info("agent metrics stay local (not uploaded to CloudWatch): the destination endpoint is this machine"
                    + " and cloudwatch.endpoint is not set");
            return null;
        }
        String region = config.region();
        if (region == null) {
            AwsEnvironment.Setting r = environment.region();
            region = r == null ? "us-east-1" : r.value();
        }
        Endpoint at;
        try {
            at = config.cloudwatchEndpoint() != null ? Endpoint.of(config.cloudwatchEndpoint(), region)
                    : NettyCloudWatchClient.regionalEndpoint(region, environment.useFips());
        } catch (IllegalArgumentException e) {
            throw new AgentConfigException(List.of("$.cloudwatch.endpoint: " + e.getMessage()));
        }
        AgentMetrics metrics = new AgentMetrics(() -> {
            List<AgentMetrics.FlowTotals> out = new ArrayList<>();
            for (FlowState f : flows) {
                out.add(new AgentMetrics.FlowTotals(AgentMetrics.destination(f.flow), f.linesRead, f.sent.get(),
                        f.retried.get(), f.behind));
            }
            return out;
        });
        LOG.info("agent metrics go to CloudWatch {} in namespace {}", at.uri(), config.cloudwatchNamespace());
        // through the producer settings' proxy and CAs, as the Kinesis and Firehose clients
        return new CloudWatchUploader(metrics, NettyCloudWatchClient.builder().endpoint(at).credentialsProvider(signer)
                .transportOptions(producer.transportOptions()).trustAllCertificates(!producer.verifyCertificate())
                .connectTimeout(producer.connectTimeout()).maxConnections(Math.min(2, producer.maxConnections()))
                .build(), true, config.cloudwatchNamespace(), METRICS_INTERVAL, Clock.SYSTEM);
    }

    private static final Duration METRICS_INTERVAL = Duration.ofSeconds(60);

    /**
     * The Firehose client: it leaves the way the producer's Kinesis client does (the producer settings' ProxyHost,
     * NonProxyHosts, CaCertFile, CaCertPath, VerifyCertificate, ConnectTimeout), with at most MaxConnections
     * connections.
     */
    static NettyFirehoseClient firehoseClient(ProducerConfig producer, Endpoint endpoint,
            CredentialsProvider credentials) {
        return NettyFirehoseClient.builder().endpoint(endpoint).credentialsProvider(credentials)
                .transportOptions(producer.transportOptions()).trustAllCertificates(!producer.verifyCertificate())
                .connectTimeout(producer.connectTimeout()).maxConnections(Math.min(8, producer.maxConnections()))
                .build();
    }

    private static final Pattern FIREHOSE_HOST = Pattern.compile("firehose(?:-fips)?\\.([a-z0-9-]+)\\.");

    /**
     * Where Firehose requests go: {@code firehose.endpoint}, else the endpoint configured for Firehose
     * (see {@link AwsEnvironment#endpointUrl(String)}), else the region's public endpoint. Signed for
     * {@code kinesis.region}, else the producer's Region, else the environment's region, else the region in a
     * {@code firehose.<region>.amazonaws.com} endpoint.
     *
     * @throws AgentConfigException when no region can be found
     */
    static Endpoint firehoseEndpoint(AgentConfig config, AwsEnvironment environment) {
        String url = config.firehoseEndpoint();
        if (url == null) {
            AwsEnvironment.Setting fromEnvironment = environment.endpointUrl("Firehose");
            url = fromEnvironment == null ? null : fromEnvironment.value();
        }
        String region = config.region();
        if (region == null && !config.producer().getProperty(ConfigKeys.REGION.name(), "").isEmpty()) {
            region = config.producer().getProperty(ConfigKeys.REGION.name());
        }
        if (region == null) {
            AwsEnvironment.Setting fromEnvironment = environment.region();
            region = fromEnvironment == null ? null : fromEnvironment.value();
        }
        if (region == null && url != null) {
            Matcher m = FIREHOSE_HOST.matcher(url);
            region = m.find() ? m.group(1) : null;
        }
        if (region == null) {
            throw new AgentConfigException(List.of("$.kinesis.region: not set, and the environment names no region"
                    + " (aws.region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region): Firehose flows need one"));
        }
        try {
            return url == null ? NettyFirehoseClient.regionEndpoint(region) : Endpoint.of(url, region);
        } catch (IllegalArgumentException e) {
            throw new AgentConfigException(List.of("$.firehose.endpoint: " + e.getMessage()));
        }
    }

    private final io.micrometer.core.instrument.MeterRegistry registry;

    private void registerMetrics(FlowState f) {
        if (registry == null) {
            return;
        }
        io.micrometer.core.instrument.Tags tags = io.micrometer.core.instrument.Tags.of("flow", f.flow.id());
        io.micrometer.core.instrument.FunctionCounter.builder("runnel.agent.lines.read", f, s -> s.linesRead)
                .tags(tags).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("runnel.agent.records.sent", f.sent, AtomicLong::get)
                .tags(tags).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("runnel.agent.puts.retried", f.retried, AtomicLong::get)
                .tags(tags).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("runnel.agent.records.cut", f.cut, AtomicLong::get)
                .tags(tags).register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("runnel.agent.records.skipped", f.skipped,
                AtomicLong::get).tags(tags).register(registry);
        io.micrometer.core.instrument.Gauge.builder("runnel.agent.bytes.behind", f, s -> s.behind).tags(tags)
                .baseUnit("bytes").register(registry);
        io.micrometer.core.instrument.Gauge.builder("runnel.agent.files", f, s -> s.fileCount).tags(tags)
                .register(registry);
    }

    static ProducerConfig producerConfig(AgentConfig config) {
        Properties p = new Properties();
        // The agent retries failed puts itself, forever; a long TTL keeps that rare.
        p.setProperty(ConfigKeys.RECORD_TTL.name(), Long.toString(TimeUnit.MINUTES.toMillis(10)));
        long maxAge = config.flows().stream().filter(f -> !f.toFirehose())
                .mapToLong(AgentConfig.Flow::maxBufferAgeMillis).min().orElse(100);
        p.setProperty(ConfigKeys.RECORD_MAX_BUFFERED_TIME.name(), Long.toString(Math.min(100, maxAge)));
        p.setProperty(ConfigKeys.MAX_BUFFERED_BYTES.name(), Long.toString(PRODUCER_MAX_BUFFERED_BYTES));
        if (config.endpoint() != null) {
            p.setProperty(ConfigKeys.KINESIS_ENDPOINT_URL.name(), config.endpoint());
        }
        if (config.region() != null) {
            p.setProperty(ConfigKeys.REGION.name(), config.region());
        }
        p.putAll(config.producer()); // the file's own producer settings win
        return ProducerConfig.fromProperties(p);
    }

    /**
     * The file's keys, else {@code chain}, else the default chain; with {@code assumeRoleARN}, those are the source
     * credentials of an STS AssumeRole (session {@value #ROLE_SESSION_NAME}) whose role credentials are kept fresh
     * ahead of expiry. The STS endpoint: {@code sts.endpoint}, else the one configured for STS (see
     * {@link AwsEnvironment#endpointUrl(String)}), else that of {@code kinesis.region} (else the environment's region).
     */
    static CredentialsProvider credentials(AgentConfig config, CredentialsProvider chain, AwsEnvironment environment,
            Map<String, String> variables) {
        CredentialsProvider source;
        if (config.accessKeyId() != null) {
            if (chain != null) {
                chain.close(); // the file's keys win
            }
            source = CredentialsProvider.of(Credentials.of(config.accessKeyId(), config.secretKey()));
        } else {
            source = chain != null ? chain : new DefaultCredentialsProvider();
        }
        if (config.assumeRoleArn() == null) {
            return source;
        }
        String region = config.region();
        if (region == null) {
            AwsEnvironment.Setting r = environment.region();
            region = r == null ? null : r.value();
        }
        try {
            return AssumeRoleCredentialsProvider.assumeRole(source, config.assumeRoleArn(), ROLE_SESSION_NAME,
                    config.assumeRoleExternalId(), region,
                    config.stsEndpoint() == null ? null : URI.create(config.stsEndpoint()), variables);
        } catch (CredentialsException | IllegalArgumentException e) {
            throw new AgentConfigException(List.of("$.assumeRoleARN: " + e.getMessage()));
        }
    }

    /**
     * Loads the checkpoints and starts tailing on a thread of its own ({@code runnel-agent}), which polls the files,
     * applies the processing options and hands records to the sinks; Firehose flows each get a sending thread
     * ({@code runnel-agent-firehose-N}). Returns at once; does nothing when the agent is running.
     *
     * @throws java.io.UncheckedIOException when the checkpoint file exists but cannot be read (move it away to start
     *                                      over)
     * @throws IllegalArgumentException     when a flow's {@code filePattern} is not one the agent can match (never for
     *                                      a configuration from {@link AgentConfig#parse}, which checks them)
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        if (!config.ignored().isEmpty()) {
            LOG.warn("settings accepted but not acted on: {}", String.join("; ", config.ignored()));
        }
        List<Checkpoints.Entry> all = checkpoints.load();
        for (AgentConfig.Flow f : config.flows()) {
            FlowState state = new FlowState(f, all);
            if (sinks != null) {
                state.sink = sinks.apply(outcomes);
            } else if (f.toFirehose()) {
                FirehoseSink sink = new FirehoseSink(FirehoseSink.Settings.of(f), firehose, outcomes, System::nanoTime);
                sink.start("runnel-agent-firehose-" + flows.size());
                state.sink = sink;
            } else {
                state.sink = kinesis;
            }
            flows.add(state);
            registerMetrics(state);
        }
        LOG.info("agent: {} flows, checkpoints in {}", flows.size(), checkpoints.file());
        if (cloudWatch != null) {
            cloudWatch.start();
        }
        running = true;
        lastCheckpointNanos = System.nanoTime();
        thread = new Thread(this::run, "runnel-agent");
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                boolean busy = false;
                for (FlowState f : flows) {
                    busy |= poll(f);
                }
                resendDue();
                long now = System.nanoTime();
                if (trackedChanged || now - lastCheckpointNanos >= checkpointIntervalNanos) {
                    trackedChanged = false;
                    if (checkpointsMoved()) {
                        saveCheckpoints();
                        measure();
                    }
                    lastCheckpointNanos = now;
                }
                if (now - lastReportNanos >= TimeUnit.SECONDS.toNanos(30)) {
                    report();
                    lastReportNanos = now;
                }
                if (!busy) {
                    pause(POLL_MILLIS);
                }
            } catch (RuntimeException | IOException e) {
                if (!running) {
                    // stopping: whatever was under way when asked to stop may fail (a file closed under it)
                    LOG.debug("agent loop stopped in the middle of its work", e);
                    return;
                }
                LOG.error("agent loop failed; going on", e);
                pause(1_000);
            }
        }
    }

    /**
     * Waits, until {@link #close} wakes the thread. Not {@link Thread#sleep}: stopping does not interrupt the thread,
     * since an interrupt closes the file channel it is reading (ClosedByInterruptException), and then the checkpoint
     * written at stop could not fingerprint the file.
     */
    private void pause(long millis) {
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /**
     * Stops the agent's thread: wakes it and waits for it to see that it is to stop; interrupts it only if that takes
     * long (the producer waiting for buffer space, up to its MaxBlockMs).
     */
    private void stopThread(long graceMillis) {
        LockSupport.unpark(thread);
        try {
            thread.join(graceMillis);
            if (thread.isAlive()) {
                LOG.info("the agent's thread is still waiting to hand a record over after {} ms; interrupting it",
                        graceMillis);
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean poll(FlowState f) throws IOException {
        discover(f);
        boolean busy = false;
        for (var it = f.files.values().iterator(); it.hasNext();) {
            TrackedFile file = it.next();
            // Bounded twice: by unacknowledged bytes (memory), and by bytes read past the checkpoint, so that one slow
            // early record cannot let a crash re-send a whole file's worth of later, acknowledged lines.
            while (inFlightBytes.get() < MAX_IN_FLIGHT_BYTES && uncheckpointed(f) < MAX_UNCHECKPOINTED_BYTES
                    && running) {
                boolean read = file.poll(line -> send(f, line, partitionKey(f, line)), MULTILINE_IDLE_NANOS);
                truncated(f, file, file.takeTruncation());
                if (!read) {
                    break;
                }
                busy = true;
            }
            // A file no longer under the pattern (rotated away, deleted) is released once read to its end, quiet
            // for a while (a writer may still append just after a rename) and acknowledged.
            if (!file.stillAt(file.path()) && file.idleNanos() > RELEASE_AFTER_IDLE_NANOS && !file.readToEnd()) {
                file.finishPartial(line -> send(f, line, partitionKey(f, line)));
            }
            if (!file.stillAt(file.path()) && file.readToEnd() && file.idleNanos() > RELEASE_AFTER_IDLE_NANOS
                    && !file.hasPending()) {
                LOG.info("released {} ({}), read to its end", file.path(), file.fileKey());
                file.close();
                it.remove();
                trackedChanged = true;
            }
        }
        return busy;
    }

    /** Bytes of the flow's files read (and sent) but not yet behind their checkpoints. */
    private static long uncheckpointed(FlowState f) {
        long total = 0;
        for (TrackedFile file : f.files.values()) {
            total += Math.max(0, file.readOffset() - file.checkpoint());
        }
        return total;
    }

    /**
     * copytruncate: the copy of the old generation (if it matches the pattern) resumes where {@code file} had been read
     * to, and inherits the old generation's records in flight, so its checkpoint covers them. The copy is usually made
     * before the truncation: when it is already tailed it inherits them now, else when it is found.
     */
    private void truncated(FlowState f, TrackedFile file, TrackedFile.Truncation t) throws IOException {
        if (t == null) {
            return;
        }
        LOG.info("{} was truncated in place; reading it again from its start", file.path());
        trackedChanged = true; // the old generation's place goes into the checkpoint file at the next look
        for (TrackedFile other : f.files.values()) {
            if (other != file && t.fingerprint().equals(TrackedFile.fingerprint(other.channel(),
                    t.fingerprintLength()))) {
                other.inherit(t);
                return;
            }
        }
        f.copiedFrom.put(t.fingerprintLength() + "/" + t.fingerprint(), t);
    }

    /**
     * Finds the files under the pattern, in every directory it matches now (new directories included): new files are
     * opened, renamed ones followed.
     */
    private void discover(FlowState f) throws IOException {
        List<Path> dirs = f.pattern.directories();
        if (dirs.isEmpty()) {
            return;
        }
        for (TrackedFile file : f.files.values()) {
            truncated(f, file, file.checkTruncated());
        }
        Map<String, Path> seen = new HashMap<>();
        for (Path dir : dirs) {
            f.listings.files(dir, (d, into) -> list(f, d, into), seen);
        }
        f.listings.retain(dirs);
        for (Map.Entry<String, Path> e : seen.entrySet()) {
            TrackedFile known = f.files.get(e.getKey());
            if (known != null) {
                if (!known.path().equals(e.getValue())) {
                    known.movedTo(e.getValue());
                }
                continue;
            }
            open(f, e.getKey(), e.getValue());
        }
        f.scanned = true;
    }

    /**
     * The regular files of {@code dir} under the flow's pattern, by file key, into {@code into}; never the agent's own
     * checkpoint file.
     */
    private void list(FlowState f, Path dir, Map<String, Path> into) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!f.pattern.matchesFileName(p.getFileName()) || !Files.isRegularFile(p)) {
                    continue;
                }
                if (FilePattern.compressed(p.getFileName())) {
                    if (f.notTailed.add(p.getFileName().toString())) {
                        LOG.info("flow {}: not tailing {}: a compressed file (.gz, .bz2, .zip), as the Kinesis"
                                + " Agent", f.flow.id(), p);
                    }
                    continue;
                }
                if (checkpoints.isOwn(dir, p.getFileName())) {
                    if (f.notTailed.add(p.getFileName().toString())) {
                        LOG.warn("flow {}: not tailing {}: the agent's checkpoint file (or its temporary copy), which"
                                + " the flow's filePattern matches", f.flow.id(), p);
                    }
                    continue;
                }
                try {
                    into.put(TrackedFile.fileKeyOf(p), p);
                } catch (NoSuchFileException gone) {
                    // rotated between listing and looking
                }
            }
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException gone) {
            // the directory went away between two looks; its open files are still followed
        }
    }

    private void open(FlowState f, String key, Path path) throws IOException {
        TrackedFile probe;
        try {
            probe = new TrackedFile(f.flow, path, key, 0);
        } catch (NoSuchFileException gone) {
            return;
        }
        long size = probe.size();
        long offset = -1;
        // The same file as last run (same inode, same first bytes)?
        for (var it = f.saved.iterator(); it.hasNext();) {
            Checkpoints.Entry e = it.next();
            if (!e.truncated() && e.fileKey().equals(key) && e.fingerprint().equals(
                    TrackedFile.fingerprint(probe.channel(), e.fingerprintLength()))) {
                offset = e.offset();
                it.remove();
                break;
            }
        }
        // A copy of a file being read (copytruncate copies before it truncates)? It starts where that file is.
        if (offset < 0) {
            for (TrackedFile other : f.files.values()) {
                int length = other.fingerprintLength();
                if (length > 0 && other.currentFingerprint() != null
                        && other.currentFingerprint().equals(TrackedFile.fingerprint(probe.channel(), length))) {
                    offset = Math.min(other.readOffset(), size);
                    LOG.info("{} starts as a copy of {}", path, other.path());
                    break;
                }
            }
        }
        // A copy of a file read before and since truncated (copytruncate's copy, or a rename across devices)?
        TrackedFile.Truncation copyOf = null;
        if (offset < 0) {
            for (var it = f.copiedFrom.entrySet().iterator(); it.hasNext();) {
                TrackedFile.Truncation c = it.next().getValue();
                if (c.fingerprint().equals(TrackedFile.fingerprint(probe.channel(), c.fingerprintLength()))) {
                    offset = c.readTo();
                    copyOf = c;
                    it.remove();
                    break;
                }
            }
        }
        // The copy of a generation truncated last run while some of its records were in flight? From the first of them.
        if (offset < 0) {
            for (var it = f.saved.iterator(); it.hasNext();) {
                Checkpoints.Entry e = it.next();
                if (e.truncated() && e.fingerprint().equals(
                        TrackedFile.fingerprint(probe.channel(), e.fingerprintLength()))) {
                    offset = e.offset();
                    it.remove();
                    LOG.info("{} starts as the copy of {} truncated in place last run", path, e.path());
                    break;
                }
            }
        }
        if (offset < 0) {
            // initialPosition only for what a flow finds on its very first look; anything else is new: all of it
            boolean skipExisting = f.firstRun && !f.scanned
                    && f.flow.initialPosition() == AgentConfig.InitialPosition.END_OF_FILE;
            offset = skipExisting ? size : 0;
        }
        if (offset > size) {
            offset = 0; // shorter than its checkpoint: truncated while we were away
        }
        probe.close();
        TrackedFile file = new TrackedFile(f.flow, path, key, offset);
        file.refreshFingerprint();
        if (copyOf != null) {
            file.inherit(copyOf);
        }
        f.files.put(key, file);
        trackedChanged = true;
        LOG.info("tailing {} ({}) from byte {} of {}", path, key, offset, size);
    }

    /**
     * A record's partition key. {@code RANDOM}: one random key for each run of {@value #RANDOM_KEY_RUN} records of a
     * flow, as Kafka's sticky partitioner does for records without a key: the records still spread evenly over the
     * shards, and the producer hashes one key and aggregates one key-table entry a run instead of one a record (with a
     * key a record, those were most of its work and 18 bytes of each 100-byte line's aggregate).
     */
    private static String partitionKey(FlowState f, TrackedFile.Line line) {
        AgentConfig.Flow flow = f.flow;
        if (flow.toFirehose()) {
            return null; // Firehose records have none
        }
        if (flow.partitionKeyOption() == AgentConfig.PartitionKeyOption.DETERMINISTIC) {
            try {
                byte[] md5 = MessageDigest.getInstance("MD5").digest(line.bytes());
                return HexFormat.of().formatHex(md5);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        if (--f.randomKeyLeft < 0 || f.randomKey == null) {
            f.randomKey = Long.toHexString(ThreadLocalRandom.current().nextLong());
            f.randomKeyLeft = RANDOM_KEY_RUN - 1;
        }
        return f.randomKey;
    }

    /**
     * A record's bytes: the line after the flow's processing options; for Firehose with its newline (the Kinesis
     * Agent sends a line with its newline, and Firehose delivers records back to back, so this keeps lines apart in
     * the delivered objects). A record already ending in a newline (a cut one, with the default terminator) gets no
     * second one, nor does one after {@code ADDBRACKETS}, whose closing brace follows the newline. Null when an
     * option skipped the record.
     */
    static byte[] recordData(AgentConfig.Flow flow, TrackedFile.Line line) {
        if (!flow.processing().isEmpty()) {
            return recordData(flow, line.text());
        }
        // no options: the bytes as read, never made a string
        byte[] bytes = line.bytes();
        if (!flow.toFirehose() || (bytes.length > 0 && bytes[bytes.length - 1] == '\n')) {
            return bytes;
        }
        byte[] withNewline = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        withNewline[bytes.length] = '\n';
        return withNewline;
    }

    static byte[] recordData(AgentConfig.Flow flow, String text) {
        String out = Processing.chain(flow.processing(), text, flow.toFirehose());
        return out == null ? null : out.getBytes(StandardCharsets.UTF_8);
    }

    private void send(FlowState f, TrackedFile.Line line, String key) {
        f.linesRead++;
        if (line.truncated()) {
            f.cut.incrementAndGet();
        }
        f.bytesRead += line.end() - line.start();
        byte[] data = recordData(f.flow, line);
        if (data == null) {
            // skipped by a processing option (a line LOGTOJSON's format does not match), as the Kinesis Agent does:
            // not sent, and the checkpoint moves past it
            f.skipped.incrementAndGet();
            line.file().acknowledged(line.generation(), line.start());
            return;
        }
        put(f, new Sink.Outgoing(line, key, data));
    }

    private void put(FlowState f, Sink.Outgoing record) {
        inFlightBytes.addAndGet(charge(record));
        f.sink.put(record);
    }

    /** What an unacknowledged record counts for against {@link #MAX_IN_FLIGHT_BYTES}. */
    private static long charge(Sink.Outgoing record) {
        return record.data().length + RECORD_OVERHEAD_BYTES;
    }

    /** What the sinks report, from their threads: checkpoints, in-flight bytes and counts move here. */
    private final class Acknowledgements implements Sink.Outcomes {
        @Override
        public void delivered(Sink.Outgoing r) {
            inFlightBytes.addAndGet(-charge(r));
            recordsSent.incrementAndGet();
            flowOf(r.line()).sent.incrementAndGet();
            r.line().file().acknowledged(r.line().generation(), r.line().start());
        }

        @Override
        public void rejected(Sink.Outgoing r, String why) {
            LOG.error("skipping a record of {} at byte {} that {} cannot take: {}", r.line().file().path(),
                    r.line().start(), r.line().file().flow().toFirehose() ? "Firehose" : "Kinesis", why);
            inFlightBytes.addAndGet(-charge(r));
            r.line().file().acknowledged(r.line().generation(), r.line().start());
        }

        @Override
        public void failed(Sink.Outgoing r) {
            recordsFailed.incrementAndGet();
            flowOf(r.line()).retried.incrementAndGet();
            inFlightBytes.addAndGet(-charge(r));
            resends.add(new Resend(r, System.nanoTime() + RESEND_DELAY_NANOS));
        }

        @Override
        public void abandoned(Sink.Outgoing r) {
            inFlightBytes.addAndGet(-charge(r)); // stopping: the checkpoint stays before it
        }

        @Override
        public void retried(Sink.Outgoing r) {
            flowOf(r.line()).retried.incrementAndGet();
        }
    }

    private FlowState flowOf(TrackedFile.Line line) {
        for (FlowState f : flows) {
            if (f.flow == line.file().flow()) {
                return f;
            }
        }
        throw new IllegalStateException("no flow for " + line.file().path());
    }

    private void resendDue() {
        long now = System.nanoTime();
        int n = resends.size();
        for (int i = 0; i < n; i++) {
            Resend r = resends.poll();
            if (r == null) {
                break;
            }
            if (r.dueNanos() > now) {
                resends.add(r);
                continue;
            }
            put(flowOf(r.record().line()), r.record());
        }
    }

    /** Each file's checkpoint, then those of its truncated generations, as last saved. */
    private final Map<TrackedFile, List<Long>> lastSaved = new java.util.IdentityHashMap<>();

    private boolean checkpointsMoved() {
        boolean moved = flows.stream().mapToInt(f -> f.files.size()).sum() != lastSaved.size(); // opened, released
        // the files tracked now: those saved and no longer among them go (a lookup per file, not a search of every
        // flow's files)
        java.util.Set<TrackedFile> tracked = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (FlowState f : flows) {
            for (TrackedFile file : f.files.values()) {
                tracked.add(file);
                List<Long> cp = new ArrayList<>();
                cp.add(file.checkpoint());
                file.orphanedGenerations().forEach(t -> cp.add(t.checkpoint()));
                if (!cp.equals(lastSaved.put(file, cp))) {
                    moved = true;
                }
            }
        }
        lastSaved.keySet().removeIf(file -> !tracked.contains(file));
        return moved;
    }

    private void saveCheckpoints() throws IOException {
        List<Checkpoints.Entry> entries = new ArrayList<>();
        for (FlowState f : flows) {
            for (TrackedFile file : f.files.values()) {
                for (TrackedFile.Truncation t : file.orphanedGenerations()) {
                    if (t.fingerprint() != null) {
                        entries.add(new Checkpoints.Entry(f.flow.id(), file.fileKey(), t.fingerprint(),
                                t.fingerprintLength(), file.path().toString(), t.checkpoint(), true));
                    }
                }
                String fp = file.refreshFingerprint();
                if (fp == null) {
                    continue; // empty file: nothing to remember
                }
                int length = file.fingerprintLength();
                entries.add(new Checkpoints.Entry(f.flow.id(), file.fileKey(), fp, length, file.path().toString(),
                        file.checkpoint()));
            }
            entries.addAll(f.saved.stream().filter(e -> Files.exists(Path.of(e.path()))).toList());
        }
        checkpoints.save(entries);
    }

    private void measure() throws IOException {
        for (FlowState f : flows) {
            long behind = 0;
            for (TrackedFile file : f.files.values()) {
                behind += Math.max(0, file.size() - file.checkpoint());
            }
            f.behind = behind;
            f.fileCount = f.files.size();
        }
    }

    private void report() throws IOException {
        measure();
        for (FlowState f : flows) {
            LOG.info("flow {}: {} files, {} lines read, {} records sent, {} puts retried, {} records cut, {} records "
                    + "skipped by processing options, {} bytes behind", f.flow.id(), f.fileCount, f.linesRead,
                    f.sent.get(), f.retried.get(), f.cut.get(), f.skipped.get(), f.behind);
        }
    }

    /** Whether the agent's metrics go to CloudWatch. */
    boolean uploadsMetrics() {
        return cloudWatch != null;
    }

    /** {@return the records stored by Kinesis or Firehose so far, over all flows (skipped ones not counted)} */
    public long recordsSent() {
        return recordsSent.get();
    }

    /**
     * Stops reading, waits up to {@code timeout} for what was sent, writes the checkpoints and closes the producer,
     * the Firehose client and the credentials. The sinks drain in parallel, each for up to {@code timeout}; records
     * still unacknowledged then stay after the checkpoint and are sent again on the next run. The last metrics upload
     * may take up to {@code timeout} more, and the agent's thread up to 15 s to stop if it is blocked handing a record
     * over. A failure to write the checkpoints is logged, not thrown. An agent never started only closes its clients;
     * one closed already is left as it is.
     *
     * @param timeout how long the sinks (and then the last metrics upload) may take
     */
    public void close(Duration timeout) {
        synchronized (this) {
            if (!running) {
                if (thread == null && !closedUnstarted) { // never started: only the clients to close
                    closedUnstarted = true;
                    if (kinesis != null) {
                        kinesis.close(Duration.ZERO);
                    }
                    if (firehose != null) {
                        firehose.close();
                    }
                    if (cloudWatch != null) {
                        cloudWatch.close(Duration.ZERO);
                    }
                    credentials.close();
                }
                return;
            }
            running = false;
        }
        if (kinesis != null) {
            kinesis.stopWaiting(); // a put waiting for the producer's buffer gives up: the record stays unacknowledged
        }
        stopThread(TimeUnit.SECONDS.toMillis(5));
        // Sinks drain in parallel: each gets the whole timeout, they all start now.
        List<Thread> closers = new ArrayList<>();
        java.util.Set<Sink> sinks = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (FlowState f : flows) {
            sinks.add(f.sink);
        }
        if (kinesis != null) {
            sinks.add(kinesis);
        }
        for (Sink sink : sinks) {
            Thread t = new Thread(() -> sink.close(timeout), "runnel-agent-close");
            t.start();
            closers.add(t);
        }
        for (Thread t : closers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            saveCheckpoints();
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot write the checkpoints at shutdown", e);
        }
        if (cloudWatch != null) {
            try {
                measure();
            } catch (IOException | RuntimeException e) {
                LOG.debug("cannot measure the bytes behind at shutdown", e);
            }
            cloudWatch.close(timeout); // uploads the last interval
        }
        for (FlowState f : flows) {
            f.files.values().forEach(TrackedFile::close);
        }
        if (firehose != null) {
            firehose.close();
        }
        credentials.close();
    }

    /** As {@link #close(Duration)}, waiting up to 30 s for what was sent. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * For tests, a crash: the agent's thread stops where it is, nothing is drained and no last checkpoint is written
     * (those written so far stay). The sinks are the test's.
     */
    void halt() throws InterruptedException {
        synchronized (this) {
            running = false;
        }
        stopThread(TimeUnit.SECONDS.toMillis(10));
        for (FlowState f : flows) {
            f.files.values().forEach(TrackedFile::close);
        }
    }
}
