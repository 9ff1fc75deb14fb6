package io.runnel.backend.fanout;

import static io.runnel.backend.fanout.SubscriptionHarness.drain;
import static io.runnel.backend.fanout.SubscriptionHarness.errorBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runnel.backend.fanout.SubscriptionHarness.Output;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import io.runnel.backend.store.IteratorTokens;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FanOutTest {
    private static final String SHARD = "shardId-000000000000";

    private static JsonNode refusal(SubscriptionHarness h, String shard, String position) throws Exception {
        Output out = drain(h.subscribe(shard, position));
        assertThat(out.head).isNull();
        assertThat(out.error.status().code()).isEqualTo(400);
        return errorBody(out);
    }

    @Test
    void oneSubscriptionPerConsumerAndShard() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 2)) {
            assertThat(drain(h.subscribe(SHARD, "{\"Type\":\"LATEST\"}")).head.status().code()).isEqualTo(200);
            JsonNode refused = refusal(h, SHARD, "{\"Type\":\"TRIM_HORIZON\"}");
            assertThat(refused.get("__type").asText()).isEqualTo("ResourceInUseException");
            assertThat(refused.get("message").asText()).contains(h.consumerArn).contains(SHARD);
            assertThat(drain(h.subscribe("shardId-000000000001", "{\"Type\":\"LATEST\"}")).head.status().code())
                    .isEqualTo(200);
            assertThat(h.fanOut.activeCount()).isEqualTo(2);
        }
    }

    @Test
    void unknownShardsConsumersAndBadStartingPositionsAreRefusedBeforeStreaming() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            assertThat(refusal(h, "shardId-000000000007", "{\"Type\":\"LATEST\"}").get("__type").asText())
                    .isEqualTo("ResourceNotFoundException");
            assertThat(refusal(h, SHARD, "{\"Type\":\"SOMEWHERE\"}").get("message").asText())
                    .contains("startingPosition.type");
            assertThat(refusal(h, SHARD, "{\"Type\":\"AT_SEQUENCE_NUMBER\"}").get("__type").asText())
                    .isEqualTo("InvalidArgumentException");
            assertThat(refusal(h, SHARD, "{\"Type\":\"AFTER_SEQUENCE_NUMBER\",\"SequenceNumber\":\"12\"}")
                    .get("message").asText()).contains("SubscribeToShard").contains("did not come from this stream");
            assertThat(refusal(h, SHARD, "{\"Type\":\"AT_TIMESTAMP\"}").get("__type").asText())
                    .isEqualTo("InvalidArgumentException");
            assertThat(h.fanOut.activeCount()).isZero();
        }
    }

    @Test
    void aConsumerMustBeActive() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            h.store.deregisterConsumer(null, null, h.consumerArn);
            JsonNode refused = refusal(h, SHARD, "{\"Type\":\"LATEST\"}");
            assertThat(refused.get("__type").asText()).isIn("ResourceInUseException", "ResourceNotFoundException");
        }
    }

    @Test
    void aMissingStartingPositionIsAValidationError() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            var ch = h.channel();
            ch.writeInbound(SubscriptionHarness.request("{\"ConsumerARN\":\"" + h.consumerArn
                    + "\",\"ShardId\":\"" + SHARD + "\"}"));
            JsonNode body = errorBody(drain(ch));
            assertThat(body.get("__type").asText()).isEqualTo("ValidationException");
            assertThat(body.get("message").asText()).contains("startingPosition");
        }
    }

    @Test
    void aRequestPipelinedBehindAnEventStreamClosesTheConnection() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            var ch = h.subscribe(SHARD, "{\"Type\":\"LATEST\"}");
            drain(ch);
            ch.writeInbound(SubscriptionHarness.request("{}"));
            ch.runPendingTasks();
            assertThat(ch.isOpen()).isFalse();
            assertThat(h.fanOut.activeCount()).isZero();
        }
    }

    @Test
    void theDurationMustBePositive() {
        StreamStore store = new StreamStore(StoreSettings.defaults(), TimeSource.SYSTEM, new IteratorTokens());
        assertThatThrownBy(() -> new FanOut(store, TimeSource.SYSTEM, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subscriptionDuration");
    }
}
