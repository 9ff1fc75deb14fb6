package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentLogTest {
    @TempDir
    Path dir;

    private static StoredRecord record(long i) {
        return new StoredRecord(1000 + i, 50 + i, i % 3 == 0 ? null : "pk-" + i,
                ("data-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void recordsSurviveReopenAcrossRolledSegments() throws IOException {
        SegmentLog.Recovered fresh = SegmentLog.open(dir, 200);
        assertThat(fresh.records()).isEmpty();
        List<StoredRecord> written = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            written.add(record(i));
            fresh.log().append(record(i));
        }
        fresh.log().close();
        assertThat(segmentFiles().size()).isGreaterThan(3);

        SegmentLog.Recovered again = SegmentLog.open(dir, 200);
        assertThat(again.records()).isEqualTo(written);
        assertThat(again.firstPosition()).isZero();
        assertThat(again.cutBytes()).isZero();
        assertThat(again.log().nextPosition()).isEqualTo(50);
        again.log().append(record(50));
        again.log().close();
        assertThat(SegmentLog.open(dir, 200).records()).hasSize(51).endsWith(record(50));
    }

    @Test
    void tornTailIsCutAndEverythingBeforeItKept() throws IOException {
        SegmentLog log = SegmentLog.open(dir, 1 << 20).log();
        for (int i = 0; i < 10; i++) {
            log.append(record(i));
        }
        log.close();
        Path file = segmentFiles().get(0);
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // the last frame lost its final bytes
        }
        SegmentLog.Recovered recovered = SegmentLog.open(dir, 1 << 20);
        assertThat(recovered.records()).hasSize(9).last().isEqualTo(record(8));
        assertThat(recovered.cutBytes()).isPositive();
        recovered.log().append(record(9));
        recovered.log().close();
        assertThat(SegmentLog.open(dir, 1 << 20).records()).hasSize(10).last().isEqualTo(record(9));
    }

    @Test
    void corruptedFrameEndsTheLog() throws IOException {
        SegmentLog log = SegmentLog.open(dir, 1 << 20).log();
        for (int i = 0; i < 10; i++) {
            log.append(record(i));
        }
        log.close();
        Path file = segmentFiles().get(0);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(file, bytes);
        SegmentLog.Recovered recovered = SegmentLog.open(dir, 1 << 20);
        assertThat(recovered.records().size()).isBetween(3, 6);
        assertThat(recovered.records()).isEqualTo(
                java.util.stream.LongStream.range(0, recovered.records().size()).mapToObj(SegmentLogTest::record)
                        .toList());
    }

    @Test
    void garbageAppendedAfterTheLastFrameIsCut() throws IOException {
        SegmentLog log = SegmentLog.open(dir, 1 << 20).log();
        log.append(record(1));
        log.close();
        Files.write(segmentFiles().get(0), new byte[] {0, 0, 0, 1, 2, 3}, StandardOpenOption.APPEND);
        SegmentLog.Recovered recovered = SegmentLog.open(dir, 1 << 20);
        assertThat(recovered.records()).containsExactly(record(1));
        assertThat(recovered.cutBytes()).isEqualTo(6);
    }

    @Test
    void deletesOnlySegmentsWhollyBeforeAPosition() throws IOException {
        SegmentLog log = SegmentLog.open(dir, 100).log();
        for (int i = 0; i < 40; i++) {
            log.append(record(i));
        }
        int before = log.segmentCount();
        int deleted = log.deleteBefore(20);
        assertThat(deleted).isPositive();
        assertThat(log.segmentCount()).isEqualTo(before - deleted);
        log.close();
        SegmentLog.Recovered recovered = SegmentLog.open(dir, 100);
        assertThat(recovered.firstPosition()).isLessThanOrEqualTo(20).isPositive();
        assertThat(recovered.records().get(0)).isEqualTo(record(recovered.firstPosition()));
        assertThat(recovered.records()).last().isEqualTo(record(39));
        assertThat(recovered.log().nextPosition()).isEqualTo(40);
        recovered.log().close();
    }
}
