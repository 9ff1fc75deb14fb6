package io.runnel.backend;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.runnel.backend.api.KinesisApi;
import io.runnel.backend.fanout.FanOut;
import io.runnel.backend.firehose.FirehoseApi;
import io.runnel.backend.firehose.FirehoseStore;
import io.runnel.backend.http.BackendChannelInitializer;
import io.runnel.backend.http.HttpRoute;
import io.runnel.backend.http.KinesisRequestHandler;
import io.runnel.backend.http.RequestAuthenticator;
import io.runnel.backend.store.DataDirectory;
import io.runnel.backend.store.GroupCommit;
import io.runnel.backend.store.IteratorTokens;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.OnDemandScaler;
import io.runnel.backend.store.OnDemandScaling;
import io.runnel.backend.store.SpillDirectory;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.auth.Credentials;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundled Kinesis-compatible backend: an HTTP server speaking the Kinesis Data Streams API (JSON 1.1 and CBOR)
 * over a {@link StreamStore}, in memory or durable under a data directory. HTTP/1.1 and HTTP/2 (h2c and, on the TLS
 * port, ALPN h2) on both ports; SubscribeToShard streams enhanced fan-out events. The same ports answer Amazon Data
 * Firehose actions for DirectPut delivery streams, delivered to files (see {@link FirehoseStore}). Embeddable:
 *
 * <pre>{@code
 * try (KinesisBackend backend = KinesisBackend.builder().createStream("orders", 4).start()) {
 *     URI endpoint = backend.endpoint();   // http://127.0.0.1:<ephemeral port>
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops accepting, closes connections and files.
 */
public final class KinesisBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisBackend.class);
    /** Largest request accepted: a 10 MiB record in base64 JSON, with room. Larger ones get HTTP 413. */
    private static final int MAX_REQUEST_BYTES = 32 * 1024 * 1024;

    private final Builder config;
    private final StreamStore store;
    private final KinesisApi api;
    private final GroupCommit groupCommit;
    private final FanOut fanOut;
    private final FirehoseStore firehose;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final EventExecutorGroup workers;
    private final Channel httpChannel;
    private final Channel httpsChannel;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final RequestAuthenticator authenticator; // null: signatures are not required
    private final List<HttpRoute> routes = new ArrayList<>();

    private KinesisBackend(Builder b) throws InterruptedException {
        this.config = b;
        if (b.dataDir != null) {
            this.store = new StreamStore(b.settings, b.time, new IteratorTokens(),
                    new DataDirectory(b.dataDir, b.segmentBytes, b.hotBytesPerShard));
        } else {
            this.store = StreamStore.spilling(b.settings, b.time, new IteratorTokens(), b.spill
                    ? SpillDirectory.create(b.spillParent, b.segmentBytes, b.hotBytesPerShard) : null);
        }
        this.groupCommit = b.fsyncAlways && store.isDurable() ? new GroupCommit() : null;
        KinesisApi api = new KinesisApi(store, b.time, groupCommit);
        this.api = api;
        this.fanOut = new FanOut(store, b.time, b.subscriptionDuration);
        Path firehoseDir = b.firehoseDir != null ? b.firehoseDir : b.dataDir != null ? b.dataDir.resolve("firehose")
                : null;
        this.firehose = new FirehoseStore(b.settings, b.time, firehoseDir,
                b.dataDir == null ? null : b.dataDir.resolve(FirehoseStore.METADATA_FILE));
        FirehoseApi firehoseApi = new FirehoseApi(firehose);
        RequestAuthenticator auth = b.credentials.isEmpty() ? null : new RequestAuthenticator(b.credentials);
        this.authenticator = auth;
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("runnel-backend-accept", true),
                NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(b.ioThreads, new DefaultThreadFactory("runnel-backend-io", true),
                NioIoHandler.newFactory());
        this.workers = new DefaultEventExecutorGroup(b.workerThreads,
                new DefaultThreadFactory("runnel-backend-worker", true));
        Channel http = null;
        Channel https = null;
        try {
            for (var stream : b.streams) {
                if (!streamExists(stream.name())) {
                    store.createStream(stream.name(), stream.shards(), StreamState.Mode.PROVISIONED);
                }
            }
            for (String name : b.deliveryStreams) {
                firehose.createAtStart(name);
            }
            if (!firehose.names().isEmpty()) {
                firehose.deliveryRoot(); // made and logged now, not at the first delivery
            }
            for (var route : b.routes) {
                routes.add(Objects.requireNonNull(route.apply(this), "a route factory returned null"));
            }
            http = bind(b.host, b.port, null, api, firehoseApi, auth, routes);
            if (b.tlsPort != null) {
                https = bind(b.host, b.tlsPort, b.tls.sslContext(), api, firehoseApi, auth, routes);
            }
        } catch (RuntimeException | InterruptedException e) {
            if (http != null) {
                http.close();
            }
            closeRoutes();
            shutdownGroups();
            if (groupCommit != null) {
                groupCommit.close();
            }
            firehose.close();
            store.close();
            throw e;
        }
        this.httpChannel = http;
        this.httpsChannel = https;
        io.next().scheduleAtFixedRate(this::trim, b.trimIntervalMillis, b.trimIntervalMillis, TimeUnit.MILLISECONDS);
        // Firehose buffers are due on whole seconds (IntervalInSeconds); a quarter second keeps deliveries close.
        io.next().scheduleAtFixedRate(this::deliverDue, 250, 250, TimeUnit.MILLISECONDS);
        if (b.onDemandScaling != OnDemandScaling.OFF) {
            OnDemandScaler scaler = new OnDemandScaler(store, b.onDemandScaling);
            long every = b.onDemandScaling.interval().toNanos();
            io.next().scheduleAtFixedRate(() -> scale(scaler), 0, every, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the routes that hold resources of their own (threads, files). */
    private void closeRoutes() {
        for (HttpRoute route : routes) {
            if (route instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing route {} failed", route, e);
                }
            }
        }
    }

    private void scale(OnDemandScaler scaler) {
        try {
            scaler.poll(config.time.nanos());
        } catch (RuntimeException e) {
            LOG.warn("on-demand scaling failed", e);
        }
    }

    private boolean streamExists(String name) {
        return store.streams().stream().anyMatch(s -> s.name().equals(name));
    }

    private void deliverDue() {
        try {
            firehose.poll();
        } catch (RuntimeException e) {
            LOG.warn("Firehose delivery failed", e);
        }
    }

    private Channel bind(String host, int port, SslContext ssl, KinesisApi api, FirehoseApi firehoseApi,
            RequestAuthenticator auth, List<HttpRoute> routes) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new BackendChannelInitializer(ssl, connections, workers,
                        () -> new KinesisRequestHandler(api, auth, config.time, fanOut, firehoseApi), routes,
                        MAX_REQUEST_BYTES));
        return b.bind(host, port).sync().channel();
    }

    private void trim() {
        try {
            long dropped = store.trim();
            if (dropped > 0) {
                LOG.debug("retention dropped {} records", dropped);
            }
        } catch (RuntimeException e) {
            LOG.warn("retention trimming failed", e);
        }
    }

    /** {@return a new builder with the defaults: 127.0.0.1, a free port, in memory, limits on, no signatures} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the HTTP port (the ephemeral one when started with port 0)} */
    public int port() {
        return ((InetSocketAddress) httpChannel.localAddress()).getPort();
    }

    /** {@return the HTTPS port, or -1 without TLS} */
    public int tlsPort() {
        return httpsChannel == null ? -1 : ((InetSocketAddress) httpsChannel.localAddress()).getPort();
    }

    /** {@return the HTTP endpoint, {@code http://host:port}} */
    public java.net.URI endpoint() {
        return java.net.URI.create("http://" + hostForUrl() + ":" + port());
    }

    /** {@return the HTTPS endpoint, {@code https://host:tlsPort}, or null without TLS} */
    public java.net.URI tlsEndpoint() {
        return httpsChannel == null ? null : java.net.URI.create("https://" + hostForUrl() + ":" + tlsPort());
    }

    private String hostForUrl() {
        String h = config.host.equals("0.0.0.0") ? "127.0.0.1" : config.host;
        return h.indexOf(':') >= 0 ? "[" + h + "]" : h;
    }

    /** {@return the region in ARNs and expected in signatures} */
    public String region() {
        return config.settings.region();
    }

    /** {@return the number of SubscribeToShard subscriptions now streaming} */
    public int activeSubscriptions() {
        return fanOut.activeCount();
    }

    /**
     * How many requests each access key id signed that the backend accepted (valid signature, known key, matching
     * session token), sorted by key id: an immutable snapshot, empty when signatures are not required. For tests that
     * check which of several keys a client signed with.
     *
     * @return accepted signed requests per access key id
     */
    public Map<String, Long> signedRequestsByAccessKey() {
        return authenticator == null ? Map.of() : authenticator.acceptedByAccessKey();
    }

    /** {@return the clock the backend stamps records and measures rates with} */
    public TimeSource time() {
        return config.time;
    }

    /**
     * {@return the SubscribeToShard subscriptions now running (enhanced fan-out consumers), each with its consumer,
     * shard and MillisBehindLatest}
     */
    public List<io.runnel.backend.fanout.ShardSubscription> subscriptions() {
        return fanOut.active();
    }

    /** {@return the store, for tests and tools running in the same process} */
    public StreamStore store() {
        return store;
    }

    /**
     * {@return what PutRecord and PutRecords have stored since the backend started (requests, records, user records,
     * bytes)}
     */
    public io.runnel.backend.api.WriteStats.Snapshot writeStats() {
        return api.writeStats().snapshot();
    }

    /** {@return the Firehose delivery streams and their buffers, for tests and tools running in the same process} */
    public FirehoseStore firehose() {
        return firehose;
    }

    /**
     * Stops accepting connections, closes open ones (waiting up to 5 seconds), stops the threads, delivers the
     * Firehose records still buffered and closes the store's files. Call once; the backend cannot be restarted.
     */
    @Override
    public void close() {
        httpChannel.close().awaitUninterruptibly();
        if (httpsChannel != null) {
            httpsChannel.close().awaitUninterruptibly();
        }
        // Close client connections while their handlers' workers still run, then stop the threads.
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        closeRoutes();
        shutdownGroups();
        firehose.close(); // delivers what is buffered
        if (groupCommit != null) {
            groupCommit.close();
        }
        store.close();
    }

    private void shutdownGroups() {
        // Workers write responses through the I/O loops, so they stop first; a short quiet period lets them take the
        // "connection closed" events the I/O loops still hand them (HTTP/2 streams end after their connection).
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * A stream to create at start.
     *
     * @param name   the stream's name
     * @param shards its shard count (a provisioned stream)
     */
    public record StreamSpec(String name, int shards) {
    }

    /** Configures and starts a {@link KinesisBackend}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private Integer tlsPort;
        private TlsMaterial tls;
        private Path dataDir;
        private long segmentBytes = 64L * 1024 * 1024;
        private long hotBytesPerShard = DataDirectory.DEFAULT_HOT_BYTES_PER_SHARD;
        private boolean spill = true;
        private Path spillParent = Path.of(System.getProperty("java.io.tmpdir"));
        private boolean fsyncAlways;
        private StoreSettings settings = StoreSettings.defaults();
        private final List<Credentials> credentials = new ArrayList<>();
        private TimeSource time = TimeSource.SYSTEM;
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int workerThreads = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);
        private long trimIntervalMillis = 60_000;
        private Duration subscriptionDuration = FanOut.DEFAULT_SUBSCRIPTION_DURATION;
        private OnDemandScaling onDemandScaling = OnDemandScaling.normal();
        private final List<StreamSpec> streams = new ArrayList<>();
        private final List<String> deliveryStreams = new ArrayList<>();
        private Path firehoseDir;
        private final List<java.util.function.Function<KinesisBackend, HttpRoute>> routes = new ArrayList<>();

        private Builder() {
        }

        /**
         * Adds a route: requests for the paths it serves (any method) go to it instead of the Kinesis API, on the HTTP
         * and the TLS port. The factory is called once while the backend starts, after its store exists and before
         * its ports are bound: it may keep the backend and use its store and time, not its ports. A route that is
         * {@link AutoCloseable} is closed with the backend.
         *
         * @param route makes the route for the starting backend
         * @return this builder
         * @throws NullPointerException when {@code route} is null
         */
        public Builder route(java.util.function.Function<KinesisBackend, HttpRoute> route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /**
         * Address to listen on (default 127.0.0.1).
         *
         * @param host a host name or IP address of this machine
         * @return this builder
         * @throws NullPointerException when {@code host} is null
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * HTTP port; 0 (default) picks a free one.
         *
         * @param port 0 to 65535
         * @return this builder
         * @throws IllegalArgumentException when {@code port} is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0-65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Also serve HTTPS on this port (0: a free one) with {@code tls} (see {@link TlsMaterial}).
         *
         * @param tlsPort 0 to 65535
         * @param tls     the server's certificate and private key
         * @return this builder
         * @throws IllegalArgumentException when {@code tlsPort} is out of range
         * @throws NullPointerException     when {@code tls} is null
         */
        public Builder tls(int tlsPort, TlsMaterial tls) {
            if (tlsPort < 0 || tlsPort > 65535) {
                throw new IllegalArgumentException("tls port must be 0-65535, was " + tlsPort);
            }
            this.tlsPort = tlsPort;
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Keep streams and records under this directory (default: in memory); a backend started on it later finds
         * them again.
         *
         * @param dataDir the directory, created at start when missing; null keeps everything in memory
         * @return this builder
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        /**
         * Without a data directory: where the backend makes its spill directory, {@code runnel-backend-<pid>-<random>},
         * for the records older than each shard's {@link #hotBytesPerShard} (default: {@code java.io.tmpdir}); null
         * keeps every record on the heap, bounded only by retention. The spill directory is scratch space: removed
         * at {@link #close()} or exit, never read back at start (streams do not survive a restart), and one left by a
         * backend that was killed is removed by the next backend that starts in the same place.
         *
         * @param parent the directory to make the spill directory in, or null not to spill
         * @return this builder
         */
        public Builder spillDir(Path parent) {
            this.spill = parent != null;
            this.spillParent = parent;
            return this;
        }

        /**
         * Force records to the storage device before acknowledging them (default: off, which survives kill -9 but
         * not a power loss). Only a data directory has anything to force.
         *
         * @param fsyncAlways whether to force each write (grouped with the writes that arrive meanwhile)
         * @return this builder
         */
        public Builder fsyncAlways(boolean fsyncAlways) {
            this.fsyncAlways = fsyncAlways;
            return this;
        }

        /**
         * Size at which segment files roll (default 64 MiB).
         *
         * @param segmentBytes at least 4096
         * @return this builder
         * @throws IllegalArgumentException when under 4096
         */
        public Builder segmentBytes(long segmentBytes) {
            if (segmentBytes < 4096) {
                throw new IllegalArgumentException("segmentBytes must be at least 4096, was " + segmentBytes);
            }
            this.segmentBytes = segmentBytes;
            return this;
        }

        /**
         * Data each shard keeps in memory (default 2 MiB); older records are read back from their segment files — the
         * data directory's, or in memory the spill files (see {@link #spillDir}) — so memory stays bounded however
         * much the streams hold.
         *
         * @param bytes not negative; 0 reads every record from its file
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder hotBytesPerShard(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("hotBytesPerShard must not be negative: " + bytes);
            }
            this.hotBytesPerShard = bytes;
            return this;
        }

        /**
         * Region, account, limits, transition delay (default {@link StoreSettings#defaults()}).
         *
         * @param settings the store's settings
         * @return this builder
         * @throws NullPointerException when {@code settings} is null
         */
        public Builder settings(StoreSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Per-shard throughput limits on (default) or off (benchmarks). Changes the settings given so far.
         *
         * @param enabled whether writes and reads are throttled per shard as on Kinesis
         * @return this builder
         */
        public Builder limits(boolean enabled) {
            this.settings = settings.withLimits(enabled);
            return this;
        }

        /**
         * Require SigV4 signatures made with these credentials (default: accept any request). Replaces pairs given
         * before.
         *
         * @param credentials the only key pair accepted
         * @return this builder
         * @throws NullPointerException when {@code credentials} is null
         */
        public Builder requireSignatures(Credentials credentials) {
            return requireSignatures(List.of(Objects.requireNonNull(credentials, "credentials")));
        }

        /**
         * Require SigV4 signatures made with any of these key pairs, found by the access key id a request names (as an
         * account holding several keys, or a role's old and new temporary keys during a rotation). A pair with a
         * session token accepts only requests carrying that {@code X-Amz-Security-Token}; others get
         * {@code UnrecognizedClientException}, as an unknown key does. Replaces pairs given before.
         *
         * @param pairs the key pairs accepted
         * @return this builder
         * @throws IllegalArgumentException when none is given or two share an access key id
         * @throws NullPointerException     when a pair is null
         */
        public Builder requireSignatures(Credentials... pairs) {
            return requireSignatures(List.of(pairs));
        }

        /**
         * As {@link #requireSignatures(Credentials...)}.
         *
         * @param pairs the key pairs accepted
         * @return this builder
         * @throws IllegalArgumentException when none is given or two share an access key id
         * @throws NullPointerException     when a pair is null
         */
        public Builder requireSignatures(Collection<Credentials> pairs) {
            List<Credentials> copy = List.copyOf(pairs); // no nulls
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("requireSignatures needs at least one key pair");
            }
            if (copy.stream().map(Credentials::accessKeyId).distinct().count() != copy.size()) {
                throw new IllegalArgumentException("requireSignatures: two key pairs share an access key id");
            }
            credentials.clear();
            credentials.addAll(copy);
            return this;
        }

        /**
         * Create this provisioned stream at start, unless it exists (durable stores). A name or shard count the store
         * refuses makes {@link #start()} fail.
         *
         * @param name   the stream's name
         * @param shards its shard count
         * @return this builder
         */
        public Builder createStream(String name, int shards) {
            streams.add(new StreamSpec(name, shards));
            return this;
        }

        /**
         * Create this Firehose DirectPut delivery stream at start (ACTIVE at once, default buffering: 5 MiB or 300 s),
         * unless it exists (durable stores). A name Firehose refuses makes {@link #start()} fail.
         *
         * @param name the delivery stream's name
         * @return this builder
         * @throws NullPointerException when {@code name} is null
         */
        public Builder createDeliveryStream(String name) {
            deliveryStreams.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Where Firehose delivery streams write their files (default: {@code <dataDir>/firehose}, or without a data
         * directory a temporary directory made when the first delivery stream is, and logged).
         *
         * @param dir the directory, created when missing; null for the default
         * @return this builder
         */
        public Builder firehoseDir(Path dir) {
            this.firehoseDir = dir;
            return this;
        }

        /**
         * How long a SubscribeToShard subscription streams before its response ends (default 5 minutes, as on
         * Kinesis; tests shorten it).
         *
         * @param duration how long each subscription lasts
         * @return this builder
         * @throws IllegalArgumentException when not positive
         * @throws NullPointerException     when {@code duration} is null
         */
        public Builder subscriptionDuration(Duration duration) {
            Objects.requireNonNull(duration, "subscriptionDuration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("subscriptionDuration must be positive, was " + duration);
            }
            this.subscriptionDuration = duration;
            return this;
        }

        /**
         * How on-demand streams split busy shards and merge idle ones (default {@link OnDemandScaling#normal()};
         * {@link OnDemandScaling#fast()} for tests; {@link OnDemandScaling#OFF}, i.e. null, to keep their shards).
         *
         * @param scaling the scaling policy, or null for none
         * @return this builder
         */
        public Builder onDemandScaling(OnDemandScaling scaling) {
            this.onDemandScaling = scaling;
            return this;
        }

        /**
         * Time source (tests; default the system clock).
         *
         * @param time the clock the store, throttling and subscriptions read
         * @return this builder
         * @throws NullPointerException when {@code time} is null
         */
        public Builder time(TimeSource time) {
            this.time = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * Netty I/O threads, which read requests and write responses (default: one per processor).
         *
         * @param n the number of threads; 0 lets Netty choose
         * @return this builder
         */
        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        /**
         * Threads that run the actions, so a slow one (a disk read, an fsync) does not hold an I/O thread (default:
         * two per processor, at least 2).
         *
         * @param n the number of threads, at least 1
         * @return this builder
         */
        public Builder workerThreads(int n) {
            this.workerThreads = n;
            return this;
        }

        /**
         * Opens the store, creates the streams asked for and binds the ports; returns once the backend listens.
         *
         * @return the running backend, to {@link KinesisBackend#close() close} when done
         * @throws IllegalStateException when interrupted while starting
         * @throws io.runnel.backend.store.StoreException when a stream asked for with {@link #createStream} is refused
         * @throws RuntimeException      when a directory cannot be made, a thread count is not valid or a port cannot
         *                               be bound (Netty rethrows the bind's {@link java.net.BindException} as it is)
         */
        public KinesisBackend start() {
            try {
                return new KinesisBackend(this);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting", e);
            }
        }
    }
}
