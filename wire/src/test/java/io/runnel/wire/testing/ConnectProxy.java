package io.runnel.wire.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP {@code CONNECT} proxy for tests, on a loopback port: logs each CONNECT target, optionally requires
 * Basic authentication (407 with {@code Proxy-Authenticate} otherwise), then opens a TCP connection to the target and
 * copies bytes both ways, so TLS passes through it untouched. Anything but CONNECT gets 405. Two daemon threads per
 * tunnel; {@link #close()} closes every socket.
 */
public final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String requiredAuthorization; // null: no authentication
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private ConnectProxy(String user, String password) throws IOException {
        this.requiredAuthorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "connect-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** A proxy that tunnels for anyone. */
    public static ConnectProxy open() throws IOException {
        return new ConnectProxy(null, null);
    }

    /** A proxy that tunnels only for Basic credentials {@code user}/{@code password}. */
    public static ConnectProxy requiringBasicAuth(String user, String password) throws IOException {
        return new ConnectProxy(user, password);
    }

    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Every CONNECT target asked for ({@code host:port}), authorized or not, in order. */
    public List<String> targets() {
        return List.copyOf(targets);
    }

    /** CONNECT targets answered with 407. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    /** Tunnels opened to a target. */
    public int tunnels() {
        return tunnels.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Thread t = new Thread(() -> serve(client), "connect-proxy-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                client.close();
                return;
            }
            String[] requestLine = head.get(0).split(" ");
            if (requestLine.length != 3 || !requestLine[0].equals("CONNECT")) {
                reply(out, "405 Method Not Allowed", "");
                client.close();
                return;
            }
            String target = requestLine[1];
            targets.add(target);
            if (requiredAuthorization != null && !requiredAuthorization.equals(header(head, "proxy-authorization"))) {
                refused.add(target);
                reply(out, "407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"test\"\r\n");
                client.close();
                return;
            }
            int colon = target.lastIndexOf(':');
            String host = target.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            Socket upstream = new Socket();
            sockets.add(upstream);
            try {
                upstream.connect(new InetSocketAddress(host, Integer.parseInt(target.substring(colon + 1))), 5_000);
            } catch (IOException e) {
                reply(out, "502 Bad Gateway", "");
                client.close();
                return;
            }
            tunnels.incrementAndGet();
            reply(out, "200 Connection Established", "");
            Thread up = new Thread(() -> pump(in, upstream, client), "connect-proxy-up");
            up.setDaemon(true);
            up.start();
            pump(upstream.getInputStream(), client, upstream);
        } catch (IOException e) {
            closeQuietly(client);
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        List<String> lines = new ArrayList<>();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
                line.reset();
                if (l.isEmpty()) {
                    return lines;
                }
                lines.add(l);
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    private static String header(List<String> head, String name) {
        for (String h : head.subList(1, head.size())) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return h.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void reply(OutputStream out, String status, String headers) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Copies until either side ends, then closes both. */
    private static void pump(InputStream from, Socket to, Socket fromSocket) {
        byte[] buf = new byte[16 * 1024];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = from.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(to);
            closeQuietly(fromSocket);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        sockets.forEach(ConnectProxy::closeQuietly);
    }
}
