package io.runnel.producer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.wire.cloudwatch.Dimension;
import io.runnel.wire.cloudwatch.MetricDatum;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CloudWatchMetricsTest {
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    /** "Name[Dim=value,...]" → datum. */
    private static Map<String, MetricDatum> byKey(List<MetricDatum> data) {
        Map<String, MetricDatum> out = new TreeMap<>();
        for (MetricDatum d : data) {
            StringBuilder k = new StringBuilder(d.metricName()).append('[');
            for (Dimension dim : d.dimensions()) {
                k.append(dim.name()).append('=').append(dim.value()).append(',');
            }
            assertThat(out.put(k.append(']').toString(), d)).as("duplicate series %s", k).isNull();
        }
        return out;
    }

    private static void traffic(CloudWatchMetrics m) {
        m.userRecordReceived("a", 10);
        m.userRecordReceived("a", 10);
        m.userRecordPut("a", "shardId-000000000000", 10, 5_000_000, 0);
        m.userRecordPut("a", "shardId-000000000001", 30, 1_000_000, 2);
        m.kinesisRecordPut("a", "shardId-000000000000", 100, 2);
        m.putRecordsRequest("a", 20_000_000, false, 1, 2);
        m.attemptFailed("a", "ProvisionedThroughputExceededException", true);
        m.userRecordFailed("b", "Expired", 3);
    }

    @Test
    void shardGranularityReportsTheKplTreeOfSeries() {
        CloudWatchMetrics m = new CloudWatchMetrics("DETAILED", "SHARD", () -> 7);
        traffic(m);
        m.samplePending();
        Map<String, MetricDatum> s = byKey(m.drain(T));

        // UserRecordsPut: 1 per record put, 0 per record failed, in every coarser series too.
        MetricDatum global = s.get("UserRecordsPut[]");
        assertThat(global.statisticValues().sampleCount()).isEqualTo(3);
        assertThat(global.statisticValues().sum()).isEqualTo(2);
        assertThat(global.unit()).isEqualTo("Count");
        assertThat(global.timestamp()).isEqualTo(T);
        assertThat(s.get("UserRecordsPut[StreamName=a,]").statisticValues().sum()).isEqualTo(2);
        assertThat(s.get("UserRecordsPut[StreamName=b,]").statisticValues().sum()).isEqualTo(0);
        assertThat(s.get("UserRecordsPut[StreamName=a,ShardId=shardId-000000000001,]").statisticValues().sum())
                .isEqualTo(1);
        MetricDatum buffering = s.get("BufferingTime[StreamName=a,]");
        assertThat(buffering.unit()).isEqualTo("Milliseconds");
        assertThat(buffering.statisticValues().minimum()).isEqualTo(1.0);
        assertThat(buffering.statisticValues().maximum()).isEqualTo(5.0);
        assertThat(s.get("UserRecordsDataPut[]").unit()).isEqualTo("Bytes");
        assertThat(s.get("UserRecordsDataPut[]").statisticValues().sum()).isEqualTo(40);
        assertThat(s.get("ErrorsByCode[ErrorCode=ProvisionedThroughputExceededException,StreamName=a,]")
                .statisticValues().sum()).isEqualTo(1);
        assertThat(s).containsKeys("ErrorsByCode[]", "ErrorsByCode[ErrorCode=ProvisionedThroughputExceededException,]",
                "AllErrors[StreamName=a,ShardId=shardId-000000000000,]", "UserRecordExpired[StreamName=b,]",
                "RequestTime[StreamName=a,]", "KinesisRecordsPerPutRecordsRequest[]",
                "UserRecordsPerPutRecordsRequest[StreamName=a,]", "UserRecordsPerKinesisRecord[StreamName=a,"
                        + "ShardId=shardId-000000000000,]", "KinesisRecordsDataPut[]",
                "UserRecordsReceived[StreamName=a,]");
        // AllErrors: 1 per failed attempt, 0 per Kinesis record put.
        assertThat(s.get("AllErrors[]").statisticValues().sampleCount()).isEqualTo(2);
        assertThat(s.get("AllErrors[]").statisticValues().sum()).isEqualTo(1);
        // Pending: the producer's count globally; per stream, received less finished.
        assertThat(s.get("UserRecordsPending[]").statisticValues().maximum()).isEqualTo(7);
        assertThat(s.get("UserRecordsPending[StreamName=a,]").statisticValues().maximum()).isEqualTo(0);
        for (MetricDatum d : s.values()) {
            assertThat(KplMetric.valueOf(toEnum(d.metricName())).unit()).isEqualTo(d.unit());
        }

        assertThat(m.drain(T)).as("a drained interval starts empty").isEmpty();
    }

    @Test
    void aKinesisRecordsUserRecordsInOneCallReportWhatOneCallEachWould() {
        long[] bytes = {10, 30, 20};
        long[] nanos = {5_000_000, 1_000_000, 3_000_000};
        int[] retries = {0, 2, 1};
        for (String granularity : new String[] {"SHARD", "STREAM", "GLOBAL"}) {
            CloudWatchMetrics one = new CloudWatchMetrics("DETAILED", granularity, () -> 0);
            CloudWatchMetrics batch = new CloudWatchMetrics("DETAILED", granularity, () -> 0);
            for (int i = 0; i < 3; i++) {
                one.userRecordReceived("a", bytes[i]);
                batch.userRecordReceived("a", bytes[i]);
                one.userRecordPut("a", "shardId-000000000001", bytes[i], nanos[i], retries[i]);
            }
            // scratch arrays may be longer than the count: the rest is ignored
            batch.userRecordsPut("a", "shardId-000000000001", 3, java.util.Arrays.copyOf(bytes, 8),
                    java.util.Arrays.copyOf(nanos, 8), java.util.Arrays.copyOf(retries, 8));
            one.samplePending();
            batch.samplePending();

            Map<String, MetricDatum> expected = byKey(one.drain(T));
            assertThat(byKey(batch.drain(T))).as(granularity).isEqualTo(expected);
            assertThat(expected.get("BufferingTime[]").statisticValues().minimum()).isEqualTo(1.0);
            assertThat(expected.get("RetriesPerRecord[]").statisticValues().maximum()).isEqualTo(2.0);
        }
    }

    @Test
    void countsOfOneRecordedDuringADrainLandInTheNextInterval() {
        CloudWatchMetrics m = new CloudWatchMetrics("DETAILED", "GLOBAL", () -> 0);
        m.userRecordReceived("a", 1);
        assertThat(byKey(m.drain(T)).get("UserRecordsReceived[]").statisticValues().sampleCount()).isEqualTo(1);
        m.userRecordReceived("a", 1);
        m.userRecordReceived("a", 1);
        var next = byKey(m.drain(T)).get("UserRecordsReceived[]").statisticValues();
        assertThat(next.sampleCount()).isEqualTo(2);
        assertThat(next.sum()).isEqualTo(2);
        assertThat(next.minimum()).isEqualTo(1);
        assertThat(next.maximum()).isEqualTo(1);
        assertThat(m.drain(T)).isEmpty();
    }

    private static String toEnum(String metricName) {
        return metricName.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
    }

    @Test
    void summaryLevelAndGlobalGranularityKeepFewerSeries() {
        CloudWatchMetrics m = new CloudWatchMetrics("SUMMARY", "GLOBAL", () -> 0);
        traffic(m);
        m.samplePending();
        Map<String, MetricDatum> s = byKey(m.drain(T));

        assertThat(s.keySet()).containsExactlyInAnyOrder("UserRecordsPut[]", "KinesisRecordsPut[]", "ErrorsByCode[]",
                "ErrorsByCode[ErrorCode=ProvisionedThroughputExceededException,]", "AllErrors[]",
                "UserRecordExpired[]", "BufferingTime[]");
    }

    @Test
    void streamGranularityStopsAtTheStream() {
        CloudWatchMetrics m = new CloudWatchMetrics("DETAILED", "STREAM", () -> 0);
        traffic(m);
        assertThat(byKey(m.drain(T)).keySet()).noneMatch(k -> k.contains("ShardId"))
                .anyMatch(k -> k.contains("StreamName=a"));
    }
}
