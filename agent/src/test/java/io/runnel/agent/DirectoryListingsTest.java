package io.runnel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryListingsTest {
    private static final long T0 = 1_700_000_000_000L; // the directory's time in these tests, in ms

    @TempDir
    Path dir;

    private long wallMillis = T0 + 5_000; // the directory's time is settled unless a test says otherwise
    private long nanos;
    private final AtomicInteger listings = new AtomicInteger();
    private final DirectoryListings subject = new DirectoryListings(() -> wallMillis, () -> nanos);

    /** The directory's files by name, through the subject. */
    private Map<String, Path> files() throws IOException {
        Map<String, Path> seen = new HashMap<>();
        subject.files(dir, (d, into) -> {
            listings.incrementAndGet();
            try (var entries = Files.list(d)) {
                entries.forEach(p -> into.put(p.getFileName().toString(), p));
            }
        }, seen);
        return seen;
    }

    /** A new file, the directory's time then set to {@code millis} (a change the time may or may not show). */
    private void create(String name, long millis) throws IOException {
        Files.writeString(dir.resolve(name), "x\n");
        Files.setLastModifiedTime(dir, FileTime.fromMillis(millis));
    }

    @Test
    void aSettledDirectoryWhoseTimeIsUnchangedIsNotListedAgain() throws Exception {
        create("a.log", T0);
        assertThat(files()).containsOnlyKeys("a.log");
        create("b.log", T0); // a change its time does not show: the listing stands in
        assertThat(files()).containsOnlyKeys("a.log");
        assertThat(listings).hasValue(1);
        Files.setLastModifiedTime(dir, FileTime.fromMillis(T0 + 1));
        assertThat(files()).containsOnlyKeys("a.log", "b.log");
        assertThat(listings).hasValue(2);
    }

    @Test
    void aListingMadeWhileTheDirectoryTimeWasRecentDoesNotStandIn() throws Exception {
        wallMillis = T0 + DirectoryListings.SETTLE_MILLIS - 1; // a change in the same tick could follow unseen
        create("a.log", T0);
        assertThat(files()).containsOnlyKeys("a.log");
        create("b.log", T0);
        assertThat(files()).containsOnlyKeys("a.log", "b.log");
        assertThat(listings).hasValue(2);
    }

    @Test
    void everyDirectoryIsListedAgainAfterTheLongestInterval() throws Exception {
        create("a.log", T0);
        assertThat(files()).containsOnlyKeys("a.log");
        create("b.log", T0);
        nanos += DirectoryListings.RELIST_NANOS - 1;
        assertThat(files()).containsOnlyKeys("a.log");
        nanos += 1;
        assertThat(files()).containsOnlyKeys("a.log", "b.log");
        assertThat(listings).hasValue(2);
    }

    @Test
    void aDirectoryThatIsGoneAddsNothingAndIsForgotten() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Map<String, Path> seen = new HashMap<>();
        Files.delete(sub);
        subject.files(sub, (d, into) -> {
            throw new AssertionError("a directory that is gone is not listed");
        }, seen);
        assertThat(seen).isEmpty();
        create("a.log", T0);
        assertThat(files()).containsOnlyKeys("a.log");
        subject.retain(java.util.List.of());
        assertThat(files()).containsOnlyKeys("a.log");
        assertThat(listings).as("forgotten, so listed again").hasValue(2);
    }
}
