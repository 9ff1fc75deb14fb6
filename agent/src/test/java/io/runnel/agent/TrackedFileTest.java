package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrackedFileTest {
    @TempDir
    Path dir;

    private static AgentConfig.Flow flow(Pattern multi, int skip, int maxRecord) {
        return new AgentConfig.Flow("/x/*.log", "s", AgentConfig.PartitionKeyOption.RANDOM,
                AgentConfig.InitialPosition.START_OF_FILE, multi, skip, "<cut>", 1000, maxRecord, List.of());
    }

    private void append(Path f, String s) throws Exception {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<TrackedFile.Line> drain(TrackedFile t, long idleNanos) throws Exception {
        List<TrackedFile.Line> out = new ArrayList<>();
        while (t.poll(out::add, idleNanos)) {
            // until nothing new
        }
        return out;
    }

    @Test
    void aPartialLineWaitsForItsNewlineAndTheCheckpointMovesOnlyPastAcknowledgedPrefixes() throws Exception {
        Path f = dir.resolve("a.log");
        append(f, "header\none\ntwo\r\nthr");
        try (TrackedFile t = new TrackedFile(flow(null, 1, 1 << 20), f, TrackedFile.fileKeyOf(f), 0)) {
            List<TrackedFile.Line> lines = drain(t, Long.MAX_VALUE);
            assertThat(lines).extracting(TrackedFile.Line::text).containsExactly("one", "two");
            assertThat(t.checkpoint()).isEqualTo(7); // after the header, before "one": nothing acknowledged yet
            t.acknowledged(0, lines.get(1).start()); // "two" first: not a prefix
            assertThat(t.checkpoint()).isEqualTo(7);
            t.acknowledged(0, lines.get(0).start());
            assertThat(t.checkpoint()).isEqualTo(16); // through "two\r\n"; "thr" is not a line yet
            append(f, "ee\n");
            assertThat(drain(t, Long.MAX_VALUE)).extracting(TrackedFile.Line::text).containsExactly("three");
        }
    }

    @Test
    void overLongLinesAreCutWithTheTerminatorAndTheirRestSkipped() throws Exception {
        Path f = dir.resolve("b.log");
        append(f, "x".repeat(300) + "\nshort\n");
        try (TrackedFile t = new TrackedFile(flow(null, 0, 100), f, TrackedFile.fileKeyOf(f), 0)) {
            List<TrackedFile.Line> lines = drain(t, Long.MAX_VALUE);
            assertThat(lines).extracting(TrackedFile.Line::text).containsExactly("x".repeat(95) + "<cut>", "short");
            assertThat(lines.get(0).truncated()).isTrue();
            assertThat(t.overLongLines).isEqualTo(1);
        }
    }

    @Test
    void multiLineRecordsStartAtThePatternAndTheLastOneGoesWhenTheFileIsQuiet() throws Exception {
        Path f = dir.resolve("c.log");
        append(f, "2026 first\n  at one\n  at two\n2026 second\n  at three\n");
        try (TrackedFile t = new TrackedFile(flow(Pattern.compile("^2026"), 0, 1 << 20), f, TrackedFile.fileKeyOf(f),
                0)) {
            List<TrackedFile.Line> lines = drain(t, Long.MAX_VALUE);
            assertThat(lines).extracting(TrackedFile.Line::text).containsExactly("2026 first\n  at one\n  at two");
            assertThat(t.checkpoint()).isZero();
            t.poll(lines::add, 0); // quiet long enough: the gathered record goes
            assertThat(lines).extracting(TrackedFile.Line::text).endsWith("2026 second\n  at three");
        }
    }

    @Test
    void aFileTruncatedInPlaceIsReadAgainFromItsStart() throws Exception {
        Path f = dir.resolve("d.log");
        append(f, "old one\nold two\n");
        try (TrackedFile t = new TrackedFile(flow(null, 0, 1 << 20), f, TrackedFile.fileKeyOf(f), 0)) {
            t.refreshFingerprint();
            assertThat(drain(t, Long.MAX_VALUE)).hasSize(2);
            Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(f, "new\n");
            List<TrackedFile.Line> lines = drain(t, Long.MAX_VALUE);
            assertThat(lines).extracting(TrackedFile.Line::text).containsExactly("new");
            assertThat(lines.get(0).generation()).isEqualTo(1);
            TrackedFile.Truncation tr = t.takeTruncation();
            assertThat(tr.readTo()).isEqualTo(16);
        }
    }

    private static AgentConfig.Flow footerFlow(Pattern multi, String footer) {
        return new AgentConfig.Flow("/x/*.log", "s", AgentConfig.Destination.KINESIS_STREAM,
                AgentConfig.PartitionKeyOption.RANDOM, AgentConfig.InitialPosition.START_OF_FILE, multi,
                Pattern.compile(footer, Pattern.MULTILINE), 0, "\n", 1000, 1 << 20, List.of(), 500, 4L << 20, 100,
                10_000);
    }

    @Test
    void aFooterEndsTheFileItAndWhatFollowsItAreNotSent() throws Exception {
        // The Kinesis Agent (AbstractParser.buildRecord): a record whose trimmed text matches fileFooterPattern is not
        // sent, parsing stops and what it had read past the footer is discarded; data appended later is parsed.
        Path f = dir.resolve("footer.log");
        append(f, "one\n  # END of run 7 \r\nafter\n");
        try (TrackedFile t = new TrackedFile(footerFlow(null, "# END.*"), f, TrackedFile.fileKeyOf(f), 0)) {
            assertThat(drain(t, Long.MAX_VALUE)).extracting(TrackedFile.Line::text).containsExactly("one");
            assertThat(t.footers).isEqualTo(1);
            assertThat(t.readOffset()).isEqualTo(Files.size(f));
            t.acknowledged(0, 0);
            assertThat(t.checkpoint()).isEqualTo(Files.size(f)); // the footer and the rest are behind the checkpoint
            append(f, "later\n# END x\n");
            assertThat(drain(t, Long.MAX_VALUE)).extracting(TrackedFile.Line::text).containsExactly("later");
            assertThat(t.footers).isEqualTo(2);
        }
    }

    @Test
    void aFooterIsMatchedAgainstWholeRecordsNotPartsOfThem() throws Exception {
        Path f = dir.resolve("multi.log");
        // "# END" inside a line is no footer (the whole record must match); with a multi-line start pattern the
        // footer is a record of its own only when it starts one, as in the Kinesis Agent, which matches records.
        append(f, "2024 a # END\n  more\n2024 b\n# END\n2024 c\n");
        try (TrackedFile t = new TrackedFile(footerFlow(Pattern.compile("^(2024|#)"), "# END"), f,
                TrackedFile.fileKeyOf(f), 0)) {
            assertThat(drain(t, 0)).extracting(TrackedFile.Line::text).containsExactly("2024 a # END\n  more",
                    "2024 b");
            assertThat(t.footers).isEqualTo(1);
            assertThat(t.readToEnd()).isTrue();
        }
    }

    @Test
    void theOldGenerationsRecordsInFlightHoldBackTheCheckpointOfTheCopyThatInheritsThem() throws Exception {
        Path f = dir.resolve("e.log");
        append(f, "old one\nold two\nold three\n");
        try (TrackedFile t = new TrackedFile(flow(null, 0, 1 << 20), f, TrackedFile.fileKeyOf(f), 0)) {
            t.refreshFingerprint();
            List<TrackedFile.Line> old = drain(t, Long.MAX_VALUE);
            t.acknowledged(0, old.get(0).start());
            Files.copy(f, dir.resolve("e.log.1"));
            Files.write(f, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            append(f, "new\n");
            drain(t, Long.MAX_VALUE);
            TrackedFile.Truncation tr = t.takeTruncation();
            assertThat(tr.checkpoint()).isEqualTo(8); // "old two" and "old three" are in flight
            assertThat(t.orphanedGenerations()).containsExactly(tr); // no copy has it yet: it needs its own entry
            Path copy = dir.resolve("e.log.1");
            try (TrackedFile c = new TrackedFile(t.flow(), copy, TrackedFile.fileKeyOf(copy), tr.readTo())) {
                c.inherit(tr);
                assertThat(t.orphanedGenerations()).isEmpty();
                assertThat(c.checkpoint()).isEqualTo(8);
                assertThat(c.hasPending()).isTrue();
                t.acknowledged(0, old.get(2).start()); // out of order: still held at "old two"
                assertThat(c.checkpoint()).isEqualTo(8);
                t.acknowledged(0, old.get(1).start()); // the acknowledgement arrives through the truncated file
                assertThat(c.checkpoint()).isEqualTo(26); // the whole old generation
                assertThat(c.hasPending()).isFalse();
            }
        }
    }

    private static AgentConfig.Flow packingFlow(int aggregatedRecordSizeBytes, int maxRecordBytes) {
        return new AgentConfig.Flow("/x/*.log", "d", AgentConfig.Destination.DELIVERY_STREAM,
                AgentConfig.PartitionKeyOption.RANDOM, AgentConfig.InitialPosition.START_OF_FILE,
                null, null, 0, "<cut>",
                1000, maxRecordBytes, List.of(), 500, 4L << 20, 100, 10_000, aggregatedRecordSizeBytes);
    }

    @Test
    void aggregatedRecordSizeBytesPacksWholeLinesIntoOneRecordAcknowledgedAsAWhole() throws Exception {
        // The Kinesis Agent's AggregationSplitter: whole lines (each with its newline, as read) up to the size; a line
        // longer than the size goes alone; only what one read holds.
        Path f = dir.resolve("packed.log");
        append(f, "aaaa\nbbbb\ncccc\n" + "x".repeat(20) + "\n\ndd\nee\npartial");
        try (TrackedFile t = new TrackedFile(packingFlow(12, 1 << 20), f, TrackedFile.fileKeyOf(f), 0)) {
            List<TrackedFile.Line> lines = drain(t, Long.MAX_VALUE);
            assertThat(lines).extracting(TrackedFile.Line::text)
                    .containsExactly("aaaa\nbbbb\n", "cccc\n", "x".repeat(20) + "\n", "dd\nee\n");
            assertThat(lines).extracting(TrackedFile.Line::start).containsExactly(0L, 10L, 15L, 37L);
            assertThat(lines).extracting(TrackedFile.Line::end).containsExactly(10L, 15L, 36L, 43L);
            assertThat(t.checkpoint()).isZero();
            t.acknowledged(0, 0);
            assertThat(t.checkpoint()).isEqualTo(10); // both lines of the first record at once
            t.acknowledged(0, 10);
            t.acknowledged(0, 15);
            t.acknowledged(0, 37);
            assertThat(t.checkpoint()).isEqualTo(43); // the empty line behind it too; "partial" waits for its newline
            append(f, "\nff\n");
            assertThat(drain(t, Long.MAX_VALUE)).extracting(TrackedFile.Line::text).containsExactly("partial\nff\n");
        }
    }

    @Test
    void aPackedRecordNeverWaitsForMoreLinesAndMayHoldACutLine() throws Exception {
        Path f = dir.resolve("packed2.log");
        append(f, "one\n");
        try (TrackedFile t = new TrackedFile(packingFlow(1000, 20), f, TrackedFile.fileKeyOf(f), 0)) {
            assertThat(drain(t, Long.MAX_VALUE)).extracting(TrackedFile.Line::text).containsExactly("one\n");
            append(f, "two\n" + "y".repeat(50) + "\nthree\n");
            List<TrackedFile.Line> lines = drain(t, Long.MAX_VALUE);
            assertThat(lines).extracting(TrackedFile.Line::text)
                    .containsExactly("two\n" + "y".repeat(15) + "<cut>\nthree\n");
            assertThat(lines.get(0).truncated()).isTrue();
        }
    }

    @Test
    void aPackedRecordKeepsEachLinesBytesAsReadCarriageReturnsIncluded() throws Exception {
        // As the Kinesis Agent's AggregationSplitter: the record is the lines' bytes as read, so \r\n stays, and the
        // \r counts towards the size. The empty line (\r\n alone) is skipped, as single empty lines are.
        Path f = dir.resolve("crlf.log");
        append(f, "ab\r\ncd\r\n\r\nef\n" + "gh\r\nij\r\n");
        try (TrackedFile t = new TrackedFile(packingFlow(8, 1 << 20), f, TrackedFile.fileKeyOf(f), 0)) {
            List<TrackedFile.Line> lines = drain(t, Long.MAX_VALUE);
            assertThat(lines).extracting(TrackedFile.Line::text)
                    .containsExactly("ab\r\ncd\r\n", "ef\ngh\r\n", "ij\r\n");
            assertThat(lines).extracting(TrackedFile.Line::start).containsExactly(0L, 10L, 17L);
            // the empty line after the first record is in none
            assertThat(lines).extracting(TrackedFile.Line::end).containsExactly(8L, 17L, 21L);
            AgentConfig.Flow flow = packingFlow(8, 1 << 20);
            assertThat(new String(Agent.recordData(flow, lines.get(0)), StandardCharsets.UTF_8))
                    .isEqualTo("ab\r\ncd\r\n"); // no second newline
            lines.forEach(l -> t.acknowledged(0, l.start()));
            assertThat(t.checkpoint()).isEqualTo(21); // one Line a record: acknowledged whole, exactly
        }
    }
}
