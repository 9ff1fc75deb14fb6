package io.runnel.kclcompat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * dynalite 4.0.0 (npm, Apache-2.0; it declares node 20 or later), an in-memory DynamoDB, run as a child process for
 * the KCL's lease table. Installed with npm under {@code prefix} on first use. Without node and npm on the PATH the
 * calling test is skipped, or fails when {@value #REQUIRE_ENV}=1 (as CI sets it).
 */
final class Dynalite implements AutoCloseable {
    /** The environment variable that turns a missing node/npm from a skip into a failure. */
    static final String REQUIRE_ENV = "RUNNEL_REQUIRE_KCL";
    static final String VERSION = "4.0.0";

    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;

    private Dynalite(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The endpoint the DynamoDB client is pointed at. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /**
     * Installs dynalite under {@code prefix} unless it is there, starts it on a free loopback port and waits until it
     * accepts connections.
     */
    static Dynalite start(Path prefix) throws IOException, InterruptedException {
        Path node = onPath("node");
        Path npm = onPath("npm");
        if (node == null || npm == null) {
            String why = "dynalite needs node and npm on the PATH (found node=" + node + ", npm=" + npm + ")";
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                throw new AssertionError(REQUIRE_ENV + "=1 but " + why + "; install Debian's nodejs and npm");
            }
            Assumptions.abort(why + "; set " + REQUIRE_ENV + "=1 to fail instead of skipping");
        }
        Path cli = prefix.resolve("node_modules/dynalite/cli.js");
        if (!Files.isRegularFile(cli)) {
            Files.createDirectories(prefix);
            run(prefix.resolve("npm-install.log"), npm.toString(), "install", "--prefix", prefix.toString(),
                    "--no-audit", "--no-fund", "--no-save", "dynalite@" + VERSION);
            if (!Files.isRegularFile(cli)) {
                throw new IllegalStateException("npm installed no " + cli + "; see " + prefix.resolve(
                        "npm-install.log"));
            }
        }
        // dynalite's --port 0 means its default 4567, so a free port is picked here (and taken by it right after).
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = prefix.resolve("dynalite-" + port + ".log");
        Process p = new ProcessBuilder(node.toString(), cli.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Dynalite d = new Dynalite(p, port);
        try {
            Awaitility.await("dynalite listening on port " + port).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        if (!p.isAlive()) {
                            throw new IllegalStateException("dynalite exited with " + p.exitValue() + ": "
                                    + Files.readString(log));
                        }
                        return accepts(port);
                    });
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(Path log, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        try {
            if (!p.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException(String.join(" ", command) + " did not finish within "
                        + INSTALL_TIMEOUT + "; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                        + Files.readString(log));
            }
        } finally {
            p.destroyForcibly();
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Stops dynalite (SIGTERM, then SIGKILL) and waits until it is gone. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
