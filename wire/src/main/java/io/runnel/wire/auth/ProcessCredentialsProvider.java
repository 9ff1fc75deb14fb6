package io.runnel.wire.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Credentials printed by an external command, as the {@code credential_process} key of a profile names it: the
 * command runs without a shell, its standard output is the JSON document of the AWS CLI's process credentials,
 * Version 1 ({@code Version}, {@code AccessKeyId}, {@code SecretAccessKey}, optional {@code SessionToken} and
 * {@code Expiration}). Without {@code Expiration} the credentials are long-term and the command runs once; with it
 * they are cached and the command runs again ahead of expiry (see {@link RefreshingCredentialsProvider}).
 *
 * <p>The command line is split into words as the AWS CLI splits it on Linux and macOS (Python's {@code shlex.split}
 * in POSIX mode): see {@link #split(String)}. A command that runs longer than the timeout (default 60 s) is killed
 * with its descendants. A non-zero exit, a timeout, or output that is not a Version 1 document becomes a
 * {@link CredentialsException} naming the profile and the start of the command's standard error.
 *
 * <p>Thread-safe; one run at a time.
 */
final class ProcessCredentialsProvider implements CredentialsProvider {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_OUTPUT_BYTES = 64 * 1024;
    private static final int STDERR_EXCERPT_CHARS = 512;

    private final String profile;
    private final String command;
    private final List<String> words;
    private final Duration timeout;
    private final RefreshingCredentialsProvider cache;

    /**
     * @param profile          the profile naming the command (for messages)
     * @param command          the {@code credential_process} value
     * @param timeout          how long the command may run
     * @param prefetchExecutor where background refreshes run; null for the refreshing provider's own thread
     * @throws CredentialsException when the command line is empty or its quotes are unbalanced
     */
    ProcessCredentialsProvider(String profile, String command, Duration timeout, Clock clock,
            Executor prefetchExecutor) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.command = Objects.requireNonNull(command, "command");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        try {
            this.words = split(command);
        } catch (IllegalArgumentException e) {
            throw new CredentialsException(source() + ": " + e.getMessage(), e);
        }
        if (words.isEmpty()) {
            throw new CredentialsException(source() + ": credential_process is empty");
        }
        RefreshingCredentialsProvider.Builder b = RefreshingCredentialsProvider.builder(this::run).clock(clock);
        if (prefetchExecutor != null) {
            b.prefetchExecutor(prefetchExecutor);
        }
        this.cache = b.build();
    }

    private String source() {
        return "profile '" + profile + "' credential_process";
    }

    @Override
    public Credentials resolveCredentials() {
        return cache.resolveCredentials();
    }

    /** Runs the command once and reads its output. */
    Credentials run() {
        Process p;
        try {
            p = new ProcessBuilder(words).redirectInput(ProcessBuilder.Redirect.from(nullFile())).start();
        } catch (IOException | RuntimeException e) {
            throw new CredentialsException(source() + ": cannot start " + words.get(0) + ": " + e.getMessage(), e);
        }
        OutputReader out = new OutputReader(p.getInputStream(), "stdout");
        OutputReader err = new OutputReader(p.getErrorStream(), "stderr");
        int exit;
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                throw new CredentialsException(source() + ": " + words.get(0) + " did not finish within "
                        + timeout.toMillis() + " ms and was killed" + stderr(err));
            }
            exit = p.exitValue();
            out.await();
            err.await();
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new CredentialsException(source() + ": interrupted while " + words.get(0) + " ran", e);
        }
        if (exit != 0) {
            throw new CredentialsException(source() + ": " + words.get(0) + " exited with " + exit + stderr(err));
        }
        if (out.truncated) {
            throw new CredentialsException(source() + ": the output of " + words.get(0) + " is longer than "
                    + MAX_OUTPUT_BYTES + " bytes");
        }
        return parse(out.bytes(), source());
    }

    /** Credentials from a Version 1 process credentials document. */
    static Credentials parse(byte[] json, String source) {
        Map<String, String> fields = CredentialsDocuments.jsonFields(json, source);
        String version = fields.get("Version");
        if (!"1".equals(version)) {
            throw new CredentialsException(source + ": Version must be 1, was " + version);
        }
        return CredentialsDocuments.credentials(fields, "AccessKeyId", "SecretAccessKey", "SessionToken",
                "Expiration", source);
    }

    private static String stderr(OutputReader err) {
        String text = new String(err.bytes(), StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
        if (text.isEmpty()) {
            return "";
        }
        return "; stderr: " + (text.length() <= STDERR_EXCERPT_CHARS ? text
                : text.substring(0, STDERR_EXCERPT_CHARS) + "...");
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    /**
     * Splits a command line into words like a POSIX shell without expansions (Python's {@code shlex.split}, which
     * the AWS CLI uses): unquoted blanks separate words; {@code '...'} is literal; inside {@code "..."} a backslash
     * escapes only {@code \ " $ `} and a newline; outside quotes a backslash escapes any character; quoted parts
     * join the word around them ({@code a"b c"d} is one word), and {@code ""} is an empty word. No variables, globs,
     * pipes or redirections: those characters are ordinary.
     *
     * @throws IllegalArgumentException when a quote is not closed or the line ends in a lone backslash
     */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("no closing quotation in credential_process");
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = line.charAt(i);
                    if (d == '"') {
                        closed = true;
                        i++;
                        break;
                    }
                    if (d == '\\' && i + 1 < n && "\\\"$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                        word.append(line.charAt(i + 1));
                        i += 2;
                    } else {
                        word.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("no closing quotation in credential_process");
                }
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= n) {
                    throw new IllegalArgumentException("no escaped character after the last backslash in"
                            + " credential_process");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    @Override
    public void close() {
        cache.close();
    }

    @Override
    public String toString() {
        return "ProcessCredentialsProvider[profile=" + profile + ", command=" + words.get(0) + "]";
    }

    /** Reads one output stream of the process to its end (bounded) on a daemon thread. */
    private static final class OutputReader extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private volatile boolean truncated;

        OutputReader(InputStream in, String name) {
            super("runnel-credential-process-" + name);
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (InputStream s = in) {
                int r;
                while ((r = s.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        int room = MAX_OUTPUT_BYTES - buffer.size();
                        if (r > room) {
                            truncated = true;
                        }
                        buffer.write(chunk, 0, Math.max(0, Math.min(r, room)));
                    }
                }
            } catch (IOException e) {
                // the process was killed or closed the stream: what was read is all there is
            }
        }

        byte[] bytes() {
            synchronized (buffer) {
                return buffer.toByteArray();
            }
        }

        /** Waits for the end of the stream, for at most 5 s: a descendant holding the pipe must not hang us. */
        void await() throws InterruptedException {
            join(5_000);
        }
    }
}
