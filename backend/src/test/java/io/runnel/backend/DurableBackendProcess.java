package io.runnel.backend;

import java.nio.file.Path;

/** A backend in its own JVM, for tests that kill it with SIGKILL: {@code DurableBackendProcess DATA_DIR}. */
public final class DurableBackendProcess {
    private DurableBackendProcess() {
    }

    public static void main(String[] args) throws Exception {
        KinesisBackend backend = KinesisBackend.builder().dataDir(Path.of(args[0])).createStream("crash", 2).start();
        System.out.println("port " + backend.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
