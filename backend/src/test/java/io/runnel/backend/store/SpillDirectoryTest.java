package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.store.StreamStore.IteratorType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillDirectoryTest {
    private static final int HOT_BYTES = 1024;
    private static final int SEGMENT_BYTES = 4096;

    @TempDir
    Path parent;

    private final ManualTime time = new ManualTime(1_764_000_000_000L);
    private final List<StreamStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(StreamStore::close);
    }

    private StreamStore open(SpillDirectory spill) {
        StreamStore store = StreamStore.spilling(StoreSettings.defaults().withLimits(false), time,
                new IteratorTokens(), spill);
        stores.add(store);
        return store;
    }

    /** A 100-byte record whose data starts with {@code i}. */
    private static byte[] data(int i) {
        byte[] out = new byte[100];
        byte[] prefix = (i + "|").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        return out;
    }

    private static int indexOf(StoredRecord r) {
        String s = new String(r.data(), StandardCharsets.US_ASCII);
        return Integer.parseInt(s.substring(0, s.indexOf('|')));
    }

    private static String put(StreamStore store, int i) {
        StreamState s = store.streamForWrite("s", null);
        String pk = "pk-" + (i % 7);
        byte[] bytes = data(i);
        return store.put(s, store.hashKeyOf(pk, null, bytes), pk, bytes).sequenceNumber();
    }

    /** Every record from the iterator on, with the sequence numbers the store gives them. */
    private List<StoredRecord> readFrom(StreamStore store, String iterator, List<String> sequenceNumbers) {
        List<StoredRecord> out = new ArrayList<>();
        String it = iterator;
        while (it != null) {
            StreamStore.Records r = store.getRecords(it, 37); // small pages: many reads start in the spilled part
            for (StoredRecord rec : r.records()) {
                out.add(rec);
                sequenceNumbers.add(SequenceNumbers.format(rec.counter(), 0));
            }
            if (r.records().isEmpty()) {
                break;
            }
            it = r.nextShardIterator();
        }
        return out;
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    @Test
    void recordsBeyondTheHotBudgetSpillToDiskAndStillReadBackInOrder() throws IOException {
        SpillDirectory spill = SpillDirectory.create(parent, SEGMENT_BYTES, HOT_BYTES);
        StreamStore store = open(spill);
        store.createStream("s", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(1000);
        int n = 500;
        List<String> written = new ArrayList<>();
        long[] arrivals = new long[n];
        for (int i = 0; i < n; i++) {
            arrivals[i] = time.millis();
            written.add(put(store, i));
            time.advanceMillis(1);
        }
        ShardLog log = store.stream("s", null).shards().get(0).log();

        // 50 KB written, about 1 KB of it on the heap; the rest is in segment files under the spill directory.
        assertThat(spill.root()).startsWith(parent).isDirectory();
        assertThat(spill.root().getFileName().toString())
                .startsWith("runnel-backend-" + ProcessHandle.current().pid() + "-");
        assertThat(segments(spill.root())).hasSizeGreaterThan(5);
        assertThat(log.retainedBytes()).isEqualTo(100L * n);
        assertThat(log.memoryBytes()).isPositive().isLessThanOrEqualTo(HOT_BYTES);

        // TRIM_HORIZON: every record, in order, with the sequence numbers the puts returned.
        List<String> seqs = new ArrayList<>();
        List<StoredRecord> all = readFrom(store,
                store.shardIterator("s", null, "shardId-000000000000", IteratorType.TRIM_HORIZON, null, null), seqs);
        assertThat(all).extracting(SpillDirectoryTest::indexOf)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, n).boxed().toList());
        assertThat(seqs).containsExactlyElementsOf(written);
        assertThat(all.get(3).partitionKey()).isEqualTo("pk-3");
        assertThat(all.get(3).arrivalMillis()).isEqualTo(arrivals[3]);

        // AT_SEQUENCE_NUMBER and AT_TIMESTAMP land in the spilled part.
        seqs.clear();
        List<StoredRecord> fromSeq = readFrom(store, store.shardIterator("s", null, "shardId-000000000000",
                IteratorType.AT_SEQUENCE_NUMBER, written.get(100), null), seqs);
        assertThat(fromSeq).hasSize(n - 100);
        assertThat(indexOf(fromSeq.get(0))).isEqualTo(100);
        assertThat(seqs).containsExactlyElementsOf(written.subList(100, n));
        List<StoredRecord> fromTime = readFrom(store, store.shardIterator("s", null, "shardId-000000000000",
                IteratorType.AT_TIMESTAMP, null, arrivals[200]), new ArrayList<>());
        assertThat(fromTime).extracting(SpillDirectoryTest::indexOf)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(200, n).boxed().toList());

        // Retention drops the spilled records and deletes their segments.
        List<Path> before = segments(spill.root());
        time.advanceMillis(25 * 3_600_000L);
        List<String> later = new ArrayList<>();
        for (int i = n; i < n + 20; i++) {
            later.add(put(store, i));
        }
        assertThat(store.trim()).isEqualTo(n);
        List<Path> after = segments(spill.root());
        assertThat(after).hasSizeLessThanOrEqualTo(2);
        assertThat(before.subList(0, before.size() - 1)).allSatisfy(p -> assertThat(p).doesNotExist());
        seqs.clear();
        List<StoredRecord> kept = readFrom(store,
                store.shardIterator("s", null, "shardId-000000000000", IteratorType.TRIM_HORIZON, null, null), seqs);
        assertThat(kept).extracting(SpillDirectoryTest::indexOf)
                .containsExactlyElementsOf(java.util.stream.IntStream.range(n, n + 20).boxed().toList());
        assertThat(seqs).containsExactlyElementsOf(later);
    }

    @Test
    void deletedStreamLeavesNoSpillFiles() throws IOException {
        SpillDirectory spill = SpillDirectory.create(parent, SEGMENT_BYTES, HOT_BYTES);
        StreamStore store = open(spill);
        store.createStream("s", 2, StreamState.Mode.PROVISIONED);
        time.advanceMillis(1000);
        for (int i = 0; i < 100; i++) {
            put(store, i);
        }
        assertThat(segments(spill.root())).isNotEmpty();
        store.deleteStream("s", null, false);
        time.advanceMillis(1000);
        assertThat(store.streams()).isEmpty();
        assertThat(segments(spill.root())).isEmpty();
        try (Stream<Path> entries = Files.list(spill.root())) {
            assertThat(entries.toList()).isEmpty();
        }
    }

    @Test
    void aRestartedStoreStartsEmptyAndCloseRemovesTheDirectory() {
        SpillDirectory first = SpillDirectory.create(parent, SEGMENT_BYTES, HOT_BYTES);
        StreamStore store = StreamStore.spilling(StoreSettings.defaults(), time, new IteratorTokens(), first);
        store.createStream("s", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(1000);
        for (int i = 0; i < 100; i++) {
            put(store, i);
        }
        assertThat(first.root()).isDirectory();
        store.close();
        assertThat(first.root()).doesNotExist();
        first.close(); // twice is harmless

        SpillDirectory second = SpillDirectory.create(parent, SEGMENT_BYTES, HOT_BYTES);
        assertThat(second.root()).isNotEqualTo(first.root());
        assertThat(open(second).streams()).isEmpty();
    }

    @Test
    void staleDirectoryOfADeadProcessIsRemovedAndALiveProcessesIsKept() throws Exception {
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        child.waitFor();
        long deadPid = child.pid();
        assertThat(ProcessHandle.of(deadPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        long livePid = ProcessHandle.current().pid();
        Path dead = parent.resolve("runnel-backend-" + deadPid + "-0badf00d");
        Path live = parent.resolve("runnel-backend-" + livePid + "-c0ffee00");
        Path unrelated = parent.resolve("runnel-backend-notapid");
        for (Path d : List.of(dead, live, unrelated)) {
            Files.createDirectories(d.resolve("73-1764000000000/shard-0"));
            Files.write(d.resolve("73-1764000000000/shard-0/00000000000000000000.seg"), new byte[10]);
        }

        SpillDirectory spill = SpillDirectory.create(parent, SEGMENT_BYTES, HOT_BYTES);
        assertThat(dead).doesNotExist();
        assertThat(live).isDirectory();
        assertThat(live.resolve("73-1764000000000/shard-0/00000000000000000000.seg")).exists();
        assertThat(unrelated).isDirectory();
        assertThat(spill.root()).isDirectory();
        spill.close();
        assertThat(spill.root()).doesNotExist();
    }

    @Test
    void onlyDirectoriesWhoseProcessIsGoneAreStale() throws IOException {
        Files.createDirectories(parent.resolve("runnel-backend-11-00000000"));
        Files.createDirectories(parent.resolve("runnel-backend-12-00000000"));
        Files.createFile(parent.resolve("runnel-backend-13-00000000")); // a file, not ours
        List<Path> removed = SpillDirectory.removeStale(parent, pid -> pid == 12);
        assertThat(removed).containsExactly(parent.resolve("runnel-backend-11-00000000"));
        assertThat(parent.resolve("runnel-backend-12-00000000")).isDirectory();
        assertThat(parent.resolve("runnel-backend-13-00000000")).isRegularFile();
    }
}
