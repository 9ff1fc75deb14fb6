package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * copytruncate with records of the old generation still in flight, then a crash: the checkpoint covers those records,
 * so the next run sends them again from the copy, and nothing acknowledged before the crash is sent again.
 */
class AgentTruncationTest {
    @TempDir
    Path tmp;

    private static void append(Path file, String prefix, int from, int to) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = from; i < to; i++) {
            b.append(prefix).append(i).append('\n');
        }
        Files.writeString(file, b, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** Where line {@code n} of those {@link #append} writes with {@code prefix} starts. */
    private static long start(String prefix, int n) {
        long at = 0;
        for (int i = 0; i < n; i++) {
            at += (prefix + i + "\n").length();
        }
        return at;
    }

    private static Predicate<String> lines(String prefix, int from, int to) {
        return text -> text.startsWith(prefix) && Integer.parseInt(text.substring(prefix.length())) >= from
                && Integer.parseInt(text.substring(prefix.length())) < to;
    }

    private JsonNode checkpoints() throws IOException {
        Path file = tmp.resolve("checkpoints.json");
        return Files.exists(file) ? new ObjectMapper().readTree(file.toFile()).path("files")
                : new ObjectMapper().createArrayNode();
    }

    private boolean checkpointed(Path path, boolean truncated, long offset) throws IOException {
        for (JsonNode e : checkpoints()) {
            if (e.path("path").asText().equals(path.toString()) && e.path("truncated").asBoolean() == truncated
                    && e.path("offset").asLong() == offset) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param copyUnderThePattern whether logrotate's copy matches the flow's pattern at once (then the running agent
     *                            tails it and its checkpoint inherits the old generation's records in flight), or only
     *                            after the crash (then the old generation has a checkpoint entry of its own)
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCrashRightAfterACopytruncateLosesNoLineAndResendsNoAcknowledgedOne(boolean copyUnderThePattern)
            throws Exception {
        Path dir = tmp.resolve("logs");
        Files.createDirectories(dir.resolve("hold"));
        Path log = dir.resolve("app.log");
        Path rotated = dir.resolve("app.log.1");
        AgentConfig config = AgentConfig.parse(new ObjectMapper().readTree("""
                {"checkpointFile": "%s", "flows": [{"filePattern": "%s/app.log*", "kinesisStream": "s",
                  "initialPosition": "START_OF_FILE"}]}""".formatted(tmp.resolve("checkpoints.json"), dir)));
        append(log, "A-", 0, 100);

        List<HoldingSink> first = new ArrayList<>();
        Agent agent = new Agent(config, HoldingSink.each(first::add, false));
        try {
            agent.start();
            HoldingSink sink = first.get(0);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 100);
            sink.deliver(lines("A-", 0, 50));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed(log, false, start("A-", 50)));

            // logrotate copytruncate: copy, truncate in place; the application goes on writing
            Files.copy(log, copyUnderThePattern ? rotated : dir.resolve("hold/app.copy"));
            Files.write(log, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(log, "B-", 0, 20);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 120);
            // some of the old generation's records in flight are acknowledged after the truncation, some never
            sink.deliver(lines("A-", 50, 60).or(lines("B-", 0, 10)));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> checkpointed(log, false, start("B-", 10))
                    && (copyUnderThePattern ? checkpointed(rotated, false, start("A-", 60))
                            : checkpointed(log, true, start("A-", 60))));
        } finally {
            agent.halt(); // kill -9: A-60..A-99 and B-10..B-19 were never acknowledged
        }
        if (!copyUnderThePattern) {
            Files.move(dir.resolve("hold/app.copy"), rotated); // the copy shows up under the pattern only now
        }

        List<HoldingSink> second = new ArrayList<>();
        try (Agent again = new Agent(config, HoldingSink.each(second::add, true))) {
            again.start();
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> second.get(0).delivered().size() >= 50);
        }
        List<String> resent = second.get(0).delivered();
        assertThat(resent).as("sent after the restart").filteredOn(lines("A-", 0, 60).or(lines("B-", 0, 10)))
                .isEmpty();
        assertThat(resent).containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.concat(
                java.util.stream.IntStream.range(60, 100).mapToObj(i -> "A-" + i),
                java.util.stream.IntStream.range(10, 20).mapToObj(i -> "B-" + i)).toList());
        List<String> all = new ArrayList<>(first.get(0).delivered());
        all.addAll(resent);
        assertThat(all).hasSize(120).doesNotHaveDuplicates();
    }
}
