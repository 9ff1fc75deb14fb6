package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints.isOwn: which listed files are the checkpoint file itself, so that no flow tails them. */
class CheckpointsTest {
    @TempDir
    Path tmp;

    @Test
    void theCheckpointFileAndItsTemporaryCopyAreOwnWhicheverWayTheirDirectoryIsNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("logs"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
        Checkpoints checkpoints = new Checkpoints(dir.resolve("checkpoints.json"));

        assertThat(checkpoints.isOwn(dir, Path.of("checkpoints.json"))).isTrue();
        assertThat(checkpoints.isOwn(dir, Path.of("checkpoints.json.tmp"))).isTrue();
        assertThat(checkpoints.isOwn(tmp.resolve("logs/../logs"), Path.of("checkpoints.json"))).isTrue();
        assertThat(checkpoints.isOwn(link, Path.of("checkpoints.json"))).as("through a symbolic link").isTrue();

        assertThat(checkpoints.isOwn(dir, Path.of("app.log"))).isFalse();
        assertThat(checkpoints.isOwn(tmp, Path.of("checkpoints.json"))).as("another directory").isFalse();
        assertThat(checkpoints.isOwn(tmp.resolve("gone"), Path.of("checkpoints.json"))).isFalse();
    }
}
