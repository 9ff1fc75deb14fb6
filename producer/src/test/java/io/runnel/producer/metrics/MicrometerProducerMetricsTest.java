package io.runnel.producer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerProducerMetricsTest {
    @Test
    void summaryAtShardGranularityRecordsTheKplSummarySetTaggedByStreamAndShard() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerProducerMetrics m = new MicrometerProducerMetrics(registry, "SUMMARY", "SHARD");
        m.userRecordPut("s", "shardId-1", 100, 5_000_000, 0);
        m.userRecordPut("s", "shardId-1", 100, 7_000_000, 2);
        m.kinesisRecordPut("s", "shardId-1", 250, 2);
        m.attemptFailed("s", "ProvisionedThroughputExceededException", true);
        m.userRecordFailed("s", "Expired", 3);
        assertThat(registry.get("UserRecordsPut").tag("shard", "shardId-1").counter().count()).isEqualTo(2);
        assertThat(registry.get("BufferingTime").timer().count()).isEqualTo(2);
        assertThat(registry.get("KinesisRecordsPut").counter().count()).isEqualTo(1);
        assertThat(registry.get("ErrorsByCode").tag("code", "ProvisionedThroughputExceededException").counter()
                .count()).isEqualTo(1);
        assertThat(registry.get("AllErrors").counter().count()).isEqualTo(1);
        assertThat(registry.get("UserRecordExpired").counter().count()).isEqualTo(1);
        assertThat(registry.find("RetriesPerRecord").summary()).isNull();
        assertThat(registry.find("UserRecordsDataPut").counter()).isNull();
    }

    @Test
    void detailedAtGlobalGranularityAddsBytesDistributionsAndRequestTime() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerProducerMetrics m = new MicrometerProducerMetrics(registry, "DETAILED", "GLOBAL");
        m.userRecordReceived("a", 10);
        m.userRecordPut("a", "x", 10, 1, 0);
        m.userRecordPut("b", "y", 30, 1, 2);
        m.kinesisRecordPut("a", "x", 40, 2);
        m.putRecordsRequest("a", 2_000_000, false, 1, 2);
        assertThat(registry.get("UserRecordsDataPut").counter().count()).isEqualTo(40);
        assertThat(registry.get("UserRecordsPut").counter().getId().getTags()).isEmpty();
        assertThat(registry.get("RequestTime").timer().count()).isEqualTo(1);
        assertThat(registry.get("RetriesPerRecord").summary().totalAmount()).isEqualTo(2);
        assertThat(registry.get("UserRecordsPerKinesisRecord").summary().mean()).isEqualTo(2);
        assertThat(registry.get("KinesisRecordsPerPutRecordsRequest").summary().mean()).isEqualTo(1);
        assertThat(registry.get("UserRecordsPerPutRecordsRequest").summary().mean()).isEqualTo(2);
        assertThat(registry.get("UserRecordsReceived").counter().count()).isEqualTo(1);
    }

    @Test
    void aKinesisRecordsUserRecordsInOneCallCountEachOne() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerProducerMetrics m = new MicrometerProducerMetrics(registry, "DETAILED", "SHARD");
        m.userRecordsPut("a", "x", 2, new long[] {10, 30, 99}, new long[] {1_000_000, 3_000_000, 99},
                new int[] {0, 2, 99});
        assertThat(registry.get("UserRecordsPut").tag("shard", "x").counter().count()).isEqualTo(2);
        assertThat(registry.get("UserRecordsDataPut").counter().count()).isEqualTo(40);
        assertThat(registry.get("BufferingTime").timer().count()).isEqualTo(2);
        assertThat(registry.get("BufferingTime").timer().max(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(3.0);
        assertThat(registry.get("RetriesPerRecord").summary().totalAmount()).isEqualTo(2);
    }
}
