package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.backend.KinesisBackend;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real aws CLI v2 through the whole Kinesis workflow against the backend, each response checked. CI installs
 * the CLI (Debian's awscli) and sets RUNNEL_REQUIRE_AWS_CLI=1 so that a missing CLI fails the build; elsewhere the
 * test is skipped when no aws CLI v2 is found.
 */
class AwsCliWorkflowIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KinesisBackend backend;
    private static String aws;

    @TempDir
    static Path tmp;

    private static AwsCliV2.Session cli;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsCliV2.require();
        backend = KinesisBackend.builder().settings(io.runnel.backend.store.StoreSettings.defaults()
                .withTransitionMillis(200)).start();
        cli = new AwsCliV2.Session(aws, backend.endpoint(), tmp);
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

    private record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            assertThat(exit).as(err).isZero();
            return out.isBlank() ? JSON.createObjectNode() : JSON.readTree(out);
        }
    }

    /** The CLI's own code, in the session's one process (see {@link AwsCliV2.Session}). */
    private static Result run(String... args) throws Exception {
        AwsCliV2.Output o = cli.kinesis(args);
        return new Result(o.exit(), o.out(), o.err());
    }

    /** The installed {@code aws} command itself, in a process of its own. */
    private static JsonNode okAsAProcess(String... args) throws Exception {
        AwsCliV2.Output o = AwsCliV2.kinesis(aws, backend.endpoint(), tmp, args);
        return new Result(o.exit(), o.out(), o.err()).json();
    }

    private static JsonNode ok(String... args) throws Exception {
        return run(args).json();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonNode record) {
        return new String(Base64.getDecoder().decode(record.get("Data").asText()), StandardCharsets.UTF_8);
    }

    /** Polls until ACTIVE (the CLI's waiter polls every 10 s), then checks the CLI's waiter agrees. */
    private static void waitActive(String stream) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (ok("describe-stream-summary", "--stream-name", stream).at("/StreamDescriptionSummary/StreamStatus")
                    .asText().equals("ACTIVE")) {
                ok("wait", "stream-exists", "--stream-name", stream);
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(stream + " did not become ACTIVE");
    }

    @Test
    void fullWorkflow() throws Exception {
        // Streams: provisioned and on-demand, list, describe.
        okAsAProcess("create-stream", "--stream-name", "cli", "--shard-count", "2");
        ok("create-stream", "--stream-name", "cli-od", "--stream-mode-details", "StreamMode=ON_DEMAND");
        waitActive("cli");
        waitActive("cli-od");
        assertThat(ok("list-streams").get("StreamNames")).extracting(JsonNode::asText).contains("cli", "cli-od");
        JsonNode summary = ok("describe-stream-summary", "--stream-name", "cli").get("StreamDescriptionSummary");
        assertThat(summary.get("OpenShardCount").asInt()).isEqualTo(2);
        assertThat(summary.at("/StreamModeDetails/StreamMode").asText()).isEqualTo("PROVISIONED");
        assertThat(summary.get("RetentionPeriodHours").asInt()).isEqualTo(24);
        String arn = summary.get("StreamARN").asText();
        assertThat(arn).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/cli");
        assertThat(ok("describe-stream-summary", "--stream-name", "cli-od")
                .at("/StreamDescriptionSummary/OpenShardCount").asInt()).isEqualTo(4);
        assertThat(ok("describe-stream", "--stream-arn", arn).at("/StreamDescription/Shards")).hasSize(2);

        // Records: put-record, put-records from a file, every iterator type.
        Instant beforeWrites = Instant.now().minusSeconds(1);
        JsonNode first = ok("put-record", "--stream-name", "cli", "--partition-key", "k1", "--data", b64("first"),
                "--explicit-hash-key", "0");
        assertThat(first.get("ShardId").asText()).isEqualTo("shardId-000000000000");
        String firstSeq = first.get("SequenceNumber").asText();
        Path records = tmp.resolve("records.json");
        Files.writeString(records, "[{\"Data\":\"" + b64("second") + "\",\"PartitionKey\":\"k2\",\"ExplicitHashKey\":"
                + "\"1\"},{\"Data\":\"" + b64("third") + "\",\"PartitionKey\":\"k3\",\"ExplicitHashKey\":\"2\"}]");
        JsonNode put = ok("put-records", "--stream-name", "cli", "--records", "file://" + records);
        assertThat(put.get("FailedRecordCount").asInt()).isZero();
        assertThat(put.get("Records")).hasSize(2).allSatisfy(r ->
                assertThat(r.get("ShardId").asText()).isEqualTo("shardId-000000000000"));
        JsonNode shards = ok("list-shards", "--stream-name", "cli").get("Shards");
        assertThat(shards).hasSize(2);
        String shard0 = shards.get(0).get("ShardId").asText();

        JsonNode all = ok("get-records", "--shard-iterator", ok("get-shard-iterator", "--stream-name", "cli",
                "--shard-id", shard0, "--shard-iterator-type", "TRIM_HORIZON").get("ShardIterator").asText());
        assertThat(all.get("Records")).extracting(AwsCliWorkflowIT::text).containsExactly("first", "second", "third");
        assertThat(all.get("MillisBehindLatest").asLong()).isZero();
        assertThat(ok("get-records", "--shard-iterator", ok("get-shard-iterator", "--stream-name", "cli",
                "--shard-id", shard0, "--shard-iterator-type", "AT_SEQUENCE_NUMBER", "--starting-sequence-number",
                firstSeq).get("ShardIterator").asText()).get("Records")).extracting(AwsCliWorkflowIT::text)
                .containsExactly("first", "second", "third");
        assertThat(ok("get-records", "--shard-iterator", ok("get-shard-iterator", "--stream-name", "cli",
                "--shard-id", shard0, "--shard-iterator-type", "AFTER_SEQUENCE_NUMBER", "--starting-sequence-number",
                firstSeq).get("ShardIterator").asText()).get("Records")).extracting(AwsCliWorkflowIT::text)
                .containsExactly("second", "third");
        assertThat(ok("get-records", "--shard-iterator", ok("get-shard-iterator", "--stream-name", "cli",
                "--shard-id", shard0, "--shard-iterator-type", "AT_TIMESTAMP", "--timestamp",
                Long.toString(beforeWrites.getEpochSecond())).get("ShardIterator").asText()).get("Records"))
                .hasSize(3);
        String latest = ok("get-shard-iterator", "--stream-name", "cli", "--shard-id", shard0,
                "--shard-iterator-type", "LATEST").get("ShardIterator").asText();
        assertThat(ok("get-records", "--shard-iterator", latest).get("Records")).isEmpty();

        // Resharding: split, merge, update-shard-count.
        ok("split-shard", "--stream-name", "cli", "--shard-to-split", shard0, "--new-starting-hash-key",
                "85070591730234615865843651857942052864");
        waitActive("cli");
        JsonNode afterSplit = ok("list-shards", "--stream-name", "cli").get("Shards");
        assertThat(afterSplit).hasSize(4);
        assertThat(afterSplit.get(2).get("ParentShardId").asText()).isEqualTo(shard0);
        assertThat(afterSplit.get(0).at("/SequenceNumberRange/EndingSequenceNumber").isMissingNode()).isFalse();
        JsonNode parentEnd = ok("get-records", "--shard-iterator", ok("get-shard-iterator", "--stream-name", "cli",
                "--shard-id", shard0, "--shard-iterator-type", "TRIM_HORIZON").get("ShardIterator").asText());
        assertThat(parentEnd.get("NextShardIterator")).isNull();
        assertThat(parentEnd.get("ChildShards")).hasSize(2);
        ok("merge-shards", "--stream-name", "cli", "--shard-to-merge", "shardId-000000000002",
                "--adjacent-shard-to-merge", "shardId-000000000003");
        waitActive("cli");
        assertThat(ok("describe-stream-summary", "--stream-name", "cli").at("/StreamDescriptionSummary/OpenShardCount")
                .asInt()).isEqualTo(2);
        JsonNode update = ok("update-shard-count", "--stream-name", "cli", "--target-shard-count", "4",
                "--scaling-type", "UNIFORM_SCALING");
        assertThat(update.get("CurrentShardCount").asInt()).isEqualTo(2);
        assertThat(update.get("TargetShardCount").asInt()).isEqualTo(4);
        waitActive("cli");
        assertThat(ok("list-shards", "--stream-name", "cli", "--shard-filter", "Type=AT_LATEST").get("Shards"))
                .hasSize(4);

        // Retention, tags, enhanced monitoring, encryption, limits, mode.
        ok("increase-stream-retention-period", "--stream-name", "cli", "--retention-period-hours", "48");
        assertThat(ok("describe-stream-summary", "--stream-name", "cli")
                .at("/StreamDescriptionSummary/RetentionPeriodHours").asInt()).isEqualTo(48);
        ok("decrease-stream-retention-period", "--stream-name", "cli", "--retention-period-hours", "24");
        ok("add-tags-to-stream", "--stream-name", "cli", "--tags", "team=data,env=dev");
        assertThat(ok("list-tags-for-stream", "--stream-name", "cli").get("Tags")).hasSize(2);
        ok("remove-tags-from-stream", "--stream-name", "cli", "--tag-keys", "env");
        assertThat(ok("list-tags-for-stream", "--stream-name", "cli").at("/Tags/0/Key").asText()).isEqualTo("team");
        JsonNode monitoring = ok("enable-enhanced-monitoring", "--stream-name", "cli", "--shard-level-metrics",
                "IncomingBytes", "OutgoingRecords");
        assertThat(monitoring.get("DesiredShardLevelMetrics")).extracting(JsonNode::asText)
                .containsExactly("IncomingBytes", "OutgoingRecords");
        assertThat(ok("disable-enhanced-monitoring", "--stream-name", "cli", "--shard-level-metrics", "ALL")
                .get("DesiredShardLevelMetrics")).isEmpty();
        ok("start-stream-encryption", "--stream-name", "cli", "--encryption-type", "KMS", "--key-id",
                "alias/aws/kinesis");
        waitActive("cli");
        assertThat(ok("describe-stream-summary", "--stream-name", "cli")
                .at("/StreamDescriptionSummary/EncryptionType").asText()).isEqualTo("KMS");
        ok("stop-stream-encryption", "--stream-name", "cli", "--encryption-type", "KMS", "--key-id",
                "alias/aws/kinesis");
        waitActive("cli");
        JsonNode limits = ok("describe-limits");
        assertThat(limits.get("ShardLimit").asInt()).isEqualTo(500);
        assertThat(limits.get("OnDemandStreamCount").asInt()).isEqualTo(1);
        String odArn = ok("describe-stream-summary", "--stream-name", "cli-od")
                .at("/StreamDescriptionSummary/StreamARN").asText();
        ok("update-stream-mode", "--stream-arn", odArn, "--stream-mode-details", "StreamMode=PROVISIONED");
        waitActive("cli-od");

        // Consumers, and deletion guarded by them.
        JsonNode consumer = ok("register-stream-consumer", "--stream-arn", arn, "--consumer-name", "app")
                .get("Consumer");
        assertThat(consumer.get("ConsumerARN").asText()).startsWith(arn + "/consumer/app:");
        assertThat(ok("describe-stream-consumer", "--consumer-arn", consumer.get("ConsumerARN").asText())
                .at("/ConsumerDescription/StreamARN").asText()).isEqualTo(arn);
        assertThat(ok("list-stream-consumers", "--stream-arn", arn).get("Consumers")).hasSize(1);
        Result refused = run("delete-stream", "--stream-name", "cli");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("ResourceInUseException");
        ok("delete-stream", "--stream-name", "cli", "--enforce-consumer-deletion");
        Result gone = run("describe-stream-summary", "--stream-name", "cli");
        for (int i = 0; i < 50 && gone.exit() == 0; i++) {
            assertThat(gone.json().at("/StreamDescriptionSummary/StreamStatus").asText()).isEqualTo("DELETING");
            Thread.sleep(100);
            gone = run("describe-stream-summary", "--stream-name", "cli");
        }
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.err()).contains("ResourceNotFoundException");
        ok("wait", "stream-not-exists", "--stream-name", "cli");
    }
}
