package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.backend.KinesisBackend;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real aws CLI v2 with the actions that take a ResourceARN: put/get/delete-resource-policy and
 * tag-resource/list-tags-for-resource/untag-resource, on a stream and on a consumer. A CLI whose bundled model
 * predates these actions gets them through {@link AwsCliV2#withResourceArnActions}.
 */
class AwsCliResourceArnIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":[\"kinesis:PutRecord\"],\"Resource\":\"*\"}]}";

    private static KinesisBackend backend;

    @TempDir
    static Path tmp;

    private static AwsCliV2.Session cli;

    @BeforeAll
    static void start() throws Exception {
        String aws = AwsCliV2.require();
        backend = KinesisBackend.builder().settings(io.runnel.backend.store.StoreSettings.defaults()
                .withTransitionMillis(200)).start();
        cli = new AwsCliV2.Session(aws, backend.endpoint(), tmp, AwsCliV2.withResourceArnActions(aws, tmp));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cli != null) {
            cli.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static JsonNode ok(String... args) throws Exception {
        AwsCliV2.Output o = cli.kinesis(args);
        assertThat(o.exit()).as("%s: %s", String.join(" ", args), o.err()).isZero();
        return o.out().isBlank() ? JSON.createObjectNode() : JSON.readTree(o.out());
    }

    /** The CLI's error output of a call that must fail. */
    private static String fails(String... args) throws Exception {
        AwsCliV2.Output o = cli.kinesis(args);
        assertThat(o.exit()).as("%s: %s", String.join(" ", args), o.out()).isNotZero();
        return o.err();
    }

    private static List<String> tags(JsonNode listed) {
        List<String> out = new ArrayList<>();
        listed.get("Tags").forEach(t -> out.add(t.get("Key").asText() + "=" + t.get("Value").asText()));
        return out;
    }

    @Test
    void resourcePoliciesAndTagsOfAStreamAndAConsumer() throws Exception {
        ok("create-stream", "--stream-name", "cli-arn", "--shard-count", "1");
        await().atMost(Duration.ofSeconds(60)).until(() -> "ACTIVE".equals(ok("describe-stream-summary",
                "--stream-name", "cli-arn").get("StreamDescriptionSummary").get("StreamStatus").asText()));
        String streamArn = ok("describe-stream-summary", "--stream-name", "cli-arn").get("StreamDescriptionSummary")
                .get("StreamARN").asText();
        String consumerArn = ok("register-stream-consumer", "--stream-arn", streamArn, "--consumer-name", "app")
                .get("Consumer").get("ConsumerARN").asText();

        assertThat(ok("get-resource-policy", "--resource-arn", streamArn).get("Policy").asText()).isEqualTo("{}");
        ok("put-resource-policy", "--resource-arn", streamArn, "--policy", POLICY);
        ok("put-resource-policy", "--resource-arn", consumerArn, "--policy", "{\"Statement\":[]}");
        assertThat(ok("get-resource-policy", "--resource-arn", streamArn).get("Policy").asText()).isEqualTo(POLICY);
        assertThat(ok("get-resource-policy", "--resource-arn", consumerArn).get("Policy").asText())
                .isEqualTo("{\"Statement\":[]}");
        ok("delete-resource-policy", "--resource-arn", streamArn);
        assertThat(ok("get-resource-policy", "--resource-arn", streamArn).get("Policy").asText()).isEqualTo("{}");
        assertThat(ok("get-resource-policy", "--resource-arn", consumerArn).get("Policy").asText())
                .isEqualTo("{\"Statement\":[]}");
        assertThat(fails("delete-resource-policy", "--resource-arn", streamArn))
                .contains("ResourceNotFoundException");
        assertThat(fails("put-resource-policy", "--resource-arn", streamArn, "--policy", "not json"))
                .contains("InvalidArgumentException").contains("Policy");
        assertThat(fails("get-resource-policy", "--resource-arn", "not-an-arn")).contains("ValidationException");

        ok("add-tags-to-stream", "--stream-name", "cli-arn", "--tags", "team=data");
        ok("tag-resource", "--resource-arn", streamArn, "--tags", "env=test");
        ok("tag-resource", "--resource-arn", consumerArn, "--tags", "app=reader,tier=gold");
        assertThat(tags(ok("list-tags-for-resource", "--resource-arn", streamArn)))
                .containsExactly("env=test", "team=data");
        assertThat(tags(ok("list-tags-for-stream", "--stream-name", "cli-arn")))
                .containsExactly("env=test", "team=data");
        assertThat(tags(ok("list-tags-for-resource", "--resource-arn", consumerArn)))
                .containsExactly("app=reader", "tier=gold");
        ok("untag-resource", "--resource-arn", consumerArn, "--tag-keys", "app");
        ok("untag-resource", "--resource-arn", streamArn, "--tag-keys", "team", "env");
        assertThat(tags(ok("list-tags-for-resource", "--resource-arn", consumerArn))).containsExactly("tier=gold");
        assertThat(tags(ok("list-tags-for-resource", "--resource-arn", streamArn))).isEmpty();
        assertThat(fails("list-tags-for-resource", "--resource-arn", consumerArn + "1"))
                .contains("ResourceNotFoundException");
    }
}
