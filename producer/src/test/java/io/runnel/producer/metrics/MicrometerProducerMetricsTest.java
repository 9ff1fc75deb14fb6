package io.runnel.producer.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class MicrometerProducerMetricsTest {
    @Test
    void summaryAtShardGranularityTagsStreamAndShard() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerProducerMetrics m = new MicrometerProducerMetrics(registry, "SUMMARY", "SHARD");
        m.userRecordPut("s", "shardId-1", 100, 5_000_000);
        m.userRecordPut("s", "shardId-1", 100, 7_000_000);
        m.kinesisRecordPut("s", "shardId-1", 250);
        m.userRecordFailed("s", "Expired");
        m.retry("s", "InternalFailure"); // DETAILED only
        assertThat(registry.get(MicrometerProducerMetrics.USER_RECORDS_PUT).tag("shard", "shardId-1").counter()
                .count()).isEqualTo(2);
        assertThat(registry.get(MicrometerProducerMetrics.BUFFERING_TIME).timer().count()).isEqualTo(2);
        assertThat(registry.get(MicrometerProducerMetrics.KINESIS_RECORDS_PUT).counter().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerProducerMetrics.USER_RECORDS_FAILED).tag("code", "Expired").counter()
                .count()).isEqualTo(1);
        assertThat(registry.find(MicrometerProducerMetrics.RETRIES).counter()).isNull();
        assertThat(registry.find(MicrometerProducerMetrics.USER_RECORDS_DATA_PUT).counter()).isNull();
    }

    @Test
    void detailedAtGlobalGranularityCountsBytesWithoutTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerProducerMetrics m = new MicrometerProducerMetrics(registry, "DETAILED", "GLOBAL");
        m.userRecordReceived("a", 10);
        m.userRecordPut("a", "x", 10, 1);
        m.userRecordPut("b", "y", 30, 1);
        m.putRecordsRequest("a", 2_000_000, false);
        m.retry("a", "ProvisionedThroughputExceededException");
        assertThat(registry.get(MicrometerProducerMetrics.USER_RECORDS_DATA_PUT).counter().count()).isEqualTo(40);
        assertThat(registry.get(MicrometerProducerMetrics.USER_RECORDS_PUT).counter().getId().getTags()).isEmpty();
        assertThat(registry.get(MicrometerProducerMetrics.REQUEST_TIME).tag("outcome", "ok").timer().count())
                .isEqualTo(1);
        assertThat(registry.get(MicrometerProducerMetrics.RETRIES).counter().count()).isEqualTo(1);
        assertThat(registry.get(MicrometerProducerMetrics.USER_RECORDS_RECEIVED).counter().count()).isEqualTo(1);
    }
}
