package io.runnel.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.aggregation.AggregationLimits;
import io.runnel.aggregation.Aggregator;
import io.runnel.backend.store.IteratorTokens;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.HashKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A clock the test moves. */
    private static final class Clock implements TimeSource {
        long millis = 1_780_000_000_000L;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public long nanos() {
            return millis * 1_000_000;
        }
    }

    private final Clock clock = new Clock();
    private StreamStore store;
    private ConsoleApi api;

    @BeforeEach
    void setUp() {
        store = new StreamStore(StoreSettings.defaults().withTransitionMillis(0), clock, new IteratorTokens());
        api = new ConsoleApi(store, clock);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private byte[] page(String stream, String shard, String from, String at, int limit) {
        return api.records(stream, shard, from, at, limit).json();
    }

    private static JsonNode parse(byte[] json) throws IOException {
        return JSON.readTree(json);
    }

    private void put(String stream, String partitionKey, byte[] data) {
        StreamState s = store.streamForWrite(stream, null);
        store.put(s, HashKey.md5Of(partitionKey), partitionKey, data);
    }

    /** Keys whose MD5 falls in the lower half of the hash-key space (shard 0 of two) or not. */
    private static List<String> keys(boolean lowerHalf, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; out.size() < n; i++) {
            String key = "key-" + i;
            if ((HashKey.md5Of(key).hi() >= 0) == lowerHalf) {
                out.add(key);
            }
        }
        return out;
    }

    @Test
    void listsEveryStreamWithItsShardsRetentionAndWrites() throws IOException {
        store.createStream("orders", 2, StreamState.Mode.PROVISIONED);
        store.createStream("clicks", null, StreamState.Mode.ON_DEMAND);
        put("orders", "a", "one".getBytes(StandardCharsets.UTF_8));
        put("orders", "b", "two".getBytes(StandardCharsets.UTF_8));

        JsonNode streams = parse(api.streams()).get("streams");

        assertThat(streams).hasSize(2);
        JsonNode clicks = streams.get(0);
        JsonNode orders = streams.get(1);
        assertThat(clicks.get("name").asText()).as("sorted by name").isEqualTo("clicks");
        assertThat(clicks.get("mode").asText()).isEqualTo("ON_DEMAND");
        assertThat(orders.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(orders.get("openShards").asInt()).isEqualTo(2);
        assertThat(orders.get("closedShards").asInt()).isZero();
        assertThat(orders.get("retentionHours").asInt()).isEqualTo(24);
        assertThat(orders.get("recordsWritten").asLong()).isEqualTo(2);
        assertThat(orders.get("consumers")).isEmpty();
    }

    @Test
    void aStreamShowsItsShardsToScaleWithTheirLineageAfterASplit() throws IOException {
        StreamState s = store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        String middle = HashKey.MAX.divide(2).add(HashKey.ONE).toDecimalString();
        store.splitShard("orders", null, s.shards().get(0).shardId(), middle);

        JsonNode stream = parse(api.stream("orders"));

        assertThat(stream.get("openShards").asInt()).isEqualTo(2);
        assertThat(stream.get("closedShards").asInt()).isEqualTo(1);
        JsonNode shards = stream.get("shards");
        assertThat(shards).hasSize(3);
        JsonNode parent = shards.get(0);
        assertThat(parent.get("open").asBoolean()).isFalse();
        assertThat(parent.get("from").asDouble()).isEqualTo(0.0);
        assertThat(parent.get("to").asDouble()).isEqualTo(1.0);
        assertThat(parent.get("endingSequenceNumber").isNull()).isFalse();
        for (JsonNode child : List.of(shards.get(1), shards.get(2))) {
            assertThat(child.get("open").asBoolean()).isTrue();
            assertThat(child.get("parentShardId").asText()).isEqualTo(parent.get("shardId").asText());
        }
        assertThat(shards.get(1).get("to").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(shards.get(2).get("from").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(shards.get(2).get("startingHashKey").asText()).isEqualTo(middle);
    }

    @Test
    void aMergedShardNamesBothParents() throws IOException {
        StreamState s = store.createStream("orders", 2, StreamState.Mode.PROVISIONED);
        String a = s.shards().get(0).shardId();
        String b = s.shards().get(1).shardId();
        store.mergeShards("orders", null, a, b);

        JsonNode shards = parse(api.stream("orders")).get("shards");

        assertThat(shards).hasSize(3);
        JsonNode child = shards.get(2);
        assertThat(child.get("open").asBoolean()).isTrue();
        assertThat(child.get("parentShardId").asText()).isEqualTo(a);
        assertThat(child.get("adjacentParentShardId").asText()).isEqualTo(b);
        assertThat(child.get("from").asDouble()).isEqualTo(0.0);
        assertThat(child.get("to").asDouble()).isEqualTo(1.0);
    }

    @Test
    void opensAggregatesIntoTheirUserRecordsAndMarksKeysOutsideTheShard() throws IOException {
        StreamState s = store.createStream("orders", 2, StreamState.Mode.PROVISIONED);
        String shard0 = s.shards().get(0).shardId();
        List<String> inside = keys(true, 2);
        String outside = keys(false, 1).get(0);
        Aggregator aggregate = new Aggregator(AggregationLimits.KPL_DEFAULTS);
        aggregate.tryAdd(inside.get(0), null, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        aggregate.tryAdd(outside, null, "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
        aggregate.tryAdd(inside.get(1), null, new byte[] {0, 1, 2});
        // stored on shard 0 by its first key, as a producer with a stale shard map would send it
        store.put(s, HashKey.md5Of(inside.get(0)), inside.get(0), aggregate.toBytes());
        store.put(s, HashKey.md5Of(inside.get(1)), inside.get(1), "plain".getBytes(StandardCharsets.UTF_8));

        JsonNode page = parse(page("orders", shard0, null, null, 10));

        JsonNode records = page.get("records");
        assertThat(records).hasSize(2);
        JsonNode agg = records.get(0);
        assertThat(agg.get("aggregated").asBoolean()).isTrue();
        assertThat(agg.get("partitionKey").asText()).isEqualTo(inside.get(0));
        JsonNode users = agg.get("userRecords");
        assertThat(users).hasSize(3);
        assertThat(users.get(0).get("partitionKey").asText()).isEqualTo(inside.get(0));
        assertThat(users.get(0).get("subSequenceNumber").asLong()).isZero();
        assertThat(text(users.get(0))).isEqualTo("{\"n\":1}");
        assertThat(users.get(0).get("outsideShard").asBoolean()).isFalse();
        assertThat(users.get(1).get("partitionKey").asText()).isEqualTo(outside);
        assertThat(users.get(1).get("outsideShard").asBoolean()).as("the KCL would drop this aggregate").isTrue();
        assertThat(Base64.getDecoder().decode(users.get(2).get("data").asText())).containsExactly(0, 1, 2);
        assertThat(users.get(2).get("subSequenceNumber").asLong()).isEqualTo(2);
        JsonNode plain = records.get(1);
        assertThat(plain.get("aggregated").asBoolean()).isFalse();
        assertThat(text(plain)).isEqualTo("plain");
        assertThat(page.get("atEnd").asBoolean()).isTrue();
    }

    @Test
    void pagesOnFromTheLastRecordShownAndStartsAtASequenceNumberOrATimestamp() throws IOException {
        StreamState s = store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        String shard = s.shards().get(0).shardId();
        for (int i = 0; i < 5; i++) {
            clock.millis += 1_000;
            put("orders", "k", ("r" + i).getBytes(StandardCharsets.UTF_8));
        }

        JsonNode first = parse(page("orders", shard, "TRIM_HORIZON", null, 2));
        assertThat(first.get("records")).hasSize(2);
        assertThat(first.get("atEnd").asBoolean()).isFalse();
        JsonNode next = first.get("next");
        assertThat(next.get("from").asText()).isEqualTo("AFTER_SEQUENCE_NUMBER");
        JsonNode second = parse(page("orders", shard, next.get("from").asText(), next.get("at").asText(), 2));
        assertThat(second.get("records")).extracting(ConsoleApiTest::text).containsExactly("r2", "r3");

        String third = first.get("records").get(1).get("sequenceNumber").asText();
        assertThat(parse(page("orders", shard, "AT_SEQUENCE_NUMBER", third, 10)).get("records"))
                .extracting(ConsoleApiTest::text).containsExactly("r1", "r2", "r3", "r4");
        long arrivalOfR3 = second.get("records").get(1).get("arrivalMillis").asLong();
        assertThat(parse(page("orders", shard, "AT_TIMESTAMP", String.valueOf(arrivalOfR3), 10))
                .get("records")).extracting(ConsoleApiTest::text).containsExactly("r3", "r4");
        assertThat(parse(page("orders", shard, "AT_TIMESTAMP",
                java.time.Instant.ofEpochMilli(arrivalOfR3).toString(), 10)).get("records"))
                .extracting(ConsoleApiTest::text).containsExactly("r3", "r4");
        JsonNode latest = parse(page("orders", shard, "LATEST", null, 10));
        assertThat(latest.get("records")).isEmpty();
        // what arrives after a look at LATEST is read by the next page, not skipped
        put("orders", "k", "r5".getBytes(StandardCharsets.UTF_8));
        JsonNode after = latest.get("next");
        assertThat(parse(page("orders", shard, after.get("from").asText(), after.get("at").asText(), 10))
                .get("records")).extracting(ConsoleApiTest::text).containsExactly("r5");
    }

    @Test
    void badRequestsNameWhatWasWrong() {
        StreamState s = store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        String shard = s.shards().get(0).shardId();

        assertThatThrownBy(() -> api.stream("nope")).isInstanceOf(ConsoleApi.ApiException.class)
                .hasMessageContaining("nope").extracting(e -> ((ConsoleApi.ApiException) e).status()).isEqualTo(404);
        assertThatThrownBy(() -> api.records("orders", "shardId-000000000009", null, null, 10))
                .hasMessageContaining("shardId-000000000009");
        assertThatThrownBy(() -> api.records("orders", shard, "SOMEWHERE", null, 10))
                .hasMessageContaining("from").hasMessageContaining("SOMEWHERE");
        assertThatThrownBy(() -> api.records("orders", shard, "AT_SEQUENCE_NUMBER", null, 10))
                .hasMessageContaining("at:");
        assertThatThrownBy(() -> api.records("orders", shard, "AT_TIMESTAMP", "yesterday", 10))
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> api.records("orders", shard, null, null, 0)).hasMessageContaining("limit");
        assertThatThrownBy(() -> api.records("orders", shard, "AT_SEQUENCE_NUMBER", "123", 10))
                .isInstanceOf(ConsoleApi.ApiException.class)
                .extracting(e -> ((ConsoleApi.ApiException) e).status()).isEqualTo(400);
    }

    private static String text(JsonNode record) {
        return new String(Base64.getDecoder().decode(record.get("data").asText()), StandardCharsets.UTF_8);
    }
}
