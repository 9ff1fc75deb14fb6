package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupCommitTest {
    @TempDir
    Path dir;

    @Test
    void concurrentWritersAllBecomeDurable() throws Exception {
        List<ShardLog> logs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            logs.add(ShardLog.restore(i, SegmentLog.open(dir.resolve("shard-" + i), 1 << 20), 1 << 20));
        }
        AtomicLong counter = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (GroupCommit commit = new GroupCommit()) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int writer = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        ShardLog log = logs.get((writer + i) % logs.size());
                        log.append(counter::incrementAndGet, "k", ("w" + writer + "-" + i)
                                .getBytes(StandardCharsets.UTF_8), i);
                        commit.awaitDurable(List.of(log));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = 0;
        for (ShardLog log : logs) {
            total += log.endPosition();
            log.closeFiles();
        }
        assertThat(total).isEqualTo(400);
        long reread = 0;
        for (int i = 0; i < 4; i++) {
            reread += SegmentLog.open(dir.resolve("shard-" + i), 1 << 20).records().size();
        }
        assertThat(reread).isEqualTo(400);
    }

    @Test
    void waitingAfterCloseFails() {
        GroupCommit commit = new GroupCommit();
        commit.close();
        ShardLog log = new ShardLog(0);
        assertThatThrownBy(() -> commit.awaitDurable(List.of(log))).hasMessageContaining("shutting down");
        commit.awaitDurable(List.of()); // nothing to wait for
    }
}
