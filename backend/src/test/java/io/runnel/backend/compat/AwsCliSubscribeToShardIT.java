package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Protocol;
import io.runnel.wire.testing.SdkClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;

/**
 * SubscribeToShard from the aws CLI v2 against the backend, over HTTP/1.1 with a chunked event stream. Like
 * {@link AwsCliWorkflowIT}: skipped without an aws CLI v2 unless RUNNEL_REQUIRE_AWS_CLI=1.
 *
 * <p>The CLI removes {@code kinesis subscribe-to-shard} from its commands (awscli/customizations/removals.py: it
 * does not print event streams). When the installed CLI lacks the command, the test drives the CLI's own bundled
 * botocore ({@code awscli.botocore}, the client every {@code aws kinesis} command uses) through the CLI's Python
 * interpreter, and prints each event as the command would; when a CLI offers the command, the command itself runs.
 */
class AwsCliSubscribeToShardIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static KinesisBackend backend;
    private static String aws;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsCliV2.require();
        backend = KinesisBackend.builder().settings(StoreSettings.defaults().withTransitionMillis(100))
                .subscriptionDuration(Duration.ofSeconds(3)).start();
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.close();
        }
    }

    private record Result(int exit, String out, String err) {
    }

    /** What {@code aws kinesis subscribe-to-shard} would do, in the CLI's Python with the CLI's botocore. */
    private static Result botocore(String consumerArn, String shardId) throws Exception {
        String firstLine = Files.readAllLines(Path.of(aws)).get(0);
        assumeTrue(firstLine.startsWith("#!") && firstLine.contains("python"), "cannot find the aws CLI's Python");
        String python = firstLine.substring(2).trim().split(" ")[0];
        Path script = tmp.resolve("subscribe.py");
        Files.writeString(script, String.join("\n",
                "import json, sys",
                "from awscli.botocore.session import get_session",
                "client = get_session().create_client('kinesis', region_name='us-east-1', endpoint_url=sys.argv[1],",
                "    aws_access_key_id='local', aws_secret_access_key='local')",
                "response = client.subscribe_to_shard(ConsumerARN=sys.argv[2], ShardId=sys.argv[3],",
                "    StartingPosition={'Type': 'TRIM_HORIZON'})",
                "for event in response['EventStream']:",
                "    e = event['SubscribeToShardEvent']",
                "    print(json.dumps({'ContinuationSequenceNumber': e.get('ContinuationSequenceNumber'),",
                "        'MillisBehindLatest': e['MillisBehindLatest'],",
                "        'Records': [r['Data'].decode('utf-8') for r in e['Records']]}), flush=True)",
                ""));
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), backend.endpoint().toString(), consumerArn,
                shardId);
        Path out = tmp.resolve("py-out.txt");
        Path err = tmp.resolve("py-err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("botocore subscribe_to_shard did not finish");
        }
        String errors = Files.readString(err);
        assumeTrue(!errors.contains("No module named 'awscli"), "this aws CLI bundles no awscli.botocore");
        return new Result(p.exitValue(), Files.readString(out), errors);
    }

    private static Result run(String... args) throws Exception {
        AwsCliV2.Output o = AwsCliV2.kinesis(aws, backend.endpoint(), tmp, args);
        return new Result(o.exit(), o.out(), o.err());
    }

    @Test
    void subscribeToShardPrintsTheEventsWithTheRecords() throws Exception {
        String consumerArn;
        try (KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), Protocol.JSON, "AKID", "SECRET")) {
            kinesis.createStream(r -> r.streamName("cli-efo").shardCount(1));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> kinesis
                    .describeStreamSummary(r -> r.streamName("cli-efo")).streamDescriptionSummary()
                    .streamStatusAsString()
                    .equals("ACTIVE"));
            String streamArn = backend.store().arnOf("cli-efo");
            consumerArn = kinesis.registerStreamConsumer(r -> r.streamARN(streamArn).consumerName("cli")).consumer()
                    .consumerARN();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> kinesis
                    .describeStreamConsumer(r -> r.consumerARN(consumerArn)).consumerDescription()
                    .consumerStatus() == ConsumerStatus.ACTIVE);
            for (int i = 0; i < 5; i++) {
                int n = i;
                kinesis.putRecord(r -> r.streamName("cli-efo").partitionKey("k")
                        .data(SdkBytes.fromUtf8String("cli-" + n)));
            }
        }
        List<String> data = new ArrayList<>();
        if (run("subscribe-to-shard", "help").exit() == 0) {
            Result r = run("subscribe-to-shard", "--consumer-arn", consumerArn, "--shard-id", "shardId-000000000000",
                    "--starting-position", "Type=TRIM_HORIZON");
            assertThat(r.exit()).as(r.err()).isZero();
            for (JsonNode event : JSON.readTree(r.out()).get("EventStream")) {
                JsonNode e = event.get("SubscribeToShardEvent");
                assertThat(e.get("ContinuationSequenceNumber").asText()).isNotEmpty();
                for (JsonNode record : e.get("Records")) {
                    data.add(new String(Base64.getDecoder().decode(record.get("Data").asText()),
                            StandardCharsets.UTF_8));
                }
            }
        } else {
            Result r = botocore(consumerArn, "shardId-000000000000");
            assertThat(r.exit()).as(r.err()).isZero();
            List<String> lines = r.out().lines().toList();
            assertThat(lines).isNotEmpty();
            for (String line : lines) {
                JsonNode e = JSON.readTree(line);
                assertThat(e.get("ContinuationSequenceNumber").asText()).startsWith("4");
                assertThat(e.get("MillisBehindLatest").isNumber()).isTrue();
                e.get("Records").forEach(d -> data.add(d.asText()));
            }
        }
        assertThat(data).containsExactly("cli-0", "cli-1", "cli-2", "cli-3", "cli-4");
    }
}
