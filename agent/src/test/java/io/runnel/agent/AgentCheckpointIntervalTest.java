package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** checkpointIntervalMillis: how often the checkpoint file is written while the agent runs. */
class AgentCheckpointIntervalTest {
    @TempDir
    Path tmp;

    private final AtomicReference<HoldingSink> sink = new AtomicReference<>();
    private Path log;

    @BeforeEach
    void log() {
        log = tmp.resolve("app.log");
    }

    private static void await(Callable<Boolean> condition) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(condition);
    }

    /** Appends {@code text} to the log file (made if need be); its size after. */
    private long append(String text) throws IOException {
        Files.writeString(log, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return Files.size(log);
    }

    /** An agent started on {@code log} from its start, its sink acknowledging every record at once. */
    private Agent started(long intervalMillis) throws IOException {
        return started(intervalMillis, "START_OF_FILE");
    }

    private Agent started(long intervalMillis, String initialPosition) throws IOException {
        return started(intervalMillis, initialPosition, log.toString(), checkpointFile());
    }

    private Agent started(long intervalMillis, String initialPosition, String pattern, Path checkpointFile)
            throws IOException {
        AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                {"checkpointFile": "%s", "checkpointIntervalMillis": %d,
                 "flows": [{"filePattern": "%s", "kinesisStream": "s", "initialPosition": "%s"}]}"""
                .formatted(checkpointFile, intervalMillis, pattern, initialPosition)));
        Agent agent = new Agent(config, HoldingSink.each(sink::set, true));
        agent.start();
        return agent;
    }

    private Path checkpointFile() {
        return tmp.resolve("cp/checkpoints.json"); // its directory is made by the first write
    }

    private long checkpointed() throws IOException {
        return checkpointed(checkpointFile());
    }

    private static long checkpointed(Path file) throws IOException {
        if (!Files.exists(file)) {
            return -1;
        }
        return new ObjectMapper().readTree(file.toFile()).path("files").path(0).path("offset").asLong(-1);
    }

    @Test
    void aMovedCheckpointWaitsForItsIntervalAndIsWrittenAtAStop() throws Exception {
        long first = append("one\n");
        Agent agent = started(3_600_000);
        try {
            // a file newly tracked is written down at once (see the test below), here with its line acknowledged
            await(() -> checkpointed() == first);
            append("two\nthree\n");
            await(() -> sink.get().delivered().size() == 3);
            // The in-memory checkpoint is past every line now. Written every 100 ms (as before this setting), the file
            // would show it within this wait; every hour, it does not.
            Thread.sleep(1_000);
            assertThat(checkpointed()).as("offset in the checkpoint file before the interval").isEqualTo(first);
        } finally {
            agent.close();
        }
        assertThat(checkpointed()).as("offset in the checkpoint file after a stop").isEqualTo(Files.size(log));
    }

    @Test
    void aPatternThatMatchesTheCheckpointFileDoesNotTailIt() throws Exception {
        Path own = tmp.resolve("checkpoints.json"); // beside the log, and "*" matches it and its temporary copy
        append("one\ntwo\n");
        Agent agent = started(20, "START_OF_FILE", tmp.resolve("*").toString(), own);
        try {
            await(() -> checkpointed(own) == Files.size(log));
            // Written now, so every look from here on lists it; tailed, its lines would be sent with the next one's.
            long end = append("three\n");
            await(() -> checkpointed(own) == end);
            assertThat(sink.get().received()).containsExactly("one", "two", "three");
        } finally {
            agent.close();
        }
        assertThat(sink.get().received()).containsExactly("one", "two", "three");
    }

    @Test
    void aShortIntervalWritesTheCheckpointWhileTheAgentRuns() throws Exception {
        append("one\ntwo\nthree\n");
        Agent agent = started(20);
        try {
            await(() -> checkpointed() == Files.size(log));
        } finally {
            agent.halt(); // a crash: only what the running agent wrote is there
        }
        assertThat(checkpointed()).isEqualTo(Files.size(log));
    }

    @Test
    void aFileFoundAtStartIsCheckpointedAtOnceSoACrashInTheFirstSecondSkipsNoLaterLine() throws Exception {
        long end = append("before the first start\n");
        Agent first = started(3_600_000, "END_OF_FILE");
        try {
            await(() -> checkpointed() == end);
        } finally {
            first.halt(); // a crash long before the interval's end
        }
        append("while it was down\n");
        Agent again = started(3_600_000, "END_OF_FILE"); // not a first run now: it resumes where it was
        try {
            await(() -> sink.get().delivered().contains("while it was down"));
            assertThat(sink.get().delivered()).containsExactly("while it was down");
        } finally {
            again.close();
        }
    }

    @Test
    void aFileTruncatedInPlaceIsCheckpointedAtOnce() throws Exception {
        long old = append("a longer first generation\n");
        Agent agent = started(3_600_000);
        try {
            await(() -> checkpointed() == old);
            Files.writeString(log, "new\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            // 0 or the new generation's end, whichever the agent had read when it wrote: not the old place
            await(() -> checkpointed() < old);
        } finally {
            agent.halt();
        }
    }
}
