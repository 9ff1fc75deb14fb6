package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.internal.Clock;
import io.runnel.producer.internal.CredentialsRefresher;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.auth.AwsEnvironment;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.codec.Operation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The producer's first requests wait for the first credentials fetch rather than failing while it runs. */
class KinesisProducerStartTest {
    @TempDir
    Path home;

    /** Holds the refresher's fetches until the test runs them: the first fetch is "in progress" until then. */
    private static final class HeldScheduler implements CredentialsRefresher.Scheduler {
        final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void schedule(Runnable task, long delayMillis) {
            tasks.add(task);
        }

        synchronized Runnable next() {
            return tasks.remove();
        }

        @Override
        public void close() {
        }
    }

    /** Records the operations asked for; answers none of them (what matters here is whether they are asked). */
    private static final class RecordingClient implements KinesisClient {
        final List<Operation> calls = new CopyOnWriteArrayList<>();

        @Override
        public <R extends Record> CompletableFuture<R> execute(Operation operation, Record request,
                Class<R> responseType) {
            calls.add(operation);
            return new CompletableFuture<>();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void recordsWaitForTheFirstCredentialsFetchWithoutSendingAnything() throws Exception {
        HeldScheduler scheduler = new HeldScheduler();
        CredentialsRefresher refresher = new CredentialsRefresher(CredentialsProvider.of(Credentials.of("AKID", "s")),
                false, Duration.ofMinutes(5), Clock.SYSTEM, scheduler);
        RecordingClient client = new RecordingClient();
        ProducerConfig config = ProducerConfig.builder().region("us-east-1").set(ConfigKeys.METRICS_LEVEL, "NONE")
                .build();
        KinesisProducer producer = new KinesisProducer(config, client, false, Clock.SYSTEM, null, refresher,
                new AwsEnvironment(Map.of(), new Properties(), home), Clock.SYSTEM);
        try {
            CompletableFuture<UserRecordResult> f = producer.addUserRecord("s", "pk",
                    "x".getBytes(StandardCharsets.UTF_8));
            // the pipeline has routed the record once this runs (its events are handled in order)
            assertThat(producer.runWhenNoRequestIsInFlight(() -> { }).get()).isTrue();
            assertThat(client.calls).isEmpty(); // no ListShards that could fail unsigned, nothing to log
            assertThat(f).isNotDone();

            scheduler.next().run(); // the first fetch finishes
            assertThat(refresher.firstFetch()).isDone();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.calls.contains(Operation.LIST_SHARDS)
                    && client.calls.contains(Operation.DESCRIBE_STREAM_SUMMARY));
        } finally {
            producer.shutdownNow();
            refresher.close();
        }
    }

    @Test
    void pipelineThreadsShareEachStreamsListShardsAndDescribeStreamSummaryCalls() throws Exception {
        RecordingClient client = new RecordingClient(); // answers nothing: the first calls stay in flight
        ProducerConfig config = ProducerConfig.builder().region("us-east-1").set(ConfigKeys.METRICS_LEVEL, "NONE")
                .set(ConfigKeys.PIPELINE_THREADS, 3L).build();
        KinesisProducer producer = new KinesisProducer(config, client, false, Clock.SYSTEM, null, null,
                new AwsEnvironment(Map.of(), new Properties(), home), Clock.SYSTEM);
        try {
            for (int i = 0; i < 300; i++) { // keys in every thread's slice
                producer.addUserRecord("s", "pk-" + i, new byte[] {1});
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> client.calls.contains(Operation.LIST_SHARDS)
                    && client.calls.contains(Operation.DESCRIBE_STREAM_SUMMARY));
            // Twice through every thread's tick (each parks there while the other two do): each has asked for what
            // its waiting records need by the second.
            assertThat(producer.runWhenNoRequestIsInFlight(() -> { }).get()).isTrue();
            assertThat(producer.runWhenNoRequestIsInFlight(() -> { }).get()).isTrue();
            assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                    .contains("runnel-pipeline-0", "runnel-pipeline-1", "runnel-pipeline-2");
            assertThat(client.calls).containsExactlyInAnyOrder(Operation.LIST_SHARDS,
                    Operation.DESCRIBE_STREAM_SUMMARY);
        } finally {
            producer.shutdownNow();
        }
    }

    @Test
    void theGateOpensWhenTheFirstFetchFailsOrTheRefresherCloses() throws Exception {
        HeldScheduler scheduler = new HeldScheduler();
        CredentialsRefresher refresher = new CredentialsRefresher(() -> {
            throw new io.runnel.wire.auth.CredentialsException("no source answered");
        }, false, Duration.ofMinutes(5), Clock.SYSTEM, scheduler);
        refresher.start();
        scheduler.next().run();
        assertThat(refresher.firstFetch()).isCompleted();
        CredentialsRefresher closedEarly = new CredentialsRefresher(CredentialsProvider.of(Credentials.of("A", "s")),
                false, Duration.ofMinutes(5), Clock.SYSTEM, new HeldScheduler());
        closedEarly.close();
        assertThat(closedEarly.firstFetch()).isCompleted();
    }
}
