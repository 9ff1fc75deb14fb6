package io.runnel.wire.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.wire.testing.QueryForms;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

class QueryEncoderTest {
    private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

    private static MetricDatum datum(String name, String unit, double n, double sum, double min, double max,
            Dimension... dims) {
        return new MetricDatum(name, List.of(dims), T, unit, new StatisticSet(n, sum, min, max));
    }

    @Test
    void encodesWhatTheSdkModelReadsBack() {
        PutMetricDataRequest request = new PutMetricDataRequest("Kinesis Producer/é", List.of(
                datum("UserRecordsPut", "Count", 3, 3, 1, 1),
                datum("BufferingTime", "Milliseconds", 4, 10.5, 0.25, 7,
                        new Dimension("StreamName", "a&b=c d"), new Dimension("ShardId", "shardId-000000000001"))));

        String body = new String(QueryEncoder.encode(request), StandardCharsets.US_ASCII);
        var sdk = QueryForms.putMetricData(body);

        assertThat(body).startsWith("Action=PutMetricData&Version=2010-08-01&");
        assertThat(sdk.namespace()).isEqualTo("Kinesis Producer/é");
        assertThat(sdk.metricData()).hasSize(2);
        var first = sdk.metricData().get(0);
        assertThat(first.metricName()).isEqualTo("UserRecordsPut");
        assertThat(first.unit()).isEqualTo(StandardUnit.COUNT);
        assertThat(first.dimensions()).isEmpty();
        assertThat(first.timestamp()).isEqualTo(T);
        var second = sdk.metricData().get(1);
        assertThat(second.unit()).isEqualTo(StandardUnit.MILLISECONDS);
        assertThat(second.dimensions()).extracting(d -> d.name() + "=" + d.value())
                .containsExactly("StreamName=a&b=c d", "ShardId=shardId-000000000001");
        assertThat(second.statisticValues().sampleCount()).isEqualTo(4.0);
        assertThat(second.statisticValues().sum()).isEqualTo(10.5);
        assertThat(second.statisticValues().minimum()).isEqualTo(0.25);
        assertThat(second.statisticValues().maximum()).isEqualTo(7.0);
    }

    @Test
    void batchesSplitAtTheItemLimit() {
        List<MetricDatum> data = new ArrayList<>();
        for (int i = 0; i < 2_345; i++) {
            data.add(datum("M" + i, "Count", 1, 1, 1, 1));
        }
        List<PutMetricDataRequest> batches = QueryEncoder.batches("NS", data, PutMetricDataRequest.MAX_METRIC_DATA,
                QueryEncoder.MAX_PAYLOAD_BYTES);

        assertThat(batches).extracting(b -> b.metricData().size()).containsExactly(1000, 1000, 345);
        assertThat(batches.stream().flatMap(b -> b.metricData().stream()).toList()).isEqualTo(data);
    }

    @Test
    void batchesSplitAtTheByteLimitWithExactSizes() {
        List<MetricDatum> data = new ArrayList<>();
        List<Dimension> dims = new ArrayList<>();
        for (int d = 0; d < 30; d++) {
            dims.add(new Dimension("D" + d, "v".repeat(1000)));
        }
        for (int i = 0; i < 100; i++) {
            data.add(new MetricDatum("M" + i, dims, T, "Count", new StatisticSet(1, 1, 1, 1)));
        }
        int max = 100_000;
        List<PutMetricDataRequest> batches = QueryEncoder.batches("NS", data, 1000, max);

        assertThat(batches.size()).isGreaterThan(1);
        int total = 0;
        for (int i = 0; i < batches.size(); i++) {
            PutMetricDataRequest b = batches.get(i);
            int size = QueryEncoder.encode(b).length;
            assertThat(size).isLessThanOrEqualTo(max);
            if (i < batches.size() - 1) { // full: the next metric would not have fitted
                List<MetricDatum> more = new ArrayList<>(b.metricData());
                more.add(batches.get(i + 1).metricData().get(0));
                assertThat(QueryEncoder.encode(new PutMetricDataRequest("NS", more)).length).isGreaterThan(max);
            }
            total += b.metricData().size();
        }
        assertThat(total).isEqualTo(100);
    }

    @Test
    void refusesWhatTheApiRefuses() {
        assertThatThrownBy(() -> new PutMetricDataRequest("AWS/Kinesis", List.of(datum("M", "Count", 1, 1, 1, 1))))
                .hasMessageContaining("AWS/");
        assertThatThrownBy(() -> new StatisticSet(0, 0, 0, 0)).hasMessageContaining("SampleCount");
        assertThatThrownBy(() -> new StatisticSet(1, Double.NaN, 0, 0)).hasMessageContaining("Sum");
        List<Dimension> dims = new ArrayList<>();
        for (int d = 0; d < 31; d++) {
            dims.add(new Dimension("D" + d, "v"));
        }
        assertThatThrownBy(() -> new MetricDatum("M", dims, T, "Count", new StatisticSet(1, 1, 1, 1)))
                .hasMessageContaining("at most 30 dimensions");
    }
}
