package io.runnel.agent;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What is written to {@code System.err} while open — where the tests' slf4j-simple logs, as it looks the stream up
 * on each line — still passed on to the real one.
 */
final class StderrCapture implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    StderrCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** The lines so far. */
    List<String> lines() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** The lines so far at WARN or ERROR (slf4j-simple: {@code [thread] LEVEL logger - message}), and stack traces. */
    List<String> warningsAndErrors() {
        return lines().stream().filter(l -> l.contains("] WARN ") || l.contains("] ERROR ")
                || l.startsWith("\tat ") || l.contains("Exception")).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
