package io.runnel.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy that injects faults, for tests and benchmarks. It listens on 127.0.0.1, opens one connection to the
 * target for every connection it accepts, and forwards bytes both ways, with the {@link Faults} it was started with:
 * resets after a seeded random number of bytes, and an optional latency (each chunk forwarded that long after it was
 * read). {@link #refuseNewConnections}
 * additionally resets every new connection right after accepting it, for as long as it is on.
 *
 * <p>A <em>reset</em> closes both sockets of a connection with {@code SO_LINGER 0}, so both peers get a TCP RST (the
 * client typically sees {@code SocketException: Connection reset}); bytes still in the proxy's send buffers are
 * lost, as with a real reset. An end of stream from one side is passed on as a half-close; an error from one side
 * resets the other.
 *
 * <pre>{@code
 * try (FaultyProxy proxy = FaultyProxy.start("127.0.0.1", backend.port(), Faults.resetAfterMeanBytes(2_000_000))) {
 *     // point the client at 127.0.0.1:proxy.port(); on failure report proxy.seed()
 * }
 * }</pre>
 *
 * <p>Thread-safe. Each connection uses two daemon threads ({@code faulty-proxy-PORT-N-up}, {@code …-down}; four
 * with a latency, {@code …-up-late} and {@code …-down-late} writing) and the proxy one more
 * ({@code faulty-proxy-PORT-accept}). From the command line:
 * {@code java -cp runnel-test-support.jar io.runnel.testing.FaultyProxy --help}.
 */
public final class FaultyProxy implements AutoCloseable {
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_JOIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String targetHost;
    private final int targetPort;
    private final Faults faults;
    private final ServerSocket server;
    private final int port;
    private final String threadPrefix;
    private final SplittableRandom random; // confined to the accept thread

    private final AtomicLong connectionsAccepted = new AtomicLong();
    private final AtomicLong connectionsRefused = new AtomicLong();
    private final AtomicLong resetsInjected = new AtomicLong();
    private final AtomicLong bytesForwarded = new AtomicLong();
    private volatile boolean refusing; // volatile: set by any thread, read by the accept thread

    private final Object lock = new Object();
    private final Set<Connection> connections = new HashSet<>(); // guarded by lock
    private final List<Thread> threads = new ArrayList<>(); // guarded by lock; finished ones pruned on each start
    private boolean closed; // guarded by lock

    private FaultyProxy(String targetHost, int targetPort, Faults faults, ServerSocket server) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.faults = faults;
        this.server = server;
        this.port = server.getLocalPort();
        this.threadPrefix = "faulty-proxy-" + port + "-";
        this.random = new SplittableRandom(faults.seed());
    }

    /**
     * Starts a proxy on 127.0.0.1 on a free port (see {@link #port()}).
     *
     * @throws UncheckedIOException if the listening socket cannot be opened
     */
    public static FaultyProxy start(String targetHost, int targetPort, Faults faults) {
        return start(0, targetHost, targetPort, faults);
    }

    /**
     * Starts a proxy on 127.0.0.1:{@code listenPort} (0 = a free port).
     *
     * @throws IllegalArgumentException if a port is out of range
     * @throws UncheckedIOException if the listening socket cannot be opened (for example, the port is taken)
     */
    public static FaultyProxy start(int listenPort, String targetHost, int targetPort, Faults faults) {
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listenPort out of range: " + listenPort);
        }
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort out of range: " + targetPort);
        }
        if (targetHost == null || faults == null) {
            throw new NullPointerException(targetHost == null ? "targetHost" : "faults");
        }
        ServerSocket server;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 128);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + listenPort, e);
        }
        FaultyProxy proxy = new FaultyProxy(targetHost, targetPort, faults, server);
        proxy.startThread(proxy.threadPrefix + "accept", proxy::acceptLoop);
        return proxy;
    }

    /** The port the proxy listens on (on 127.0.0.1). */
    public int port() {
        return port;
    }

    /** The faults this proxy injects. */
    public Faults faults() {
        return faults;
    }

    /** The seed of the reset points: give it to {@link Faults#withSeed} to replay a run. */
    public long seed() {
        return faults.seed();
    }

    /**
     * While {@code on}, every new connection is reset right after it is accepted (counted in
     * {@link #connectionsRefused()}, not in {@link #connectionsAccepted()}, and drawing no reset point). Connections
     * already open are not affected.
     */
    public void refuseNewConnections(boolean on) {
        refusing = on;
    }

    /** Connections accepted and forwarded so far (refused ones not included). */
    public long connectionsAccepted() {
        return connectionsAccepted.get();
    }

    /** Connections reset right after accept because {@link #refuseNewConnections} was on. */
    public long connectionsRefused() {
        return connectionsRefused.get();
    }

    /** Connections reset because they reached their reset point. */
    public long resetsInjected() {
        return resetsInjected.get();
    }

    /**
     * Bytes forwarded so far, both directions, all connections: counted when the proxy takes a chunk on to write it
     * to the other side. A connection that is reset has counted exactly its reset point.
     */
    public long bytesForwarded() {
        return bytesForwarded.get();
    }

    /** One line with the seed and the counters, for logs. */
    @Override
    public String toString() {
        return "faulty-proxy port=" + port + " target=" + targetHost + ":" + targetPort + " seed=" + seed()
                + " resetMeanBytes=" + faults.resetMeanBytes() + " connectionsAccepted=" + connectionsAccepted()
                + " connectionsRefused=" + connectionsRefused() + " resetsInjected=" + resetsInjected()
                + " bytesForwarded=" + bytesForwarded();
    }

    /**
     * Stops accepting, resets every open connection and waits for the proxy's threads to end. Idempotent; the
     * counters stay readable.
     *
     * @throws IllegalStateException if a proxy thread is still running after 10 seconds
     */
    @Override
    public void close() {
        List<Connection> toReset;
        List<Thread> toJoin;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toReset = new ArrayList<>(connections);
            toJoin = new ArrayList<>(threads);
            connections.clear();
        }
        closeQuietly(server);
        toReset.forEach(Connection::reset);
        toJoin.forEach(Thread::interrupt); // ends chunk delays; the socket reads end with the resets above
        long deadline = System.nanoTime() + CLOSE_JOIN_NANOS;
        for (Thread thread : toJoin) {
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while closing " + this, e);
            }
            if (thread.isAlive()) {
                throw new IllegalStateException("thread " + thread.getName() + " still running after close");
            }
        }
    }

    /**
     * Runs a proxy until the JVM is stopped (SIGTERM, SIGINT): prints {@code faulty-proxy listening on PORT} on
     * standard output once listening (after the seed and faults on standard error) and, when stopped, one line with
     * the seed and the counters. Options: see
     * {@code --help}. Exits with status 2 on a bad command line.
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(FaultyProxyArgs.USAGE);
            return;
        }
        FaultyProxyArgs parsed;
        try {
            parsed = FaultyProxyArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("faulty-proxy: " + e.getMessage());
            System.err.println(FaultyProxyArgs.USAGE);
            System.exit(2);
            return;
        }
        FaultyProxy proxy = start(parsed.listenPort(), parsed.targetHost(), parsed.targetPort(), parsed.faults());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.close();
            System.out.println(proxy);
            System.out.flush();
        }, "faulty-proxy-shutdown"));
        System.err.println("faulty-proxy forwarding to " + parsed.targetHost() + ":" + parsed.targetPort() + " seed="
                + proxy.seed() + " resetMeanBytes=" + parsed.faults().resetMeanBytes() + " chunkDelayMillis="
                + parsed.faults().chunkDelayMillis());
        System.out.println("faulty-proxy listening on " + proxy.port());
        System.out.flush();
        new CountDownLatch(1).await(); // the proxy's threads are daemons: park until the JVM is stopped
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                continue; // a failed accept (e.g. the client gave up) does not stop the proxy
            }
            if (refusing) {
                connectionsRefused.incrementAndGet();
                resetQuietly(client);
                continue;
            }
            long resetPoint = faults.resetsEnabled() ? Faults.resetPoint(random, faults.resetMeanBytes())
                    : Long.MAX_VALUE;
            long id = connectionsAccepted.incrementAndGet();
            Connection connection = new Connection(client, new Socket(), resetPoint);
            if (!register(connection)
                    || !startThread(threadPrefix + id + "-up", () -> connectAndForward(connection, id))) {
                connection.reset();
            }
        }
    }

    private void connectAndForward(Connection connection, long id) {
        try {
            connection.client.setTcpNoDelay(true);
            connection.target.setTcpNoDelay(true);
            connection.target.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MILLIS);
        } catch (IOException e) {
            abort(connection);
            return;
        }
        if (!startThread(threadPrefix + id + "-down",
                () -> forward(connection, connection.target, connection.client))) {
            abort(connection);
            return;
        }
        forward(connection, connection.client, connection.target);
    }

    /** Copies {@code from} to {@code to} until end of stream, an error or the connection's reset point. */
    private void forward(Connection connection, Socket from, Socket to) {
        if (faults.chunkDelayMillis() > 0) {
            forwardLate(connection, from, to);
            return;
        }
        byte[] chunk = new byte[CHUNK_BYTES];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (true) {
                int read = in.read(chunk);
                if (read < 0) {
                    endOfStream(connection, to);
                    return;
                }
                int taken = connection.take(read);
                if (taken > 0) {
                    bytesForwarded.addAndGet(taken);
                    out.write(chunk, 0, taken);
                }
                if (taken < read || connection.atResetPoint()) {
                    resetNow(connection);
                    return;
                }
            }
        } catch (IOException e) {
            abort(connection); // a peer failed (or the proxy is closing): fail the other peer too
        }
    }

    /** One side ended its stream: the other side's output ends too, and the connection once both have. */
    private void endOfStream(Connection connection, Socket to) throws IOException {
        to.shutdownOutput();
        if (connection.directionDone()) {
            finish(connection);
        }
    }

    /** The connection reached its reset point: both peers get a reset. */
    private void resetNow(Connection connection) {
        if (connection.reset()) {
            resetsInjected.incrementAndGet();
        }
        remove(connection);
    }

    /** A chunk read from one side, on its way to the other at {@code dueNanos} (see {@link #forwardLate}). */
    private record Late(byte[] bytes, long dueNanos, boolean reset, boolean endOfStream) {
        static final Late ABORTED = new Late(new byte[0], 0, false, false);
    }

    /**
     * {@link #forward} with latency: each chunk goes on {@code chunkDelayMillis} after it was read, by a second thread,
     * while this one reads on — the latency of a long link, which does not cap its bandwidth (a sleep before each
     * chunk would allow one chunk per delay, 64 KiB per 25 ms, a far narrower link than any real one).
     */
    private void forwardLate(Connection connection, Socket from, Socket to) {
        // Bounded (16 MiB in flight per direction): a side that stops reading holds the other back, as TCP would.
        java.util.concurrent.BlockingQueue<Late> queue = new java.util.concurrent.LinkedBlockingQueue<>(256);
        if (!startThread(Thread.currentThread().getName() + "-late", () -> deliverLate(connection, queue, to))) {
            abort(connection);
            return;
        }
        long delayNanos = TimeUnit.MILLISECONDS.toNanos(faults.chunkDelayMillis());
        byte[] chunk = new byte[CHUNK_BYTES];
        try {
            InputStream in = from.getInputStream();
            while (true) {
                int read = in.read(chunk);
                long due = System.nanoTime() + delayNanos;
                if (read < 0) {
                    queue.put(new Late(null, due, false, true));
                    return;
                }
                int taken = connection.take(read);
                boolean reset = taken < read || connection.atResetPoint();
                queue.put(new Late(java.util.Arrays.copyOf(chunk, taken), due, reset, false));
                if (reset) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            abort(connection); // a peer failed, or the proxy is closing (only close() interrupts): fail both peers
            queue.clear();
            queue.offer(Late.ABORTED);
        }
    }

    /** The second half of {@link #forwardLate}: writes each chunk to {@code to} once it is due. */
    private void deliverLate(Connection connection, java.util.concurrent.BlockingQueue<Late> queue, Socket to) {
        try {
            OutputStream out = to.getOutputStream();
            while (true) {
                Late late = queue.take();
                if (late == Late.ABORTED) {
                    return;
                }
                long wait = late.dueNanos() - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (late.endOfStream()) {
                    endOfStream(connection, to);
                    return;
                }
                if (late.bytes().length > 0) {
                    bytesForwarded.addAndGet(late.bytes().length);
                    out.write(late.bytes());
                }
                if (late.reset()) {
                    resetNow(connection);
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            abort(connection); // a peer failed, or the proxy is closing (only close() interrupts)
            queue.clear(); // a reader waiting for room goes on, and finds its socket closed
        }
    }

    private void abort(Connection connection) {
        connection.reset();
        remove(connection);
    }

    private void finish(Connection connection) {
        connection.close();
        remove(connection);
    }

    private boolean register(Connection connection) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            connections.add(connection);
            return true;
        }
    }

    private void remove(Connection connection) {
        synchronized (lock) {
            connections.remove(connection);
        }
    }

    /** Starts a daemon thread unless the proxy is closed; close() joins every thread started here. */
    private boolean startThread(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        synchronized (lock) {
            if (closed) {
                return false;
            }
            threads.removeIf(t -> !t.isAlive());
            threads.add(thread);
            thread.start();
            return true;
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed: nothing to reset
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing is best effort; the socket is unusable either way
        }
    }

    /** One proxied connection: the accepted client socket, the socket to the target, and its byte budget. */
    private static final class Connection {
        final Socket client;
        final Socket target;
        private final long resetPoint;
        private final AtomicLong forwarded = new AtomicLong(); // both directions' threads take from it
        private final AtomicInteger directionsDone = new AtomicInteger();
        private final AtomicBoolean closed = new AtomicBoolean();

        Connection(Socket client, Socket target, long resetPoint) {
            this.client = client;
            this.target = target;
            this.resetPoint = resetPoint;
        }

        /** Takes up to {@code bytes} of what is left before the reset point; returns how many. */
        int take(int bytes) {
            while (true) {
                long current = forwarded.get();
                int taken = (int) Math.min(bytes, resetPoint - current);
                if (taken <= 0) {
                    return 0;
                }
                if (forwarded.compareAndSet(current, current + taken)) {
                    return taken;
                }
            }
        }

        boolean atResetPoint() {
            return forwarded.get() >= resetPoint;
        }

        /** Records that one direction reached end of stream; true for the second. */
        boolean directionDone() {
            return directionsDone.incrementAndGet() == 2;
        }

        /** Closes both sockets with SO_LINGER 0 (RST); true if this call closed the connection. */
        boolean reset() {
            if (!closed.compareAndSet(false, true)) {
                return false;
            }
            resetQuietly(client);
            resetQuietly(target);
            return true;
        }

        /** Closes both sockets normally, after both directions ended. */
        void close() {
            if (closed.compareAndSet(false, true)) {
                closeQuietly(client);
                closeQuietly(target);
            }
        }
    }
}
