package io.runnel.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class FaultyProxyTest {
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private EchoServer echo;

    @BeforeEach
    void startEcho() throws IOException {
        echo = new EchoServer();
    }

    @AfterEach
    void stopEcho() throws Exception {
        echo.stop();
    }

    static LongStream seeds() {
        return Seeds.of(3);
    }

    @Test
    void forwardsEveryByteUnchangedWithoutFaults() throws Exception {
        byte[] data = RandomData.bytes(new SplittableRandom(1), 1_000_003, 1_000_003);
        FaultyProxy proxy = FaultyProxy.start("127.0.0.1", echo.port(), Faults.none());
        try {
            assertArrayEquals(data, echoThrough(proxy, data));
        } finally {
            proxy.close(); // joins the threads, so the counters are final
        }
        assertEquals(1, proxy.connectionsAccepted());
        assertEquals(0, proxy.resetsInjected());
        assertEquals(0, proxy.connectionsRefused());
        assertEquals(2L * data.length, proxy.bytesForwarded());
    }

    @Test
    void forwardsEveryByteUnchangedWithAChunkDelay() throws Exception {
        byte[] data = RandomData.bytes(new SplittableRandom(2), 1_000_003, 1_000_003);
        FaultyProxy proxy = FaultyProxy.start("127.0.0.1", echo.port(), Faults.none().withChunkDelayMillis(1));
        try {
            assertArrayEquals(data, echoThrough(proxy, data));
        } finally {
            proxy.close();
        }
        assertEquals(0, proxy.resetsInjected());
        assertEquals(2L * data.length, proxy.bytesForwarded());
    }

    static List<org.junit.jupiter.params.provider.Arguments> seedsAndDelays() {
        List<org.junit.jupiter.params.provider.Arguments> cases = new ArrayList<>();
        seeds().forEach(seed -> {
            cases.add(org.junit.jupiter.params.provider.Arguments.of(seed, 0L));
            cases.add(org.junit.jupiter.params.provider.Arguments.of(seed, 2L));
        });
        return cases;
    }

    @ParameterizedTest(name = "seed={0}, chunk delay {1} ms")
    @MethodSource("seedsAndDelays")
    void resetsEachConnectionAtItsSeededResetPoint(long seed, long chunkDelayMillis) throws Exception {
        long mean = 20_000;
        SplittableRandom replay = new SplittableRandom(seed);
        Faults faults = Faults.resetAfterMeanBytes(mean).withSeed(seed).withChunkDelayMillis(chunkDelayMillis);
        FaultyProxy proxy = FaultyProxy.start("127.0.0.1", echo.port(), faults);
        assertEquals(seed, proxy.seed());
        long expectedTotal = 0;
        int connections = 3;
        try {
            for (int i = 0; i < connections; i++) {
                long resetPoint = Faults.resetPoint(replay, mean);
                expectedTotal += resetPoint;
                // more than the reset point in one direction alone, so the reset comes before the echo ends
                byte[] data = new byte[(int) Math.min(resetPoint + 65_536, 64_000_000)];
                IOException e = assertThrows(IOException.class, () -> echoThrough(proxy, data),
                        "seed " + seed + ", connection " + i + ", reset point " + resetPoint);
                assertTrue(e instanceof SocketException && e.getMessage().contains("Connection reset"),
                        "seed " + seed + ": " + e);
            }
        } finally {
            proxy.close();
        }
        assertEquals(connections, proxy.connectionsAccepted(), "seed " + seed);
        assertEquals(connections, proxy.resetsInjected(), "seed " + seed);
        assertEquals(expectedTotal, proxy.bytesForwarded(), "seed " + seed);
    }

    @Test
    void refusedConnectionsAreResetUntilRefusingIsTurnedOff() throws Exception {
        FaultyProxy proxy = FaultyProxy.start("127.0.0.1", echo.port(), Faults.none());
        try {
            proxy.refuseNewConnections(true);
            IOException e = assertThrows(IOException.class, () -> echoThrough(proxy, new byte[10]));
            assertTrue(e.getMessage().contains("Connection reset"), e.toString());
            proxy.refuseNewConnections(false);
            byte[] data = {1, 2, 3};
            assertArrayEquals(data, echoThrough(proxy, data));
        } finally {
            proxy.close();
        }
        assertEquals(1, proxy.connectionsRefused());
        assertEquals(1, proxy.connectionsAccepted());
        assertEquals(6, proxy.bytesForwarded());
    }

    @Test
    void anUnreachableTargetResetsTheClient() throws Exception {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        try (FaultyProxy proxy = FaultyProxy.start("127.0.0.1", closedPort, Faults.none())) {
            assertThrows(IOException.class, () -> echoThrough(proxy, new byte[10]));
        }
    }

    @ParameterizedTest(name = "chunk delay {0} ms")
    @org.junit.jupiter.params.provider.ValueSource(longs = {0, 2})
    void closeResetsOpenConnectionsEndsItsThreadsAndReleasesThePort(long chunkDelayMillis) throws Exception {
        FaultyProxy proxy = FaultyProxy.start("127.0.0.1", echo.port(),
                Faults.none().withChunkDelayMillis(chunkDelayMillis));
        int port = proxy.port();
        try (Socket client = connect(proxy)) {
            client.getOutputStream().write(7);
            assertEquals(7, client.getInputStream().read()); // both forwarding threads are running now
            assertTrue(proxyThreads(port) >= (chunkDelayMillis > 0 ? 5 : 3),
                    "accept, up and down threads (and their late writers)");

            proxy.close();
            proxy.close(); // idempotent

            assertEquals(0, proxyThreads(port));
            IOException e = assertThrows(IOException.class, () -> client.getInputStream().read());
            assertTrue(e.getMessage().contains("Connection reset"), e.toString());
        }
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        }
        assertEquals(1, proxy.connectionsAccepted());
        assertEquals(0, proxy.resetsInjected());
    }

    @Test
    void listensOnTheGivenPort() throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        try (FaultyProxy proxy = FaultyProxy.start(free, "127.0.0.1", echo.port(), Faults.none())) {
            assertEquals(free, proxy.port());
            assertArrayEquals(new byte[] {4, 2}, echoThrough(proxy, new byte[] {4, 2}));
        }
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> FaultyProxy.start(-1, "127.0.0.1", 80, Faults.none()));
        assertThrows(IllegalArgumentException.class, () -> FaultyProxy.start("127.0.0.1", 0, Faults.none()));
        assertThrows(NullPointerException.class, () -> FaultyProxy.start("127.0.0.1", 80, null));
    }

    private static Socket connect(FaultyProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        return socket;
    }

    /**
     * Writes {@code data} through the proxy to the echo server (on another thread, so neither side's buffers fill
     * up), half-closes, and returns everything read back until end of stream. Throws the reader's error, or else the
     * writer's: Linux reports a received RST to only the first call on the socket, so a reset the writer hit shows
     * up in the reader as a plain end of stream.
     */
    private static byte[] echoThrough(FaultyProxy proxy, byte[] data) throws Exception {
        try (Socket socket = connect(proxy)) {
            IOException[] writeError = new IOException[1];
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < data.length; off += 8192) {
                        out.write(data, off, Math.min(8192, data.length - off));
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    writeError[0] = e;
                }
            }, "echo-client-writer");
            writer.start();
            ByteArrayOutputStream received = new ByteArrayOutputStream(data.length);
            try {
                socket.getInputStream().transferTo(received);
            } finally {
                writer.join(READ_TIMEOUT_MILLIS);
            }
            if (writeError[0] != null) { // written before join() returned
                throw writeError[0];
            }
            return received.toByteArray();
        }
    }

    private static long proxyThreads(int port) {
        String prefix = "faulty-proxy-" + port + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }

    /** Echoes every connection's bytes back, half-closing after end of stream. */
    private static final class EchoServer {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new ArrayList<>(); // guarded by itself
        private final List<Thread> threads = new ArrayList<>(); // guarded by sockets
        private final Thread acceptor = new Thread(this::acceptLoop, "echo-accept");

        EchoServer() throws IOException {
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket socket = server.accept();
                    Thread thread = new Thread(() -> echo(socket), "echo-connection");
                    synchronized (sockets) {
                        sockets.add(socket);
                        threads.add(thread);
                    }
                    thread.start();
                }
            } catch (IOException e) {
                // closed
            }
        }

        private static void echo(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                in.transferTo(socket.getOutputStream());
                socket.shutdownOutput();
            } catch (IOException e) {
                // the proxy reset the connection
            }
        }

        void stop() throws Exception {
            server.close();
            acceptor.join();
            List<Thread> toJoin;
            synchronized (sockets) {
                for (Socket socket : sockets) {
                    socket.close();
                }
                toJoin = new ArrayList<>(threads);
            }
            for (Thread thread : toJoin) {
                thread.join();
            }
        }
    }
}
