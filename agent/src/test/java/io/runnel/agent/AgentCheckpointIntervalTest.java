package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** checkpointIntervalMillis: how often the checkpoint file is written while the agent runs. */
class AgentCheckpointIntervalTest {
    @TempDir
    Path tmp;

    private final AtomicReference<HoldingSink> sink = new AtomicReference<>();

    /** An agent started on {@code log} from its start, its sink acknowledging every record at once. */
    private Agent started(long intervalMillis, Path log) throws IOException {
        return started(intervalMillis, log, "START_OF_FILE");
    }

    private Agent started(long intervalMillis, Path log, String initialPosition) throws IOException {
        AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                {"checkpointFile": "%s", "checkpointIntervalMillis": %d,
                 "flows": [{"filePattern": "%s", "kinesisStream": "s", "initialPosition": "%s"}]}"""
                .formatted(tmp.resolve("cp/checkpoints.json"), intervalMillis, log, initialPosition)));
        Agent agent = new Agent(config, outcomes -> {
            HoldingSink s = new HoldingSink(outcomes, true);
            sink.set(s);
            return s;
        });
        agent.start();
        return agent;
    }

    private long checkpointed() throws IOException {
        Path file = tmp.resolve("cp/checkpoints.json"); // its directory is made by the first write
        if (!Files.exists(file)) {
            return -1;
        }
        return new ObjectMapper().readTree(file.toFile()).path("files").path(0).path("offset").asLong(-1);
    }

    @Test
    void aMovedCheckpointWaitsForItsIntervalAndIsWrittenAtAStop() throws Exception {
        Path log = tmp.resolve("app.log");
        Files.writeString(log, "one\n", StandardCharsets.UTF_8);
        long first = Files.size(log);
        Agent agent = started(3_600_000, log);
        try {
            // a file newly tracked is written down at once (see the test below), here with its line acknowledged
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed() == first);
            Files.writeString(log, "two\nthree\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sink.get().delivered().size() == 3);
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
    void aShortIntervalWritesTheCheckpointWhileTheAgentRuns() throws Exception {
        Path log = tmp.resolve("app.log");
        Files.writeString(log, "one\ntwo\nthree\n", StandardCharsets.UTF_8);
        Agent agent = started(20, log);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed() == Files.size(log));
        } finally {
            agent.halt(); // a crash: only what the running agent wrote is there
        }
        assertThat(checkpointed()).isEqualTo(Files.size(log));
    }

    @Test
    void aFileFoundAtStartIsCheckpointedAtOnceSoACrashInTheFirstSecondSkipsNoLaterLine() throws Exception {
        Path log = tmp.resolve("app.log");
        Files.writeString(log, "before the first start\n", StandardCharsets.UTF_8);
        long end = Files.size(log);
        Agent first = started(3_600_000, log, "END_OF_FILE");
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed() == end);
        } finally {
            first.halt(); // a crash long before the interval's end
        }
        Files.writeString(log, "while it was down\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Agent again = started(3_600_000, log, "END_OF_FILE"); // not a first run now: it resumes where it was
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> sink.get().delivered().contains("while it was down"));
            assertThat(sink.get().delivered()).containsExactly("while it was down");
        } finally {
            again.close();
        }
    }

    @Test
    void aFileTruncatedInPlaceIsCheckpointedAtOnce() throws Exception {
        Path log = tmp.resolve("app.log");
        Files.writeString(log, "a longer first generation\n", StandardCharsets.UTF_8);
        long old = Files.size(log);
        Agent agent = started(3_600_000, log);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed() == old);
            Files.writeString(log, "new\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            // 0 or the new generation's end, whichever the agent had read when it wrote: not the old place
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed() < old);
        } finally {
            agent.halt();
        }
    }
}
