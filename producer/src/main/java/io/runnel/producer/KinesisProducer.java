package io.runnel.producer;

import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.BufferFullException;
import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.producer.errors.ProducerClosedException;
import io.runnel.producer.errors.ProducerException;
import io.runnel.producer.internal.BufferBudget;
import io.runnel.producer.internal.Clock;
import io.runnel.producer.internal.CredentialsRefresher;
import io.runnel.producer.internal.Completer;
import io.runnel.producer.internal.HashKeyCache;
import io.runnel.producer.internal.PendingUserRecord;
import io.runnel.producer.internal.Pipelines;
import io.runnel.producer.metrics.CloudWatchMetrics;
import io.runnel.producer.metrics.CloudWatchUploader;
import io.runnel.producer.metrics.CompositeProducerMetrics;
import io.runnel.producer.metrics.MicrometerProducerMetrics;
import io.runnel.producer.metrics.ProducerMetrics;
import io.runnel.wire.Endpoint;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.Protocol;
import io.runnel.wire.auth.AwsEnvironment;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import io.runnel.wire.cloudwatch.NettyCloudWatchClient;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A high-throughput Kinesis producer in the manner of the KPL, in pure Java. {@code addUserRecord} validates the
 * record, reserves buffer space, hands it to the pipeline and returns its future at once; the pipeline predicts each
 * record's shard, aggregates records per shard, keeps within each shard's throughput, collects PutRecords requests,
 * retries what Kinesis refuses until RecordTtl, and completes every future exactly once.
 *
 * <pre>{@code
 * try (KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region("eu-west-1").build())) {
 *     producer.addUserRecord("clicks", userId, payload).whenComplete((result, error) -> ...);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Futures complete on one callback thread ({@code runnel-callback}), never on an I/O or pipeline
 * thread; keep callbacks short (a slow one delays other completions, not sending). The one exception: records that
 * {@link #close(Duration)} or {@link #shutdownNow()} fail without the pipeline (it was stuck, or they arrived as it
 * stopped) complete on the closing thread, or on the adding one.
 */
public final class KinesisProducer implements Producer {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisProducer.class);
    /** The longest close waits for the last CloudWatch upload. */
    private static final Duration MAX_METRICS_CLOSE = Duration.ofSeconds(5);

    private final ProducerConfig config;
    private final KinesisClient client;
    private final boolean ownsClient;
    private final Clock clock;
    private final ProducerMetrics metrics;
    private final CloudWatchUploader cloudWatch; // null: metrics are not uploaded
    private final CredentialsRefresher refresher; // null: the clients sign with what they were given
    private final BufferBudget budget;
    /**
     * The MD5 of recent partition keys, shared by the threads that add records. Only keys that passed
     * UserRecordChecks go in: a key found there needs no check again (its UTF-8 scan was ~0.07x the adding thread's
     * CPU in loadgen at 500,000 records a second).
     */
    private final HashKeyCache hashKeys = new HashKeyCache(8192);
    private final Pipelines pipeline;
    private final ExecutorService callbacks;
    private final AtomicLong outstanding = new AtomicLong();
    private final AtomicLong completing = new AtomicLong(); // counted out, futures being completed
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition drained = drainLock.newCondition();
    private final AtomicBoolean closed = new AtomicBoolean();
    // settings addUserRecord reads for every record, looked up once
    private final int maxUserRecordBytes;
    private final int aggregateMaxBytes; // 0: aggregation off
    private final boolean blockWhenFull;
    private final long maxBlockNanos;
    private final long recordTtlNanos;
    private volatile boolean halted; // the pipeline thread has stopped: callers complete what they publish

    /**
     * A producer with its own Kinesis client, built from the configuration's endpoint and region, signing with the AWS
     * SDK v2's default credentials chain (closed with the producer), read every CredentialsRefreshDelay on a
     * background thread ({@code runnel-credentials-refresh}).
     *
     * @param config the configuration
     * @throws ProducerException    when no region is set (in the configuration or the environment) or an endpoint is
     *                              malformed
     * @throws NullPointerException when {@code config} is null
     */
    public KinesisProducer(ProducerConfig config) {
        this(refresherFor(config, null), config, null);
    }

    /**
     * A producer with its own client using {@code credentials} (not closed with the producer). Unless they are static,
     * they are read every CredentialsRefreshDelay on a background thread ({@code runnel-credentials-refresh}), never
     * on the sender's.
     *
     * @param config      the configuration
     * @param credentials what requests (and CloudWatch uploads) are signed with
     * @throws ProducerException    when no region is set (in the configuration or the environment) or an endpoint is
     *                              malformed
     * @throws NullPointerException when {@code config} or {@code credentials} is null
     */
    public KinesisProducer(ProducerConfig config, CredentialsProvider credentials) {
        this(config, credentials, null);
    }

    /**
     * A producer over a client you own (it is not closed with the producer); the configuration's endpoint, region
     * and connection properties are the client's business.
     *
     * @param config the configuration
     * @param client the Kinesis client every request goes through
     * @throws ProducerException    when a CloudWatch endpoint is set and malformed
     * @throws NullPointerException when {@code config} or {@code client} is null
     */
    public KinesisProducer(ProducerConfig config, KinesisClient client) {
        this(config, client, false, Clock.SYSTEM, null);
    }

    /**
     * A producer with its own client using {@code credentials} (as {@link #KinesisProducer(ProducerConfig,
     * CredentialsProvider)}), reporting to {@code registry} at the configured MetricsLevel and MetricsGranularity.
     *
     * @param config      the configuration
     * @param credentials what requests (and CloudWatch uploads) are signed with
     * @param registry    where the KPL's metrics go (under the KPL's names); null: none but CloudWatch's
     * @throws ProducerException    when no region is set (in the configuration or the environment) or an endpoint is
     *                              malformed
     * @throws NullPointerException when {@code config} or {@code credentials} is null
     */
    public KinesisProducer(ProducerConfig config, CredentialsProvider credentials,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this(refresherFor(config, Objects.requireNonNull(credentials, "credentials")), config, registry);
    }

    private KinesisProducer(CredentialsProvider signing, ProducerConfig config,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this(config, clientFor(config, signing), true, Clock.SYSTEM, registry, signing, AwsEnvironment.system(),
                Clock.SYSTEM);
    }

    /**
     * What the producer's clients sign with: {@code user} itself when it is static, else a {@link CredentialsRefresher}
     * reading it (or, when {@code user} is null, the default chain it makes and owns) every CredentialsRefreshDelay;
     * started with the producer.
     */
    static CredentialsProvider refresherFor(ProducerConfig config, CredentialsProvider user) {
        if (user != null && !CredentialsRefresher.needsRefresher(user)) {
            return user;
        }
        CredentialsProvider source = user != null ? user : new DefaultCredentialsProvider(System.getenv(),
                System.getProperties(), java.nio.file.Path.of(System.getProperty("user.home")),
                java.time.Clock.systemUTC(), config.transportOptions());
        return new CredentialsRefresher(source, user == null,
                Duration.ofMillis(config.get(ConfigKeys.CREDENTIALS_REFRESH_DELAY)), Clock.SYSTEM,
                CredentialsRefresher.daemonScheduler());
    }

    KinesisProducer(ProducerConfig config, KinesisClient client, boolean ownsClient, Clock clock,
            io.micrometer.core.instrument.MeterRegistry registry) {
        this(config, client, ownsClient, clock, registry, null, AwsEnvironment.system(), Clock.SYSTEM);
    }

    /**
     * @param cloudWatchCredentials what CloudWatch uploads are signed with; null: the default chain
     * @param environment           where a CloudWatch endpoint, the region and FIPS come from
     * @param metricsClock          the clock of the CloudWatch upload intervals (tests drive it by hand)
     */
    KinesisProducer(ProducerConfig config, KinesisClient client, boolean ownsClient, Clock clock,
            io.micrometer.core.instrument.MeterRegistry registry, CredentialsProvider cloudWatchCredentials,
            AwsEnvironment environment, Clock metricsClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.maxUserRecordBytes = config.maxUserRecordSizeBytes();
        this.aggregateMaxBytes = config.aggregationEnabled() ? config.aggregationMaxSizeBytes() : 0;
        this.blockWhenFull = "BLOCK".equals(config.get(ConfigKeys.BACKPRESSURE_POLICY));
        this.maxBlockNanos = config.maxBlock().toNanos();
        this.recordTtlNanos = config.recordTtl().toNanos();
        this.client = Objects.requireNonNull(client, "client");
        this.ownsClient = ownsClient;
        this.clock = clock;
        String level = config.get(ConfigKeys.METRICS_LEVEL);
        String granularity = config.get(ConfigKeys.METRICS_GRANULARITY);
        List<ProducerMetrics> reporters = new ArrayList<>(2);
        if (registry != null && !"NONE".equals(level)) {
            reporters.add(new MicrometerProducerMetrics(registry, level, granularity));
        }
        this.refresher = cloudWatchCredentials instanceof CredentialsRefresher r ? r : null;
        this.cloudWatch = "NONE".equals(level) ? null : cloudWatchUploader(config, client, cloudWatchCredentials,
                environment, metricsClock, new CloudWatchMetrics(level, granularity, outstanding::get), reporters);
        this.metrics = CompositeProducerMetrics.of(reporters);
        if (registry != null && !"NONE".equals(level)) {
            io.micrometer.core.instrument.Gauge.builder(MicrometerProducerMetrics.USER_RECORDS_PENDING, outstanding,
                    AtomicLong::get).register(registry);
        }
        this.budget = new BufferBudget(config.maxBufferedBytes());
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "runnel-callback");
            t.setDaemon(true);
            return t;
        });
        Completer completer = (done, ok, bad, bytes, stored) -> onCallbackThread(() -> {
            if (!done.isEmpty()) {
                finishAll(done, ok, bad, bytes);
            }
            // One stored Kinesis record at a time: its user records are claimed and then completed while the core
            // still has them in its cache; a response's thousands at once would be fetched from memory twice.
            for (int i = 0, n = stored.size(); i < n; i++) {
                done.clear();
                long storedBytes = stored.claimInto(i, done);
                if (!done.isEmpty()) {
                    finishAll(done, done.size(), 0, storedBytes);
                }
            }
        });
        this.pipeline = new Pipelines(config, client, clock, completer, metrics, budget::holdKeys,
                firstRequestsAfter(refresher), budget::callersWaitForRoom);
        if (refresher != null) {
            refresher.start();
        }
        if (cloudWatch != null) {
            cloudWatch.start();
        }
    }

    /**
     * When the pipeline may send its first request: once the refresher's first fetch has finished (the producer's
     * clients sign with it), else at once.
     */
    private static CompletableFuture<Void> firstRequestsAfter(CredentialsRefresher refresher) {
        return refresher != null ? refresher.firstFetch() : CompletableFuture.completedFuture(null);
    }

    /**
     * The CloudWatch uploader, its metrics added to {@code reporters}, or null when metrics stay local: uploads go to
     * the endpoint {@link #cloudWatchEndpointFor} picks, never to AWS for a local Kinesis endpoint.
     */
    private static CloudWatchUploader cloudWatchUploader(ProducerConfig config, KinesisClient client,
            CredentialsProvider credentials, AwsEnvironment environment, Clock metricsClock,
            CloudWatchMetrics cloudWatchMetrics, List<ProducerMetrics> reporters) {
        Endpoint kinesis = client instanceof NettyKinesisClient n ? n.endpoint() : null;
        Endpoint endpoint = cloudWatchEndpointFor(config, kinesis, environment);
        if (endpoint == null) {
            LOG.info("Metrics stay local (not uploaded to CloudWatch): the Kinesis endpoint {} is not AWS's and no "
                    + "CloudWatch endpoint is set (CloudwatchEndpointUrl, CloudwatchEndpoint, "
                    + "AWS_ENDPOINT_URL_CLOUDWATCH, aws.endpointUrlCloudWatch, a services section)",
                    kinesis == null ? "(a client passed in)" : kinesis.uri());
            return null;
        }
        // The Kinesis client's proxy, CAs, verification and connect timeout; at most two connections (an upload a
        // minute needs no more), fewer when MaxConnections says so.
        NettyCloudWatchClient.Builder b = NettyCloudWatchClient.builder().endpoint(endpoint)
                .transportOptions(config.transportOptions()).connectTimeout(config.connectTimeout())
                .maxConnections(Math.min(2, config.maxConnections()))
                .trustAllCertificates(!config.verifyCertificate());
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        String namespace = config.get(ConfigKeys.METRICS_NAMESPACE);
        Duration interval = Duration.ofMillis(config.get(ConfigKeys.METRICS_UPLOAD_DELAY));
        CloudWatchUploader uploader = new CloudWatchUploader(cloudWatchMetrics, b.build(), true, namespace, interval,
                metricsClock);
        reporters.add(cloudWatchMetrics);
        LOG.info("Uploading {} metrics ({} granularity) to CloudWatch {} in namespace {} every {} ms",
                config.get(ConfigKeys.METRICS_LEVEL), config.get(ConfigKeys.METRICS_GRANULARITY), endpoint.uri(),
                namespace, interval.toMillis());
        return uploader;
    }

    /**
     * Where CloudWatch metrics go, or null for nowhere: CloudwatchEndpointUrl, else CloudwatchEndpoint (HTTPS, with
     * CloudwatchPort), else an endpoint configured for CloudWatch alone (the system property
     * {@code aws.endpointUrlCloudWatch}, {@code AWS_ENDPOINT_URL_CLOUDWATCH} or the profile's services section, when
     * it wins as in {@link AwsEnvironment#endpointUrl(String)}), else the region's CloudWatch when the Kinesis
     * endpoint is AWS's ({@code *.amazonaws.com}, {@code *.amazonaws.com.cn}, {@code *.api.aws}); a local Kinesis
     * endpoint (or an unknown one, of a client passed in) keeps metrics local. Signed for the Kinesis endpoint's
     * region, else the configured or environment's region, else {@code us-east-1}.
     *
     * @param kinesis the Kinesis endpoint, or null when unknown
     */
    static Endpoint cloudWatchEndpointFor(ProducerConfig config, Endpoint kinesis, AwsEnvironment environment) {
        String url = config.get(ConfigKeys.CLOUDWATCH_ENDPOINT_URL);
        String host = config.get(ConfigKeys.CLOUDWATCH_ENDPOINT);
        // only a CloudWatch setting: a general one (AWS_ENDPOINT_URL, endpoint_url) already decided where Kinesis goes
        AwsEnvironment.Setting fromEnvironment = environment.serviceEndpointUrl("CloudWatch");
        if (url.isEmpty() && host.isEmpty() && fromEnvironment == null) {
            return kinesis != null && isAws(kinesis.host())
                    ? NettyCloudWatchClient.regionalEndpoint(kinesis.region(), environment.useFips()) : null;
        }
        String region = kinesis != null ? kinesis.region() : config.get(ConfigKeys.REGION);
        if (region.isEmpty()) {
            AwsEnvironment.Setting r = environment.region();
            region = r == null ? "us-east-1" : r.value();
        }
        try {
            if (!url.isEmpty()) {
                return Endpoint.of(url, region);
            }
            if (!host.isEmpty()) {
                return Endpoint.of("https://" + host + ":" + config.get(ConfigKeys.CLOUDWATCH_PORT), region);
            }
            return Endpoint.of(fromEnvironment.value(), region);
        } catch (IllegalArgumentException e) {
            String source = !url.isEmpty() ? "CloudwatchEndpointUrl" : !host.isEmpty() ? "CloudwatchEndpoint"
                    : fromEnvironment.source();
            throw new ProducerException(source + ": " + e.getMessage(), e);
        }
    }

    private static boolean isAws(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.endsWith(".amazonaws.com") || h.endsWith(".amazonaws.com.cn") || h.endsWith(".api.aws")
                || h.endsWith(".api.amazonwebservices.com.cn");
    }

    /** Test hook: the CloudWatch uploader, or null when metrics stay local. */
    CloudWatchUploader cloudWatchUploader() {
        return cloudWatch;
    }

    private void onCallbackThread(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
            task.run(); // after close: complete here rather than never
        }
    }

    static KinesisClient clientFor(ProducerConfig config, CredentialsProvider credentials) {
        return clientFor(config, credentials, AwsEnvironment.system());
    }

    /**
     * The client for {@code config}: its Region, else the region the environment gives (system property
     * {@code aws.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, the profile's, the instance metadata's);
     * its KinesisEndpointUrl or KinesisEndpoint, else the endpoint configured for Kinesis (system properties,
     * {@code AWS_ENDPOINT_URL_KINESIS}, {@code AWS_ENDPOINT_URL}, the profile's services section, its
     * {@code endpoint_url}: see {@link AwsEnvironment#endpointUrl(String)}), else the region's public endpoint (FIPS
     * and dual-stack as the environment
     * asks). Through ProxyHost (but for NonProxyHosts) when set, trusting CaCertFile and CaCertPath besides the JDK's
     * CAs, keeping MinConnections open; the default credentials chain (when {@code credentials} is null) reaches STS
     * the same way.
     */
    static KinesisClient clientFor(ProducerConfig config, CredentialsProvider credentials, AwsEnvironment environment) {
        Endpoint endpoint = endpointFor(config, environment);
        NettyKinesisClient.Builder b = NettyKinesisClient.builder().endpoint(endpoint);
        if (credentials != null) {
            b.credentialsProvider(credentials);
        } // else the client makes the default chain, and closes it with itself
        b.transportOptions(config.transportOptions());
        return b.protocol(Protocol.valueOf(config.get(ConfigKeys.PROTOCOL)))
                .maxConnections(config.maxConnections())
                .minConnections(config.get(ConfigKeys.MIN_CONNECTIONS).intValue())
                .connectTimeout(config.connectTimeout())
                .requestTimeout(config.requestTimeout())
                .trustAllCertificates(!config.verifyCertificate()).build();
    }

    /** Where {@code config}'s requests go and the region they are signed for (see {@link #clientFor}). */
    static Endpoint endpointFor(ProducerConfig config, AwsEnvironment environment) {
        String region = config.get(ConfigKeys.REGION);
        if (region.isEmpty()) {
            AwsEnvironment.Setting fromEnvironment = environment.region();
            region = fromEnvironment == null ? "" : fromEnvironment.value();
        }
        if (region.isEmpty()) {
            throw new ProducerException("Region is not set (config Region, or the system property aws.region, "
                    + "AWS_REGION, AWS_DEFAULT_REGION, the profile's region or, on EC2, the instance metadata)");
        }
        Endpoint endpoint;
        String url = config.get(ConfigKeys.KINESIS_ENDPOINT_URL);
        String host = config.get(ConfigKeys.KINESIS_ENDPOINT);
        AwsEnvironment.Setting fromEnvironment = environment.endpointUrl("Kinesis");
        if (!url.isEmpty()) {
            endpoint = Endpoint.of(url, region);
        } else if (!host.isEmpty()) {
            endpoint = Endpoint.of("https://" + host + ":" + config.get(ConfigKeys.KINESIS_PORT), region);
        } else if (fromEnvironment != null) {
            try {
                endpoint = Endpoint.of(fromEnvironment.value(), region);
            } catch (IllegalArgumentException e) {
                throw new ProducerException(fromEnvironment.source() + ": " + e.getMessage(), e);
            }
        } else {
            endpoint = Endpoint.forRegion(region, environment.useFips(), environment.useDualStack());
        }
        return endpoint;
    }

    /** Puts a record; see {@link #addUserRecord(UserRecord)}. */
    @Override
    public CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, byte[] data) {
        return add(stream, partitionKey, null, data);
    }

    /** Puts a record routed by an explicit hash key; see {@link #addUserRecord(UserRecord)}. */
    @Override
    public CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey,
            String explicitHashKey, byte[] data) {
        return add(stream, partitionKey, explicitHashKey, data);
    }

    /**
     * Puts a record whose data is the remaining bytes of {@code data}, copied (the buffer's position is unchanged);
     * see {@link #addUserRecord(UserRecord)}.
     *
     * @param stream       the stream's name
     * @param partitionKey 1 to 256 characters; its MD5 decides the shard
     * @param data         the payload, from its position to its limit
     * @return the record's future, completed on the {@code runnel-callback} thread
     * @throws InvalidUserRecordException when the record breaks a Kinesis rule (named in the message)
     * @throws BufferFullException        when MaxBufferedBytes or the ring is full and the record could not wait
     *                                    (BackpressurePolicy FAIL) or waited MaxBlockMs
     * @throws ProducerClosedException    after close or shutdownNow
     */
    public CompletableFuture<UserRecordResult> addUserRecord(String stream, String partitionKey, ByteBuffer data) {
        if (data == null) {
            throw new InvalidUserRecordException("Data: must not be null");
        }
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        return add(stream, partitionKey, null, copy);
    }

    /**
     * Puts a record. Returns at once with a future that completes exactly once: with the record's shard and
     * sequence number, or exceptionally with a {@link io.runnel.producer.errors.UserRecordFailedException} (expired
     * after RecordTtl, rejected by Kinesis, or past UserRecordTimeoutInMillis) or a {@link ProducerClosedException}
     * (shutdownNow), on the {@code runnel-callback} thread. The caller's thread checks the record and reserves its
     * buffer space, waiting up to MaxBlockMs under BackpressurePolicy BLOCK (for space, or while buffered records of
     * the record's shard have waited a quarter of RecordTtl).
     *
     * @param record the record
     * @return the record's future; cancelling or completing it does not stop the record being sent
     * @throws InvalidUserRecordException when the record breaks a Kinesis rule (named in the message)
     * @throws BufferFullException        when MaxBufferedBytes or the ring is full and the record could not wait
     *                                    (BackpressurePolicy FAIL) or waited MaxBlockMs
     * @throws ProducerClosedException    after close or shutdownNow
     * @throws NullPointerException       when {@code record} is null
     */
    @Override
    public CompletableFuture<UserRecordResult> addUserRecord(UserRecord record) {
        Objects.requireNonNull(record, "record");
        return add(record.stream(), record.partitionKey(), record.explicitHashKey(), record.data());
    }

    /**
     * Puts a record and calls {@code callback} with its outcome, on the {@code runnel-callback} thread, without a
     * future: see {@link Producer#addUserRecord(UserRecord, java.util.function.BiConsumer)}.
     */
    @Override
    public void addUserRecord(UserRecord record,
            java.util.function.BiConsumer<? super UserRecordResult, ? super Throwable> callback) {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(callback, "callback");
        add(record.stream(), record.partitionKey(), record.explicitHashKey(), record.data(), callback);
    }

    /** {@link #addUserRecord(UserRecord, java.util.function.BiConsumer)} without the record object. */
    @Override
    public void addUserRecord(String stream, String partitionKey, byte[] data,
            java.util.function.BiConsumer<? super UserRecordResult, ? super Throwable> callback) {
        Objects.requireNonNull(callback, "callback");
        add(stream, partitionKey, null, data, callback);
    }

    private CompletableFuture<UserRecordResult> add(String stream, String partitionKey, String explicitHashKey,
            byte[] data) {
        return add(stream, partitionKey, explicitHashKey, data, null);
    }

    /**
     * {@link #addUserRecord(UserRecord)} without the record object the other overloads would make; with a callback
     * (not null), the outcome goes to it rather than to the returned future.
     */
    private CompletableFuture<UserRecordResult> add(String stream, String partitionKey, String explicitHashKey,
            byte[] data, java.util.function.BiConsumer<? super UserRecordResult, ? super Throwable> callback) {
        if (closed.get()) {
            throw new ProducerClosedException("the producer is closed");
        }
        if (stream == null || stream.isEmpty()) {
            throw new InvalidUserRecordException("StreamName: must not be empty");
        }
        // a partition key the cache holds was checked when it went in
        io.runnel.wire.HashKey knownKey = explicitHashKey == null && partitionKey != null
                ? hashKeys.cached(partitionKey) : null;
        UserRecordChecks.checkDataAndKeys(knownKey != null ? null : partitionKey, explicitHashKey, data);
        if (data.length > maxUserRecordBytes) {
            throw new InvalidUserRecordException("Data: is " + data.length + " bytes, more than "
                    + "MaxUserRecordSize " + maxUserRecordBytes);
        }
        long bytes = budgetBytes(data.length, partitionKey, aggregateMaxBytes);
        long waitNanos = blockWhenFull ? maxBlockNanos : 0;
        // When this call first had to wait (MaxBlockMs bounds the waits for the budget and the ring together); read
        // only then: a clock read costs as much as a good part of adding a record on some machines.
        long start = Long.MIN_VALUE;
        long waitedFrom = Long.MIN_VALUE; // the producer's clock then: the record's latency counts from it
        // The record's hash key is worked out here, on the caller's thread (callers in parallel, the pipeline thread
        // spared an MD5 for each new key): the pipeline predicts the shard from it, and while some shard of the stream
        // falls behind, records of that shard's keys wait here while the others go on.
        io.runnel.wire.HashKey hashKey = knownKey != null ? knownKey : hashKeyOf(partitionKey, explicitHashKey);
        try {
            boolean reserved = budget.reserve(bytes, 0, stream, hashKey);
            if (!reserved && waitNanos > 0) {
                start = System.nanoTime();
                waitedFrom = clock.nanoTime();
                reserved = budget.reserve(bytes, waitNanos, stream, hashKey);
            }
            if (!reserved) {
                String why = budget.keyHeld(stream, hashKey)
                        ? "buffered records of its shard have waited a quarter of RecordTtl "
                        + config.recordTtl().toMillis() + " ms to be sent (the shard takes less than is added)"
                        : "MaxBufferedBytes " + config.maxBufferedBytes() + " is full";
                throw new BufferFullException(why + (blockWhenFull ? " and stayed so for MaxBlockMs "
                        + config.maxBlock().toMillis() : ""));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BufferFullException("interrupted while waiting for buffer space");
        }
        long arrival = clock.nanoTime();
        PendingUserRecord pending = PendingUserRecord.create(stream, partitionKey, explicitHashKey, data, arrival,
                recordTtlNanos, bytes).withHashKey(hashKey).withCallback(callback);
        if (waitedFrom != Long.MIN_VALUE) {
            pending.withWait(arrival - waitedFrom);
        }
        outstanding.incrementAndGet();
        metrics.userRecordReceived(stream, data.length);
        while (!pipeline.tryPublish(pending)) {
            if (start == Long.MIN_VALUE) {
                start = System.nanoTime();
            }
            if (!blockWhenFull || System.nanoTime() - start > waitNanos || closed.get()) {
                budget.release(bytes);
                decrementOutstanding(1);
                throw new BufferFullException("the ring buffer (RingBufferSize " + config.ringBufferSize()
                        + ") is full");
            }
            LockSupport.parkNanos(50_000);
        }
        // A close that halted the pipeline while this record was being published may not have seen it: then it is
        // this thread's to fail. (The fence orders the publication before the read, against stop()'s
        // halted-then-sweep.)
        VarHandle.fullFence();
        if (halted) {
            failClosed(pending, "the producer was closed while the record was being added");
        }
        return pending;
    }

    private void failClosed(PendingUserRecord record, String why) {
        if (record.claim(null, new ProducerClosedException(why))) {
            finishAll(java.util.List.of(record));
        }
    }

    /**
     * Heap a buffered user record costs the producer besides its data and key: the pending record (which is also its
     * future), its place in lists and maps, its share of an aggregate's framing and of the request that carries it.
     */
    static final long RECORD_OVERHEAD_BYTES = 192;

    /**
     * What a user record counts for against MaxBufferedBytes: the heap the producer holds for it until its future
     * completes. A record small enough for an aggregate ({@code aggregateMaxBytes}: AggregationMaxSize, 0 with
     * aggregation off) has its data and key held twice — the caller's array, and the copy in the aggregated record
     * being sent — a larger one once; then {@link #RECORD_OVERHEAD_BYTES}. Counting less than that let a
     * saturated producer hold several times MaxBufferedBytes of heap, records old enough to be promoted and
     * collected in long pauses.
     */
    static long budgetBytes(int dataBytes, String partitionKey, int aggregateMaxBytes) {
        long dataAndKey = dataBytes + (partitionKey == null ? 0 : partitionKey.length());
        return (dataAndKey < aggregateMaxBytes ? 2 : 1) * dataAndKey + RECORD_OVERHEAD_BYTES;
    }

    /**
     * The record's hash key when the cache did not have it: its explicit one, else the MD5 of its partition key;
     * null without either (AUTO).
     */
    private io.runnel.wire.HashKey hashKeyOf(String partitionKey, String explicitHashKey) {
        if (explicitHashKey != null) {
            return io.runnel.wire.HashKey.parseDecimal(explicitHashKey);
        }
        return partitionKey == null ? null : hashKeys.computed(partitionKey); // add looked in the cache already
    }

    /** Completes a batch of finished records (callback thread). */
    private void finishAll(java.util.List<PendingUserRecord> done) {
        long ok = 0;
        long bad = 0;
        long bytes = 0;
        for (int i = 0, n = done.size(); i < n; i++) {
            PendingUserRecord r = done.get(i); // claimed once, so counted once whatever the user did to the future
            if (r.succeeded()) {
                ok++;
            } else {
                bad++;
            }
            bytes += r.budgetBytes();
        }
        finishAll(done, ok, bad, bytes);
    }

    /**
     * Completes claimed records whose totals are known ({@code ok} succeeded, {@code bad} failed, {@code bytes} of
     * buffer budget): counters and buffer space first, then each record's future, in one pass over the records.
     */
    private void finishAll(java.util.List<PendingUserRecord> done, long ok, long bad, long bytes) {
        succeeded.addAndGet(ok);
        failed.addAndGet(bad);
        budget.release(bytes);
        // Counted out before their futures complete (a callback sees its own record gone), but flushSync and close
        // also wait for "completing", so they return only once these futures are complete.
        completing.addAndGet(ok + bad);
        decrementOutstanding(ok + bad);
        for (int i = 0, n = done.size(); i < n; i++) {
            done.get(i).completeFuture();
        }
        if (completing.addAndGet(-(ok + bad)) == 0) {
            signalDrained();
        }
    }

    private void decrementOutstanding(long n) {
        if (n > 0 && outstanding.addAndGet(-n) == 0) {
            signalDrained();
        }
    }

    private void signalDrained() {
        drainLock.lock();
        try {
            drained.signalAll();
        } finally {
            drainLock.unlock();
        }
    }

    /** Sends everything buffered now, without waiting for RecordMaxBufferedTime. Does not wait for the results. */
    @Override
    public void flush() {
        pipeline.flush(null);
    }

    /** {@link #flush()} for one stream. */
    @Override
    public void flush(String stream) {
        pipeline.flush(Objects.requireNonNull(stream, "stream"));
    }

    /** Flushes and waits until every outstanding record's future has completed. */
    @Override
    public void flushSync() {
        flush();
        awaitDrained(Long.MAX_VALUE);
    }

    private boolean awaitDrained(long timeoutNanos) {
        long deadline = timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNanos;
        drainLock.lock();
        try {
            while (outstanding.get() > 0 || completing.get() > 0) {
                long remaining = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                drained.awaitNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(100)));
                if (outstanding.get() > 0) {
                    flush(); // records that arrived meanwhile keep moving too
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            drainLock.unlock();
        }
    }

    /** Test hook: see {@link Pipelines#idle}. */
    boolean pipelinesIdle() {
        return pipeline.idle();
    }

    /** Test hook: see {@link Pipelines#runWhenNoRequestIsInFlight}. */
    CompletableFuture<Boolean> runWhenNoRequestIsInFlight(Runnable task) {
        return pipeline.runWhenNoRequestIsInFlight(task);
    }

    /**
     * What each shard took so far, counted as Kinesis counts against the shard's write limits; with the time the
     * shard was written, a shard's utilization of its limit ({@link ShardStats#utilization}).
     *
     * @return one entry per shard this producer has written to (a snapshot)
     */
    public java.util.List<ShardStats> shardStats() {
        return pipeline.shardStats();
    }

    /** Bytes of MaxBufferedBytes held now (tests: every completed record gives its share back). */
    long bufferedBytes() {
        return budget.used();
    }

    /** {@return the producer's counters since start (a snapshot)} */
    public ProducerStats stats() {
        return new ProducerStats(succeeded.get(), failed.get(), pipeline.kinesisRecordsPut(),
                pipeline.putRecordsRequests(), pipeline.retries(), pipeline.misplacedAggregates());
    }

    /** User records accepted whose futures have not completed yet. */
    @Override
    public long getOutstandingRecordsCount() {
        return outstanding.get();
    }

    /** Arrival time (epoch ms) of the oldest outstanding record, or 0 when there is none (or tracking is off). */
    @Override
    public long getOldestRecordTimeInMillis() {
        if (!config.get(ConfigKeys.ENABLE_OLDEST_FUTURE_TRACKER)) {
            return 0;
        }
        return pipeline.oldestArrivalWallMillis();
    }

    /** {@link #close(Duration)} with RecordTtl plus a second as the bound. */
    @Override
    public void close() {
        close(config.recordTtl().plusSeconds(1));
    }

    /**
     * Stops accepting records, sends what is buffered and waits up to {@code timeout} for every future; what is still
     * outstanding then fails with {@link ProducerClosedException}. Every future is complete when this returns. Then
     * it uploads the last metrics interval to CloudWatch (waiting at most 5 s, or {@code timeout} if shorter) and
     * stops the credentials refresh. A second call does nothing.
     *
     * @param timeout how long to wait for outstanding records before failing them
     */
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        flush();
        if (!awaitDrained(timeout.toNanos())) {
            LOG.warn("{} records still outstanding after {}; failing them", outstanding.get(), timeout);
        }
        stop("the producer was closed before the record was put");
        if (cloudWatch != null) { // after the pipeline stopped, so the last interval has every record
            cloudWatch.close(timeout.compareTo(MAX_METRICS_CLOSE) < 0 ? timeout : MAX_METRICS_CLOSE);
        }
        if (refresher != null) { // after the last upload, which signs with it
            refresher.close();
        }
    }

    /** Stops at once: every outstanding record fails with {@link ProducerClosedException}. */
    public void shutdownNow() {
        closed.set(true);
        stop("the producer was shut down before the record was put");
        if (cloudWatch != null) {
            cloudWatch.close(Duration.ZERO);
        }
        if (refresher != null) {
            refresher.close();
        }
    }

    private void stop(String why) {
        pipeline.shutdownNow(why);
        awaitDrained(TimeUnit.SECONDS.toNanos(5));
        halted = true;
        pipeline.halt();
        // Whatever the pipeline did not get to (it was stuck, or records arrived as it stopped) fails here.
        List<PendingUserRecord> remaining = pipeline.takeRemaining(why);
        if (!remaining.isEmpty()) {
            finishAll(remaining);
        }
        if (ownsClient) {
            client.close();
        }
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
