package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilePatternTest {
    @TempDir
    Path tmp;

    @Test
    void aGlobMatchesWithinEachDirectorySegmentAndNewDirectoriesAreFoundOnTheNextLook() throws Exception {
        Files.createDirectories(tmp.resolve("app-1/logs"));
        Files.createDirectories(tmp.resolve("app-2/logs"));
        Files.createDirectories(tmp.resolve("other/logs"));
        Files.createDirectories(tmp.resolve("app-3")); // no logs directory under it
        Files.writeString(tmp.resolve("app-file"), "a file, not a directory");
        FilePattern p = FilePattern.parse(tmp + "/app-*/logs/x*.log");
        assertThat(p.globsDirectories()).isTrue();
        assertThat(p.directories()).containsExactlyInAnyOrder(tmp.resolve("app-1/logs"), tmp.resolve("app-2/logs"));
        Files.createDirectories(tmp.resolve("app-4/logs"));
        assertThat(p.directories()).contains(tmp.resolve("app-4/logs")).hasSize(3);
        assertThat(p.matchesFileName(Path.of("x1.log"))).isTrue();
        assertThat(p.matchesFileName(Path.of("y.log"))).isFalse();
    }

    @Test
    void withoutAGlobInTheDirectoryItIsThatDirectoryWhenItExists() throws Exception {
        FilePattern p = FilePattern.parse(tmp + "/later/app.log*");
        assertThat(p.globsDirectories()).isFalse();
        assertThat(p.directories()).isEmpty();
        Files.createDirectories(tmp.resolve("later"));
        assertThat(p.directories()).containsExactly(tmp.resolve("later"));
    }

    @Test
    void relativePatternsAnyDepthAndMalformedGlobsAreRefused() {
        assertThatThrownBy(() -> FilePattern.parse("logs/*.log")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be an absolute path");
        assertThatThrownBy(() -> FilePattern.parse("/var/**/app.log")).hasMessageContaining("'**' (any depth)");
        assertThatThrownBy(() -> FilePattern.parse("/var/log/[abc/app.log"))
                .hasMessageStartingWith("'[abc' is not a glob");
    }

    @Test
    void aFlowTailsTheFilesOfEveryMatchingDirectoryIncludingOnesCreatedWhileItRuns() throws Exception {
        Path a = tmp.resolve("logs/a/app.log");
        Files.createDirectories(a.getParent());
        Files.writeString(a, "a-1\n");
        AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                {"checkpointFile": "%s", "flows": [{"filePattern": "%s/logs/*/app.log", "kinesisStream": "s",
                  "initialPosition": "START_OF_FILE"}]}""".formatted(tmp.resolve("checkpoints.json"), tmp)));
        List<HoldingSink> sinks = new ArrayList<>();
        try (Agent agent = new Agent(config, HoldingSink.each(sinks::add, true))) {
            agent.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sinks.get(0).delivered().contains("a-1"));
            Path b = tmp.resolve("logs/b/app.log"); // a directory that did not exist at start
            Files.createDirectories(b.getParent());
            Files.writeString(b, "b-1\n");
            Files.writeString(tmp.resolve("logs/b/other.log"), "not matched\n");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sinks.get(0).delivered().contains("b-1"));
        }
        assertThat(sinks.get(0).delivered()).containsExactlyInAnyOrder("a-1", "b-1");
    }

    @Test
    void compressedRotationsAreNotTailed() {
        // the Kinesis Agent's SourceFile skips these endings even when filePattern matches them
        assertThat(FilePattern.compressed(Path.of("app.log.1.gz"))).isTrue();
        assertThat(FilePattern.compressed(Path.of("app.log.2.BZ2"))).isTrue();
        assertThat(FilePattern.compressed(Path.of("app.log.zip"))).isTrue();
        assertThat(FilePattern.compressed(Path.of("app.log.1"))).isFalse();
        assertThat(FilePattern.compressed(Path.of("app.gzip.log"))).isFalse();
    }
}
