package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A log named by a symbolic link that rotation points at the next file (s6, multilog, some Java loggers). */
class AgentLinkedLogTest {
    @TempDir
    Path tmp;

    private final AtomicReference<HoldingSink> sink = new AtomicReference<>();

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private Agent started(Path pattern) throws IOException {
        AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                {"checkpointFile": "%s", "checkpointIntervalMillis": 20,
                 "flows": [{"filePattern": "%s", "kinesisStream": "s", "initialPosition": "START_OF_FILE"}]}"""
                .formatted(tmp.resolve("cp/checkpoints.json"), pattern)));
        Agent agent = new Agent(config, HoldingSink.each(sink::set, true));
        agent.start();
        return agent;
    }

    /** Points {@code link} at {@code target} in one rename, as rotation tools do. */
    private static void relink(Path link, Path target) throws IOException {
        Path next = link.resolveSibling(link.getFileName() + ".new");
        Files.createSymbolicLink(next, target);
        Files.move(next, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aLinkPointedAtTheNextFileIsFollowedAndTheOldFilesLastLinesAreNotLost() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Path first = logs.resolve("app.1.log");
        Path second = logs.resolve("app.2.log");
        Path current = tmp.resolve("current");
        append(first, "one\n");
        Files.createSymbolicLink(current, first);
        Agent agent = started(current);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sink.get().received().size() == 1);
            append(first, "two\n");
            append(second, "three\n");
            relink(current, second);
            append(first, "four\n"); // the old writer's last line, after the link moved on
            append(second, "five\n");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sink.get().received().size() >= 5);
            assertThat(sink.get().received()).containsExactlyInAnyOrder("one", "two", "three", "four", "five");
        } finally {
            agent.close();
        }
    }
}
