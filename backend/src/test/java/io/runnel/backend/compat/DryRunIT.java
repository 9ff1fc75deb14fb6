package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.Protocol;
import io.runnel.wire.testing.SdkClients;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.DryRunOperationException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * DryRun on the data-plane actions, as Kinesis documents it: what the request names is checked, nothing is written
 * or read, the answer is a DryRunOperationException (or the action's own error), and dry runs are limited to one per
 * second per stream (ThrottlingException). The backend's clock stands still unless the test moves it.
 */
class DryRunIT {
    /** A clock that moves only when told. */
    private static final class StillTime implements TimeSource {
        private volatile long nanos = 1_000_000_000L;
        private final long startMillis = System.currentTimeMillis();

        void advance(Duration d) {
            nanos += d.toNanos();
        }

        @Override
        public long millis() {
            return startMillis + nanos / 1_000_000;
        }

        @Override
        public long nanos() {
            return nanos;
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void dryRunsCheckWithoutWritingAndAreLimitedToOnePerSecondPerStream(Protocol protocol) {
        StillTime time = new StillTime();
        try (KinesisBackend backend = KinesisBackend.builder().time(time).limits(false)
                .settings(StoreSettings.defaults().withTransitionMillis(0)).createStream("dry", 2).start();
                KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), protocol, "AKID", "SECRET")) {
            assertThatThrownBy(() -> kinesis.putRecord(r -> r.streamName("dry").partitionKey("k")
                    .data(SdkBytes.fromUtf8String("x")).dryRun(true))).isInstanceOf(DryRunOperationException.class);
            // the second within the same second: throttled, whatever the action
            assertThatThrownBy(() -> kinesis.putRecords(r -> r.streamName("dry").dryRun(true).records(
                    PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("x")).build())))
                    .isInstanceOfSatisfying(KinesisException.class, e -> assertThat(e.awsErrorDetails().errorCode())
                            .isEqualTo("ThrottlingException"));
            time.advance(Duration.ofSeconds(1));
            assertThatThrownBy(() -> kinesis.putRecords(r -> r.streamName("dry").dryRun(true).records(
                    PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromUtf8String("x")).build())))
                    .isInstanceOf(DryRunOperationException.class);
            time.advance(Duration.ofSeconds(1));
            String shard = kinesis.listShards(r -> r.streamName("dry")).shards().get(0).shardId();
            assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName("dry").shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON).dryRun(true)))
                    .isInstanceOf(DryRunOperationException.class);
            time.advance(Duration.ofSeconds(1));
            String iterator = kinesis.getShardIterator(r -> r.streamName("dry").shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            assertThatThrownBy(() -> kinesis.getRecords(r -> r.shardIterator(iterator).dryRun(true)))
                    .isInstanceOf(DryRunOperationException.class);
            time.advance(Duration.ofSeconds(1));
            // what the real action would meet comes first
            assertThatThrownBy(() -> kinesis.putRecord(r -> r.streamName("missing").partitionKey("k")
                    .data(SdkBytes.fromUtf8String("x")).dryRun(true))).isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> kinesis.getShardIterator(r -> r.streamName("dry").shardId("shardId-000000000009")
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON).dryRun(true)))
                    .isInstanceOf(ResourceNotFoundException.class);
            // nothing was written
            List<?> records = kinesis.getRecords(r -> r.shardIterator(iterator)).records();
            assertThat(records).isEmpty();
            for (var s : kinesis.listShards(r -> r.streamName("dry")).shards()) {
                String it = kinesis.getShardIterator(r -> r.streamName("dry").shardId(s.shardId())
                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                assertThat(kinesis.getRecords(r -> r.shardIterator(it)).records()).as(s.shardId()).isEmpty();
            }
        }
    }
}
