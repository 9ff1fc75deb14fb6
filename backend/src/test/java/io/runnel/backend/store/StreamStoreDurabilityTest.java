package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.store.StreamStore.IteratorType;
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

class StreamStoreDurabilityTest {
    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime(1_764_000_000_000L);

    private StreamStore open() {
        return new StreamStore(StoreSettings.defaults(), time, new IteratorTokens(), new DataDirectory(dir, 4096));
    }

    private static String put(StreamStore store, String stream, String pk, String data) {
        StreamState s = store.streamForWrite(stream, null);
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return store.put(s, store.hashKeyOf(pk, null, bytes), pk, bytes).sequenceNumber();
    }

    private List<String> readShard(StreamStore store, String stream, String shardId) {
        List<String> out = new ArrayList<>();
        String it = store.shardIterator(stream, null, shardId, IteratorType.TRIM_HORIZON, null, null);
        while (it != null) {
            time.advanceMillis(200);
            StreamStore.Records r = store.getRecords(it, 10_000);
            r.records().forEach(x -> out.add(new String(x.data(), StandardCharsets.UTF_8)));
            if (r.records().isEmpty() && r.nextShardIterator() != null) {
                break;
            }
            it = r.nextShardIterator();
        }
        return out;
    }

    private List<String> readAll(StreamStore store, String stream) {
        List<String> out = new ArrayList<>();
        for (ShardState shard : store.stream(stream, null).shards()) {
            out.addAll(readShard(store, stream, shard.shardId()));
        }
        out.sort(null);
        return out;
    }

    @Test
    void recordDistributionStrategyAndMaximumRecordSizeSurviveARestart() {
        StreamStore store = open();
        StreamState s = store.createStream("tuned", null, StreamState.Mode.ON_DEMAND, 2048, null);
        time.advanceMillis(store.settings().transitionMillis());
        store.setRecordDistributionStrategy(s.arn(), "AUTO");
        store.setMaxRecordSize(s.arn(), 8192);
        StreamStore again = open();
        StreamState back = again.stream("tuned", null);
        assertThat(back.recordDistributionStrategy()).isEqualTo("AUTO");
        assertThat(back.maxRecordSizeKiB()).isEqualTo(8192);
    }

    @Test
    void streamsShardsAndRecordsSurviveARestartWithoutClose() {
        StreamStore first = open();
        first.createStream("durable", 2, StreamState.Mode.PROVISIONED);
        time.advanceMillis(1000);
        List<String> written = new ArrayList<>();
        String lastSeq = null;
        for (int i = 0; i < 300; i++) {
            lastSeq = put(first, "durable", "k" + i, "r" + i);
            written.add("r" + i);
        }
        first.splitShard("durable", null, "shardId-000000000000", "1000");
        time.advanceMillis(1000);
        for (int i = 300; i < 400; i++) {
            put(first, "durable", "k" + i, "r" + i);
            written.add("r" + i);
        }
        first.setRetention("durable", null, 72, true);
        written.sort(null);
        // No close(): the process is gone as after kill -9.

        StreamStore second = open();
        StreamState s = second.stream("durable", null);
        assertThat(s.retentionHours()).isEqualTo(72);
        assertThat(s.shards()).hasSize(4);
        assertThat(s.shard("shardId-000000000000").isOpen()).isFalse();
        assertThat(s.openShards()).hasSize(3);
        assertThat(readAll(second, "durable")).isEqualTo(written);
        assertThat(put(second, "durable", "k", "after restart")).isGreaterThan(lastSeq);
        second.close();
    }

    @Test
    void tornTailLosesOnlyTheTornRecord() throws IOException {
        StreamStore first = open();
        first.createStream("s", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(1000);
        for (int i = 0; i < 50; i++) {
            put(first, "s", "k", "r" + i);
        }
        first.close();
        Path newest;
        try (Stream<Path> files = Files.walk(dir)) {
            newest = files.filter(p -> p.toString().endsWith(".seg")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        try (FileChannel ch = FileChannel.open(newest, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 1);
        }
        StreamStore second = open();
        List<String> read = readShard(second, "s", "shardId-000000000000");
        assertThat(read).hasSize(49).doesNotContain("r49");
        put(second, "s", "k", "r50");
        second.close();
        assertThat(readShard(open(), "s", "shardId-000000000000")).hasSize(50).endsWith("r50");
    }

    @Test
    void deletedStreamLeavesNoFilesAndANewStreamOfTheSameNameStartsEmpty() throws IOException {
        StreamStore store = open();
        store.createStream("gone", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(1000);
        put(store, "gone", "k", "old");
        store.deleteStream("gone", null, false);
        time.advanceMillis(1000);
        assertThatThrownBy(() -> store.stream("gone", null)).isInstanceOf(StoreException.class);
        try (Stream<Path> streams = Files.list(dir.resolve("streams"))) {
            assertThat(streams.toList()).isEmpty();
        }
        store.createStream("gone", 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(1000);
        assertThat(readShard(open(), "gone", "shardId-000000000000")).isEmpty();
    }
}
