package io.runnel.backend.fanout;

import static io.runnel.backend.fanout.SubscriptionHarness.drain;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.embedded.EmbeddedChannel;
import io.runnel.backend.fanout.SubscriptionHarness.Output;
import io.runnel.backend.store.SequenceNumbers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardSubscriptionTest {
    private static final String SHARD = "shardId-000000000000";
    private static final String TRIM_HORIZON = "{\"Type\":\"TRIM_HORIZON\"}";

    @Test
    void answersWithAnEventStreamThatPushesRecordsAsTheyArrive() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            List<String> before = h.put("a", "b");
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            Output out = drain(ch);
            assertThat(out.head.status().code()).isEqualTo(200);
            assertThat(out.head.headers().get("Content-Type")).isEqualTo("application/vnd.amazon.eventstream");
            assertThat(out.head.headers().get("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(out.messages.get(0).getHeaders().get(":event-type").getString()).isEqualTo("initial-response");
            assertThat(out.messages.get(0).getHeaders().get(":message-type").getString()).isEqualTo("event");
            assertThat(out.records()).containsExactly("a", "b");
            assertThat(out.events().get(0).get("ContinuationSequenceNumber").asText()).isEqualTo(before.get(1));

            List<String> during = h.put("c", "d", "e");
            drain(ch, out);
            assertThat(out.records()).containsExactly("a", "b", "c", "d", "e");
            JsonNode last = out.events().get(out.events().size() - 1);
            assertThat(last.get("ContinuationSequenceNumber").asText()).isEqualTo(during.get(2));
            assertThat(last.get("MillisBehindLatest").asLong()).isZero();
            assertThat(last.has("ChildShards")).isFalse();
            assertThat(out.ended).isFalse();
        }
    }

    @Test
    void theFirstEventOfAnEmptyShardCarriesAContinuationThatResumesAtTheFirstRecord() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            Output out = drain(h.subscribe(SHARD, "{\"Type\":\"LATEST\"}"));
            assertThat(out.events()).hasSize(1);
            JsonNode first = out.events().get(0);
            assertThat(first.get("Records")).isEmpty();
            String continuation = first.get("ContinuationSequenceNumber").asText();
            assertThat(SequenceNumbers.parse(continuation)).isNotNull();
            List<String> seqs = h.put("x");
            assertThat(h.store.startPosition(h.store.stream("s", null), h.store.stream("s", null).shard(SHARD),
                    io.runnel.backend.store.StreamStore.IteratorType.AFTER_SEQUENCE_NUMBER, continuation, null, "t"))
                    .isEqualTo(h.store.startPosition(h.store.stream("s", null), h.store.stream("s", null).shard(SHARD),
                            io.runnel.backend.store.StreamStore.IteratorType.AT_SEQUENCE_NUMBER, seqs.get(0), null,
                            "t"));
        }
    }

    @Test
    void sendsAnEmptyEventEveryFiveQuietSecondsAndEndsAfterItsDuration() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofSeconds(12), 1)) {
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            Output out = drain(ch);
            assertThat(out.events()).hasSize(1);
            h.time.advance(Duration.ofSeconds(4));
            assertThat(drain(ch, out).events()).hasSize(1);
            h.time.advance(Duration.ofSeconds(1));
            assertThat(drain(ch, out).events()).hasSize(2);
            assertThat(out.events().get(1).get("Records")).isEmpty();
            assertThat(h.fanOut.activeCount()).isOne();
            h.time.advance(Duration.ofSeconds(7));
            drain(ch, out);
            assertThat(out.ended).isTrue();
            assertThat(h.fanOut.activeCount()).isZero();
            int messages = out.messages.size();
            h.put("late");
            assertThat(drain(ch, out).messages).hasSize(messages);
        }
    }

    @Test
    void waitsWhileTheChannelIsNotWritable() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            Output out = drain(ch);
            ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
            h.put("a", "b");
            h.time.advance(Duration.ofSeconds(6));
            assertThat(drain(ch, out).records()).isEmpty();
            assertThat(out.events()).hasSize(1);
            ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
            ch.runPendingTasks();
            assertThat(drain(ch, out).records()).containsExactly("a", "b");
        }
    }

    @Test
    void readsAtMostAboutTwoMebibytesPerSecondWithLimitsOn() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(true, Duration.ofMinutes(5), 1)) {
            String chunk = "x".repeat(100 * 1024);
            for (int second = 0; second < 6; second++) {
                String[] batch = new String[9];
                java.util.Arrays.fill(batch, chunk);
                h.put(batch); // 900 KiB, within the 1 MiB/s write limit
                h.time.advance(Duration.ofSeconds(1));
            }
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            Output out = drain(ch);
            int atOnce = out.records().size();
            // The 2 MiB budget, overdrawn by at most one event of about 1 MiB.
            assertThat(atOnce * 100L * 1024).isBetween(2L * 1024 * 1024, 3L * 1024 * 1024 + 100 * 1024);
            h.time.advance(Duration.ofSeconds(1));
            int afterOneSecond = drain(ch, out).records().size();
            assertThat(afterOneSecond).isGreaterThan(atOnce).isLessThan(54);
            h.time.advance(Duration.ofSeconds(3));
            assertThat(drain(ch, out).records()).hasSize(54);
        }
    }

    @Test
    void withoutLimitsEverythingGoesOutAtOnce() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            String chunk = "x".repeat(100 * 1024);
            String[] batch = new String[54];
            java.util.Arrays.fill(batch, chunk);
            h.put(batch);
            Output out = drain(h.subscribe(SHARD, TRIM_HORIZON));
            assertThat(out.records()).hasSize(54);
            assertThat(out.events()).allSatisfy(e -> assertThat(e.get("Records").size()).isLessThanOrEqualTo(11));
            assertThat(out.events().get(0).get("MillisBehindLatest").asLong()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void aSplitEndsTheStreamWithTheChildShardsAndNoContinuation() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            h.put("a");
            h.store.splitShard("s", null, SHARD, "170141183460469231731687303715884105728");
            h.runAll();
            Output out = drain(ch);
            assertThat(out.ended).isTrue();
            JsonNode last = out.events().get(out.events().size() - 1);
            assertThat(last.has("ContinuationSequenceNumber")).isFalse();
            assertThat(last.get("ChildShards")).hasSize(2);
            assertThat(last.at("/ChildShards/0/ShardId").asText()).isEqualTo("shardId-000000000001");
            assertThat(last.at("/ChildShards/0/ParentShards/0").asText()).isEqualTo(SHARD);
            assertThat(last.at("/ChildShards/1/HashKeyRange/StartingHashKey").asText())
                    .isEqualTo("170141183460469231731687303715884105728");
            assertThat(out.records()).containsExactly("a");
            assertThat(h.fanOut.activeCount()).isZero();
        }
    }

    @Test
    void aDeletedStreamEndsTheStreamWithAResourceNotFoundExceptionEvent() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            h.store.deleteStream("s", null, true);
            h.runAll();
            Output out = drain(ch);
            var last = out.messages.get(out.messages.size() - 1);
            assertThat(last.getHeaders().get(":message-type").getString()).isEqualTo("exception");
            assertThat(last.getHeaders().get(":exception-type").getString()).isEqualTo("ResourceNotFoundException");
            assertThat(SubscriptionHarness.JSON.readTree(last.getPayload()).get("message").asText())
                    .contains("was deleted");
            assertThat(out.ended).isTrue();
            assertThat(h.fanOut.activeCount()).isZero();
        }
    }

    @Test
    void aDeregisteredConsumerEndsTheStreamAtTheNextTick() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            h.store.deregisterConsumer(null, null, h.consumerArn);
            h.time.advance(Duration.ofSeconds(1));
            Output out = drain(ch);
            var last = out.messages.get(out.messages.size() - 1);
            assertThat(last.getHeaders().get(":exception-type").getString()).isEqualTo("ResourceNotFoundException");
            assertThat(out.ended).isTrue();
        }
    }

    @Test
    void aClosedConnectionReleasesTheConsumerAndShard() throws Exception {
        try (SubscriptionHarness h = new SubscriptionHarness(false, Duration.ofMinutes(5), 1)) {
            EmbeddedChannel ch = h.subscribe(SHARD, TRIM_HORIZON);
            assertThat(h.fanOut.activeCount()).isOne();
            ch.close();
            assertThat(h.fanOut.activeCount()).isZero();
            Output again = drain(h.subscribe(SHARD, TRIM_HORIZON));
            assertThat(again.head.status().code()).isEqualTo(200);
        }
    }
}
