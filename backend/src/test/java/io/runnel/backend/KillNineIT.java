package io.runnel.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import io.runnel.wire.model.PutRecordsResultEntry;
import io.runnel.wire.model.StreamRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records the backend acknowledged are all there after it is killed with SIGKILL in the middle of writes. */
class KillNineIT {
    @TempDir
    Path dir;

    private record Running(Process process, int port) {
    }

    private Running start() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), DurableBackendProcess.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("port ")) {
                int port = Integer.parseInt(line.substring(5).trim());
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (java.io.IOException ignored) {
                        // process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new Running(p, port);
            }
        }
        throw new AssertionError("backend process ended before it listened");
    }

    private static NettyKinesisClient client(int port) {
        return NettyKinesisClient.builder().endpoint(Endpoint.of("http://127.0.0.1:" + port, "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b")))
                .requestTimeout(Duration.ofSeconds(30)).build();
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        Running first = start();
        Set<String> acknowledged = java.util.concurrent.ConcurrentHashMap.newKeySet();
        try (NettyKinesisClient c = client(first.port())) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> c.describeStreamSummary(
                    new io.runnel.wire.model.DescribeStreamSummaryRequest("crash", null)).join()
                    .streamDescriptionSummary().streamStatus().equals("ACTIVE"));
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            for (int batch = 0; batch < 40; batch++) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    entries.add(new PutRecordsRequestEntry(("r-" + batch + "-" + i).getBytes(StandardCharsets.UTF_8),
                            null, "k" + i));
                }
                inFlight.add(c.putRecords(new PutRecordsRequest("crash", null, entries)).thenAccept(r -> {
                    for (PutRecordsResultEntry e : r.records()) {
                        if (e.sequenceNumber() != null) {
                            acknowledged.add(e.sequenceNumber());
                        }
                    }
                }));
                if (batch < 20) {
                    inFlight.get(batch).get(60, TimeUnit.SECONDS); // the first half is acknowledged for sure
                } else if (batch == 30) {
                    first.process().destroyForcibly(); // SIGKILL while requests are in flight
                }
            }
            for (CompletableFuture<?> f : inFlight) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expected) {
                    // requests the killed process never answered
                }
            }
        }
        first.process().waitFor(60, TimeUnit.SECONDS);
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(20 * 50);

        Running second = start();
        try (NettyKinesisClient c = client(second.port())) {
            Set<String> stored = new HashSet<>();
            for (var shard : c.listShards(new ListShardsRequest("crash", null, null, null, null, null, null)).join()
                    .shards()) {
                String it = c.getShardIterator(new GetShardIteratorRequest("crash", null, shard.shardId(),
                        "TRIM_HORIZON", null, null)).join().shardIterator();
                for (StreamRecord r : c.getRecords(new GetRecordsRequest(it, 10_000, null)).join().records()) {
                    stored.add(r.sequenceNumber());
                }
            }
            assertThat(stored).containsAll(acknowledged);
        } finally {
            second.process().destroyForcibly();
            second.process().waitFor(60, TimeUnit.SECONDS);
        }
    }
}
