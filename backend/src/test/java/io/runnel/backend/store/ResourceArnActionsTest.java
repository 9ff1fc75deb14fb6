package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static io.runnel.backend.store.StoreAssertions.assertRefused;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The actions that address a stream or a consumer by ResourceARN: resource policies and TagResource & co. */
class ResourceArnActionsTest {
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"kinesis:PutRecord\",\"Resource\":\"*\"}]}";

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime(1_764_000_000_000L);

    private StreamStore open() {
        return new StreamStore(StoreSettings.defaults(), time, new IteratorTokens(), new DataDirectory(dir, 4096));
    }

    private StreamState active(StreamStore s, String name) {
        StreamState stream = s.createStream(name, 1, StreamState.Mode.PROVISIONED);
        time.advanceMillis(s.settings().transitionMillis());
        return stream;
    }

    @Test
    void policiesOfAStreamAndItsConsumerAreKeptApartAndDeleted() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        ConsumerState c = store.registerConsumer(s.arn(), "app");
        assertThat(store.resourcePolicy(s.arn())).isEqualTo("{}");
        assertThat(store.resourcePolicy(c.arn())).isEqualTo("{}");
        store.putResourcePolicy(s.arn(), POLICY);
        store.putResourcePolicy(c.arn(), "{\"Statement\":[]}");
        assertThat(store.resourcePolicy(s.arn())).isEqualTo(POLICY);
        assertThat(store.resourcePolicy(c.arn())).isEqualTo("{\"Statement\":[]}");
        store.putResourcePolicy(s.arn(), "{}");
        assertThat(store.resourcePolicy(s.arn())).isEqualTo("{}");
        store.deleteResourcePolicy(s.arn());
        assertThat(store.resourcePolicy(s.arn())).isEqualTo("{}");
        assertThat(store.resourcePolicy(c.arn())).isEqualTo("{\"Statement\":[]}");
        assertRefused(() -> store.deleteResourcePolicy(s.arn()), StoreException.RESOURCE_NOT_FOUND,
                "No resource policy");
    }

    @Test
    void aPolicyMustBeOneJsonObject() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        for (String bad : List.of("", "[]", "\"text\"", "42", "{\"a\":", "{} {}", "{\"a\":1}]", "not json")) {
            assertRefused(() -> store.putResourcePolicy(s.arn(), bad), StoreException.INVALID_ARGUMENT, "Policy");
        }
        assertThat(store.resourcePolicy(s.arn())).isEqualTo("{}");
        store.putResourcePolicy(s.arn(), " {\"a\": [1, {\"b\": null}]}\n");
        assertThat(store.resourcePolicy(s.arn())).isEqualTo(" {\"a\": [1, {\"b\": null}]}\n");
    }

    @Test
    void resourceArnsAreValidatedAndResolved() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        ConsumerState c = store.registerConsumer(s.arn(), "app");
        for (String malformed : List.of("", "s", "arn:aws:kinesis:us-east-1:000000000000:table/s",
                "arn:aws:kinesis:us-east-1:123:stream/s", "arn:aws:sqs:us-east-1:000000000000:stream/s",
                s.arn() + "x".repeat(2048))) {
            assertRefused(() -> store.resourcePolicy(malformed), StoreException.VALIDATION, "resourceARN");
            assertRefused(() -> store.tagResource(malformed, Map.of("k", "v")), StoreException.VALIDATION,
                    "resourceARN");
        }
        for (String unknown : List.of("arn:aws:kinesis:us-east-1:000000000000:stream/nope",
                "arn:aws:kinesis:eu-west-1:000000000000:stream/s", "arn:aws:kinesis:us-east-1:123456789012:stream/s",
                s.arn() + "/consumer/other:1", c.arn() + "0")) {
            assertRefused(() -> store.putResourcePolicy(unknown, "{}"), StoreException.RESOURCE_NOT_FOUND,
                    "not found");
            assertRefused(() -> store.resourceTags(unknown), StoreException.RESOURCE_NOT_FOUND, "not found");
        }
    }

    @Test
    void aStreamArnSharesTheStreamsTagsWithTheStreamActions() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        store.addTags("s", null, Map.of("team", "data"));
        store.tagResource(s.arn(), Map.of("env", "test", "team", "streams"));
        assertThat(store.resourceTags(s.arn())).containsExactly(Map.entry("env", "test"), Map.entry("team", "streams"));
        assertThat(store.listTags("s", null, null, null).tags()).containsExactly(Map.entry("env", "test"),
                Map.entry("team", "streams"));
        store.removeTags("s", null, List.of("env"));
        store.untagResource(s.arn(), List.of("nope"));
        assertThat(store.resourceTags(s.arn())).containsExactly(Map.entry("team", "streams"));
        store.untagResource(s.arn(), List.of("team"));
        assertThat(store.stream("s", null).tags()).isEmpty();
    }

    @Test
    void tagRulesAndTheFiftyTagLimitApplyToStreamsAndConsumers() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        ConsumerState c = store.registerConsumer(s.arn(), "app");
        for (String arn : List.of(s.arn(), c.arn())) {
            assertRefused(() -> store.tagResource(arn, Map.of()), StoreException.INVALID_ARGUMENT,
                    "TagResource takes 1 to 200 tags");
            assertRefused(() -> store.tagResource(arn, Map.of("aws:x", "y")), StoreException.INVALID_ARGUMENT,
                    "aws:");
            assertRefused(() -> store.tagResource(arn, Map.of("k".repeat(129), "v")),
                    StoreException.INVALID_ARGUMENT, "1 to 128");
            assertRefused(() -> store.tagResource(arn, Map.of("k", "v".repeat(257))),
                    StoreException.INVALID_ARGUMENT, "256");
            assertRefused(() -> store.untagResource(arn, List.of()), StoreException.INVALID_ARGUMENT,
                    "UntagResource takes 1 to 50 keys");
            Map<String, String> fifty = new LinkedHashMap<>();
            for (int i = 0; i < 50; i++) {
                fifty.put("k" + i, "");
            }
            store.tagResource(arn, fifty);
            store.tagResource(arn, Map.of("k0", "replaced"));
            assertRefused(() -> store.tagResource(arn, Map.of("k50", "")), StoreException.LIMIT_EXCEEDED,
                    "50 tags");
            assertThat(store.resourceTags(arn)).hasSize(50).containsEntry("k0", "replaced");
        }
        assertThat(store.stream("s", null).tags()).hasSize(50);
    }

    @Test
    void aConsumerHasItsOwnTags() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        ConsumerState c = store.registerConsumer(s.arn(), "app");
        ConsumerState other = store.registerConsumer(s.arn(), "other");
        store.tagResource(s.arn(), Map.of("on", "stream"));
        assertThat(store.resourceTags(c.arn())).isEmpty();
        store.untagResource(c.arn(), List.of("on"));
        store.tagResource(c.arn(), Map.of("on", "consumer", "b", "2"));
        assertThat(store.resourceTags(c.arn())).containsExactly(Map.entry("b", "2"), Map.entry("on", "consumer"));
        assertThat(store.resourceTags(other.arn())).isEmpty();
        assertThat(store.resourceTags(s.arn())).containsExactly(Map.entry("on", "stream"));
        store.untagResource(c.arn(), List.of("b"));
        assertThat(store.resourceTags(c.arn())).containsExactly(Map.entry("on", "consumer"));
    }

    @Test
    void aDeregisteredConsumersTagsAndPolicyGoWithIt() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        ConsumerState c = store.registerConsumer(s.arn(), "app");
        store.tagResource(c.arn(), Map.of("k", "v"));
        store.putResourcePolicy(c.arn(), "{}");
        store.deregisterConsumer(null, null, c.arn());
        time.advanceMillis(store.settings().transitionMillis());
        assertRefused(() -> store.resourceTags(c.arn()), StoreException.RESOURCE_NOT_FOUND, "not found");
        assertThat(store.stream("s", null).consumerTags()).isEmpty();
        assertThat(store.stream("s", null).policies()).isEmpty();
        assertThat(open().stream("s", null).consumerTags()).isEmpty();
    }

    @Test
    void aDeletedStreamsPolicyAndTagsDoNotComeBackWithANewStreamOfItsName() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        store.putResourcePolicy(s.arn(), POLICY);
        store.tagResource(s.arn(), Map.of("k", "v"));
        store.deleteStream("s", null, true);
        time.advanceMillis(store.settings().transitionMillis());
        assertRefused(() -> store.resourcePolicy(s.arn()), StoreException.RESOURCE_NOT_FOUND, "not found");
        StreamState again = active(store, "s");
        assertThat(store.resourcePolicy(again.arn())).isEqualTo("{}");
        assertThat(store.resourceTags(again.arn())).isEmpty();
        assertThat(open().resourcePolicy(again.arn())).isEqualTo("{}");
    }

    @Test
    void policiesAndConsumerTagsSurviveARestart() {
        StreamStore store = open();
        StreamState s = active(store, "s");
        ConsumerState c = store.registerConsumer(s.arn(), "app");
        store.putResourcePolicy(s.arn(), POLICY);
        store.putResourcePolicy(c.arn(), "{\"Statement\":[]}");
        store.tagResource(s.arn(), Map.of("team", "data"));
        store.tagResource(c.arn(), Map.of("app", "reader", "empty", ""));
        store.close();
        StreamStore again = open();
        assertThat(again.resourcePolicy(s.arn())).isEqualTo(POLICY);
        assertThat(again.resourcePolicy(c.arn())).isEqualTo("{\"Statement\":[]}");
        assertThat(again.resourceTags(s.arn())).containsExactly(Map.entry("team", "data"));
        assertThat(again.resourceTags(c.arn())).containsExactly(Map.entry("app", "reader"), Map.entry("empty", ""));
        again.deleteResourcePolicy(c.arn());
        again.untagResource(c.arn(), List.of("app"));
        StreamStore third = open();
        assertThat(third.resourcePolicy(c.arn())).isEqualTo("{}");
        assertThat(third.resourcePolicy(s.arn())).isEqualTo(POLICY);
        assertThat(third.resourceTags(c.arn())).containsExactly(Map.entry("empty", ""));
    }
}
