package io.runnel.producer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.producer.testing.ManualClock;
import io.runnel.wire.cloudwatch.CloudWatchClient;
import io.runnel.wire.cloudwatch.MetricDatum;
import io.runnel.wire.cloudwatch.PutMetricDataRequest;
import io.runnel.wire.cloudwatch.QueryEncoder;
import io.runnel.wire.error.AccessDeniedException;
import io.runnel.wire.error.ThrottlingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class CloudWatchUploaderTest {
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    /** Records calls; answers each with the next scripted future (or success). */
    private static final class FakeCloudWatch implements CloudWatchClient {
        final List<PutMetricDataRequest> calls = new ArrayList<>();
        final List<CompletableFuture<Void>> answers = new ArrayList<>();
        boolean closed;

        @Override
        public synchronized CompletableFuture<Void> putMetricData(PutMetricDataRequest request) {
            calls.add(request);
            return answers.isEmpty() ? CompletableFuture.completedFuture(null) : answers.remove(0);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final CloudWatchMetrics metrics = new CloudWatchMetrics("DETAILED", "SHARD", () -> 0);
    private final FakeCloudWatch cw = new FakeCloudWatch();

    private CloudWatchUploader uploader(int maxItems, int maxBytes) {
        return new CloudWatchUploader(metrics, cw, true, "KinesisProducerLibrary", INTERVAL, clock, maxItems,
                maxBytes);
    }

    private long tick(CloudWatchUploader u, Duration d) {
        clock.advance(d);
        return u.poll(clock.nanoTime());
    }

    @Test
    void uploadsEachIntervalOnce() {
        CloudWatchUploader u = uploader(1000, QueryEncoder.MAX_PAYLOAD_BYTES);
        metrics.userRecordPut("s", "shardId-000000000000", 10, 1_000_000, 0);

        tick(u, Duration.ofSeconds(59));
        assertThat(cw.calls).isEmpty();
        tick(u, Duration.ofSeconds(1));
        assertThat(cw.calls).hasSize(1);
        assertThat(cw.calls.get(0).namespace()).isEqualTo("KinesisProducerLibrary");
        assertThat(cw.calls.get(0).metricData()).extracting(MetricDatum::metricName).contains("UserRecordsPut",
                "BufferingTime", "UserRecordsPending");

        tick(u, INTERVAL); // nothing recorded but the pending samples
        assertThat(cw.calls).hasSize(2);
        assertThat(cw.calls.get(1).metricData()).extracting(MetricDatum::metricName).containsOnly(
                "UserRecordsPending");
        assertThat(u.succeededRequests()).isEqualTo(2);
    }

    @Test
    void splitsAnIntervalAtTheLimits() {
        CloudWatchUploader u = uploader(5, QueryEncoder.MAX_PAYLOAD_BYTES);
        for (int shard = 0; shard < 10; shard++) {
            metrics.kinesisRecordPut("s", "shardId-" + shard, 100, 1);
        }
        tick(u, INTERVAL);
        int total = cw.calls.stream().mapToInt(c -> c.metricData().size()).sum();
        assertThat(cw.calls).allSatisfy(c -> assertThat(c.metricData().size()).isLessThanOrEqualTo(5));
        assertThat(cw.calls.size()).isEqualTo((total + 4) / 5);

        cw.calls.clear();
        for (int shard = 0; shard < 10; shard++) {
            metrics.kinesisRecordPut("s", "shardId-" + shard, 100, 1);
        }
        CloudWatchUploader small = uploader(1000, 2_000);
        tick(small, INTERVAL);
        assertThat(cw.calls.size()).isGreaterThan(1);
        assertThat(cw.calls).allSatisfy(c -> assertThat(QueryEncoder.encode(c).length).isLessThanOrEqualTo(2_000));
    }

    @Test
    void retriesRetryableFailuresWithBackoffAndDropsOthers() {
        CloudWatchUploader u = uploader(1000, QueryEncoder.MAX_PAYLOAD_BYTES);
        cw.answers.add(CompletableFuture.failedFuture(new ThrottlingException("slow down", 400, "r")));
        cw.answers.add(CompletableFuture.failedFuture(new ThrottlingException("slow down", 400, "r")));
        metrics.userRecordReceived("s", 1);

        tick(u, INTERVAL);
        assertThat(cw.calls).hasSize(1);
        tick(u, Duration.ZERO);
        assertThat(cw.calls).as("not before the backoff").hasSize(1);
        tick(u, Duration.ofSeconds(1)); // first backoff: at most 1 s
        assertThat(cw.calls).hasSize(2);
        tick(u, Duration.ofSeconds(2)); // second: at most 2 s
        assertThat(cw.calls).hasSize(3);
        assertThat(cw.calls.get(2)).isEqualTo(cw.calls.get(0));
        assertThat(u.succeededRequests()).isEqualTo(1);

        cw.answers.add(CompletableFuture.failedFuture(new AccessDeniedException("no", 403, "r")));
        metrics.userRecordReceived("s", 1);
        tick(u, INTERVAL);
        int calls = cw.calls.size();
        tick(u, Duration.ofSeconds(60));
        assertThat(cw.calls.size() - calls).as("only the next interval, no retry of the refused call").isEqualTo(1);
        assertThat(u.droppedRequests()).isEqualTo(1);
    }

    @Test
    void aHangingCloudWatchNeitherBlocksRecordingNorGrowsWithoutBound() {
        CloudWatchUploader u = uploader(1000, QueryEncoder.MAX_PAYLOAD_BYTES);
        for (int i = 0; i < 200; i++) {
            cw.answers.add(new CompletableFuture<>()); // never answered
        }
        for (int interval = 0; interval < CloudWatchUploader.MAX_QUEUED_REQUESTS + 20; interval++) {
            metrics.userRecordPut("s", "shardId-0", 1, 1, 0); // returns at once whatever CloudWatch does
            tick(u, INTERVAL);
        }
        assertThat(cw.calls).hasSize(CloudWatchUploader.MAX_IN_FLIGHT);
        assertThat(u.droppedRequests()).isGreaterThan(0);
    }

    @Test
    void closeUploadsTheLastIntervalAndClosesTheClient() {
        CloudWatchUploader u = uploader(1000, QueryEncoder.MAX_PAYLOAD_BYTES);
        u.start();
        metrics.userRecordPut("s", "shardId-0", 1, 1, 0);

        assertThat(u.close(Duration.ofSeconds(5))).isTrue();

        assertThat(cw.calls).hasSize(1);
        assertThat(cw.calls.get(0).metricData()).extracting(MetricDatum::metricName).contains("UserRecordsPut");
        assertThat(cw.closed).isTrue();
    }

    @Test
    void closeWaitsBoundedlyForAnAnswerThatNeverComes() {
        CloudWatchUploader u = uploader(1000, QueryEncoder.MAX_PAYLOAD_BYTES);
        cw.answers.add(new CompletableFuture<>());
        metrics.userRecordPut("s", "shardId-0", 1, 1, 0);

        assertThat(u.close(Duration.ofMillis(10))).isFalse();
        assertThat(cw.closed).isTrue();
    }
}
