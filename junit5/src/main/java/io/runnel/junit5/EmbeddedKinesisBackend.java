package io.runnel.junit5;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamState;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.LimitExceededException;
import io.runnel.wire.error.ProvisionedThroughputExceededException;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.ListShardsResponse;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.StreamRecord;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * A running embedded Kinesis backend, as {@link EmbeddedKinesisExtension} injects it: where it listens, a producer
 * configuration pointed at it, and its streams' contents read back as user records.
 *
 * <p>The backend runs in memory on a free port of 127.0.0.1 and accepts any signature; what this handle makes
 * ({@link #client()}, {@link #newProducer()}) signs with placeholder credentials ({@link #credentials()}). The
 * extension stops it, and closes what it made, after the test class or method ({@link EmbeddedKinesis#lifecycle()}).
 *
 * <p>Thread-safe; the methods that read ({@link #records(String)} and the like) block the calling thread on network
 * I/O with the backend, which answers on its own threads.
 */
public final class EmbeddedKinesisBackend {
    private static final Credentials PLACEHOLDER = Credentials.of("runnel-test-access-key", "runnel-test-secret-key");
    /** Longest a read keeps retrying throttled requests (limits on) before giving up. */
    private static final Duration THROTTLED_READS_DEADLINE = Duration.ofSeconds(30);
    private static final long THROTTLED_PAUSE_MILLIS = 100;
    private static final long AWAIT_POLL_MILLIS = 50;

    private final KinesisBackend backend;
    private final boolean limits;
    private final List<AutoCloseable> owned = new ArrayList<>(); // guarded by this; closed in reverse order
    private KinesisClient client; // guarded by this; made on first use
    private boolean closed; // guarded by this

    private EmbeddedKinesisBackend(KinesisBackend backend, boolean limits) {
        this.backend = backend;
        this.limits = limits;
    }

    /** Starts a backend with {@code config}'s streams, ACTIVE at once; returns once it listens. */
    static EmbeddedKinesisBackend start(EmbeddedKinesisConfig config) {
        // No CREATING transition: streams are ACTIVE when the test starts. One I/O thread and two workers are plenty
        // for a test and keep suites that start many backends (PER_METHOD) light.
        KinesisBackend.Builder b = KinesisBackend.builder().port(0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(config.limits()))
                .ioThreads(1).workerThreads(2);
        for (EmbeddedKinesisConfig.StreamSpec s : config.streams()) {
            b.createStream(s.name(), s.shards());
        }
        return new EmbeddedKinesisBackend(b.start(), config.limits());
    }

    /**
     * Makes this running backend serve {@code config} too (a {@code @Nested} class's own annotation on its enclosing
     * class's backend): creates the streams it names that do not exist yet.
     *
     * @throws IllegalStateException when {@code config} asks for other limits than the backend runs with, or for a
     *                               stream that exists with another shard count
     */
    void serve(EmbeddedKinesisConfig config, String who) {
        if (config.limits() != limits) {
            throw new IllegalStateException(who + " asks for limits = " + config.limits() + ", but shares its enclosing"
                    + " class's embedded backend, which runs with limits = " + limits + "; use the same limits, or"
                    + " give the enclosing class no backend");
        }
        for (EmbeddedKinesisConfig.StreamSpec spec : config.streams()) {
            io.runnel.backend.store.StreamState existing;
            synchronized (this) {
                existing = backend.store().streams().stream().filter(x -> x.name().equals(spec.name())).findFirst()
                        .orElse(null);
                if (existing == null) {
                    createStream(spec.name(), spec.shards());
                    continue;
                }
            }
            int open = (int) existing.shards().stream().filter(io.runnel.backend.store.ShardState::isOpen).count();
            if (open != spec.shards()) {
                throw new IllegalStateException(who + " asks for stream " + spec.name() + " with " + spec.shards()
                        + " shards, but the shared backend has it with " + open + " open shards");
            }
        }
    }

    /**
     * The backend's HTTP endpoint, {@code http://127.0.0.1:<port>}.
     *
     * @return the endpoint URL
     */
    public URI endpoint() {
        return backend.endpoint();
    }

    /**
     * The region the backend names in its ARNs; the producer configuration and the client sign for it.
     *
     * @return the region, {@code us-east-1}
     */
    public String region() {
        return backend.region();
    }

    /**
     * The placeholder credentials to sign requests with (the backend accepts any signature); pass them to
     * {@link KinesisProducer#KinesisProducer(ProducerConfig, CredentialsProvider)} with {@link #producerConfig()}.
     *
     * @return a static provider of placeholder credentials
     */
    public CredentialsProvider credentials() {
        return CredentialsProvider.of(PLACEHOLDER);
    }

    /**
     * A producer configuration pointed at this backend: {@code Region} and {@code KinesisEndpointUrl} set, the
     * rest at its defaults (aggregation on). Change it with {@link ProducerConfig#toBuilder()}. A producer made with
     * it needs credentials: use {@link #newProducer(ProducerConfig)}, or
     * {@code new KinesisProducer(config, kinesis.credentials())} (with {@code new KinesisProducer(config)} the
     * producer looks for AWS credentials in the environment, and fails without them).
     *
     * @return the configuration
     */
    public ProducerConfig producerConfig() {
        return ProducerConfig.builder().region(region()).kinesisEndpointUrl(endpoint().toString()).build();
    }

    /**
     * A new producer writing to this backend with {@link #producerConfig()} and {@link #credentials()}. It is closed
     * with the backend, after the test; closing it earlier (to send everything and wait for every future) is fine.
     *
     * @return a started producer
     * @throws IllegalStateException when the backend has been stopped
     */
    public KinesisProducer newProducer() {
        return newProducer(producerConfig());
    }

    /**
     * A new producer writing with {@code config} (pointed at this backend, e.g. {@link #producerConfig()} changed
     * with {@link ProducerConfig#toBuilder()}) and {@link #credentials()}. It is closed with the backend, after the
     * test; closing it earlier is fine.
     *
     * @param config the producer's configuration
     * @return a started producer
     * @throws IllegalStateException when the backend has been stopped
     */
    public synchronized KinesisProducer newProducer(ProducerConfig config) {
        Objects.requireNonNull(config, "config");
        checkOpen();
        KinesisProducer producer = new KinesisProducer(config, credentials());
        owned.add(producer);
        return producer;
    }

    /**
     * A Kinesis client connected to this backend (CBOR, placeholder credentials), shared by the callers of this
     * handle and closed with the backend; do not close it yourself. Its futures complete on its I/O threads.
     *
     * @return the client
     * @throws IllegalStateException when the backend has been stopped
     */
    public synchronized KinesisClient client() {
        checkOpen();
        if (client == null) {
            client = NettyKinesisClient.builder().endpoint(Endpoint.of(endpoint(), region()))
                    .credentialsProvider(credentials()).build();
            owned.add(client);
        }
        return client;
    }

    /**
     * The backend itself, for what this handle does not offer (its store, its Firehose delivery streams).
     *
     * @return the running backend
     */
    public KinesisBackend backend() {
        return backend;
    }

    /**
     * Creates a provisioned stream, ACTIVE at once.
     *
     * @param name   the stream's name
     * @param shards its number of shards, at least 1
     * @throws RuntimeException (the backend's {@code StoreException}) when the stream exists or the name or shard
     *                          count is invalid
     */
    public void createStream(String name, int shards) {
        backend.store().createStream(name, shards, StreamState.Mode.PROVISIONED);
    }

    /**
     * Every user record in {@code stream} now: every shard (closed ones too, in ListShards order) read with
     * GetShardIterator and GetRecords from TRIM_HORIZON to its tip, KPL aggregated records deaggregated as the KCL
     * does. Within a shard the records are in sequence order (then sub-sequence order); shards follow each other.
     * With limits on, throttled reads are retried for up to 30 seconds.
     *
     * @param stream the stream's name
     * @return the user records, in per-shard order
     * @throws io.runnel.wire.error.KinesisException (as thrown by the client, e.g.
     *                                               {@link io.runnel.wire.error.ResourceNotFoundException}) when
     *                                               the stream does not exist or a read fails
     * @throws IllegalStateException                 when the backend has been stopped, or reads stayed throttled
     */
    public List<ReceivedRecord> records(String stream) {
        Objects.requireNonNull(stream, "stream");
        KinesisClient c = client();
        List<ReceivedRecord> out = new ArrayList<>();
        for (Shard shard : shards(c, stream)) {
            String iterator = call(() -> c.getShardIterator(new GetShardIteratorRequest(stream, null,
                    shard.shardId(), "TRIM_HORIZON", null, null))).shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse r = call(() -> c.getRecords(new GetRecordsRequest(it, 10_000, null)));
                for (StreamRecord rec : r.records()) {
                    for (DeaggregatedRecord d : Deaggregator.deaggregate(rec.partitionKey(), null, rec.data())) {
                        out.add(new ReceivedRecord(stream, shard.shardId(), rec.sequenceNumber(),
                                d.subSequenceNumber(), d.partitionKey(), d.explicitHashKey(), d.data(),
                                rec.approximateArrivalTimestamp(), d.aggregated()));
                    }
                }
                // The backend answers with records as long as the shard has more: an empty page is its tip.
                iterator = r.records().isEmpty() ? null : r.nextShardIterator();
            }
        }
        return out;
    }

    /**
     * The data of every user record in {@code stream}, decoded as UTF-8, in {@link #records(String)}'s order. For
     * one-line assertions: {@code assertThat(kinesis.dataAsStrings("orders")).containsExactlyInAnyOrder("a", "b")}.
     *
     * @param stream the stream's name
     * @return the records' data as strings
     * @throws io.runnel.wire.error.KinesisException as {@link #records(String)}
     * @throws IllegalStateException                 as {@link #records(String)}
     */
    public List<String> dataAsStrings(String stream) {
        return records(stream).stream().map(ReceivedRecord::dataAsString).toList();
    }

    /**
     * Reads {@code stream} ({@link #records(String)}) until it holds at least {@code count} user records, polling
     * every 50 ms, for records a producer still has in flight.
     *
     * @param stream  the stream's name
     * @param count   how many user records to wait for
     * @param timeout how long to wait at most
     * @return every user record in the stream once there are at least {@code count}
     * @throws AssertionError                        when fewer than {@code count} arrived within {@code timeout}
     *                                               (the message says how many did)
     * @throws io.runnel.wire.error.KinesisException as {@link #records(String)}
     * @throws IllegalStateException                 when interrupted, or as {@link #records(String)}
     */
    public List<ReceivedRecord> awaitRecords(String stream, int count, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<ReceivedRecord> records = records(stream);
            if (records.size() >= count) {
                return records;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("expected at least " + count + " records in stream " + stream + " within "
                        + timeout + ", but " + records.size() + " arrived");
            }
            pause(AWAIT_POLL_MILLIS);
        }
    }

    private static List<Shard> shards(KinesisClient c, String stream) {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            // ListShards takes the stream name or a NextToken, never both.
            ListShardsResponse page = call(() -> c.listShards(new ListShardsRequest(token == null ? stream : null,
                    null, token, null, null, null, null)));
            if (page.shards() != null) {
                shards.addAll(page.shards());
            }
            next = page.nextToken();
        } while (next != null);
        return shards;
    }

    /** The response, retrying requests the backend throttles (limits on) for up to 30 seconds. */
    private static <R> R call(Supplier<CompletableFuture<R>> request) {
        long deadline = System.nanoTime() + THROTTLED_READS_DEADLINE.toNanos();
        while (true) {
            try {
                return request.get().join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                boolean throttled = cause instanceof ProvisionedThroughputExceededException
                        || cause instanceof LimitExceededException;
                if (!throttled) {
                    if (cause instanceof RuntimeException re) {
                        re.addSuppressed(new Exception("called from here")); // the caller's stack, not the I/O thread's
                        throw re;
                    }
                    throw e;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IllegalStateException("reads stayed throttled for " + THROTTLED_READS_DEADLINE,
                            cause);
                }
                pause(THROTTLED_PAUSE_MILLIS);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading from the embedded backend", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the embedded Kinesis backend has been stopped");
        }
    }

    /**
     * Closes the producers and the client this handle made, newest first, then stops the backend. Idempotent. The
     * first failure is thrown once everything has been closed, with later ones suppressed.
     */
    void close() {
        List<AutoCloseable> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(owned);
            owned.clear();
        }
        RuntimeException failure = null;
        for (int i = toClose.size() - 1; i >= 0; i--) {
            failure = closeQuietly(toClose.get(i), failure);
        }
        failure = closeQuietly(backend, failure);
        if (failure != null) {
            throw failure;
        }
    }

    private static RuntimeException closeQuietly(AutoCloseable c, RuntimeException failure) {
        try {
            c.close();
        } catch (Exception e) {
            RuntimeException re = e instanceof RuntimeException r ? r
                    : new IllegalStateException("closing " + c + " failed", e);
            if (failure == null) {
                return re;
            }
            failure.addSuppressed(re);
        }
        return failure;
    }

    /**
     * Describes the handle by its endpoint.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "EmbeddedKinesisBackend[" + endpoint() + "]";
    }
}
