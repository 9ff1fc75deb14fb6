package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.backend.KinesisBackend;
import io.runnel.wire.Protocol;
import io.runnel.wire.testing.SdkClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.awssdk.services.kinesis.model.ValidationException;

/** The AWS SDK v2 Kinesis client, unchanged, against the backend in CBOR (its default) and JSON. */
class SdkAgainstBackendIT {
    private static KinesisBackend backend;

    @BeforeAll
    static void start() {
        backend = KinesisBackend.builder().limits(false).start();
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    private static void awaitActive(KinesisClient kinesis, String stream) {
        await().atMost(Duration.ofSeconds(60)).until(() -> kinesis.describeStreamSummary(r -> r.streamName(stream))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }

    private static List<Record> readShard(KinesisClient kinesis, String stream, String shardId) {
        List<Record> out = new ArrayList<>();
        String it = kinesis.getShardIterator(r -> r.streamName(stream).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        while (it != null) {
            String current = it;
            GetRecordsResponse resp = kinesis.getRecords(r -> r.shardIterator(current).limit(1000));
            out.addAll(resp.records());
            if (resp.records().isEmpty() && resp.millisBehindLatest() == 0 && resp.nextShardIterator() != null) {
                break;
            }
            it = resp.nextShardIterator();
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void writesReadsAndReshardsLikeKinesis(Protocol protocol) {
        String stream = "sdk-" + protocol.name().toLowerCase();
        try (KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), protocol, "AKID", "SECRET")) {
            kinesis.createStream(r -> r.streamName(stream).shardCount(3));
            assertThatThrownBy(() -> kinesis.createStream(r -> r.streamName(stream).shardCount(1)))
                    .isInstanceOf(ResourceInUseException.class);
            awaitActive(kinesis, stream);

            Map<String, byte[]> sent = new HashMap<>();
            for (int batch = 0; batch < 3; batch++) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    int n = batch * 100 + i;
                    byte[] data = ("record-" + n + "-\u0000\u00ff").getBytes(StandardCharsets.UTF_8);
                    sent.put("pk-" + n, data);
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("pk-" + n)
                            .data(SdkBytes.fromByteArray(data)).build());
                }
                PutRecordsResponse put = kinesis.putRecords(r -> r.streamName(stream).records(entries));
                assertThat(put.failedRecordCount()).isZero();
                assertThat(put.records()).allSatisfy(e -> assertThat(e.sequenceNumber()).isNotNull());
            }

            List<Shard> shards = kinesis.listShards(r -> r.streamName(stream)).shards();
            assertThat(shards).hasSize(3);
            Map<String, byte[]> read = new HashMap<>();
            for (Shard shard : shards) {
                for (Record rec : readShard(kinesis, stream, shard.shardId())) {
                    read.put(rec.partitionKey(), rec.data().asByteArray());
                    assertThat(rec.approximateArrivalTimestamp()).isBefore(Instant.now().plusSeconds(1));
                }
            }
            assertThat(read).containsOnlyKeys(sent.keySet());
            sent.forEach((k, v) -> assertThat(read.get(k)).isEqualTo(v));

            Shard first = shards.get(0);
            String mid = new java.math.BigInteger(first.hashKeyRange().endingHashKey()).shiftRight(1).toString();
            kinesis.splitShard(r -> r.streamName(stream).shardToSplit(first.shardId()).newStartingHashKey(mid));
            awaitActive(kinesis, stream);
            assertThat(kinesis.listShards(r -> r.streamName(stream)).shards()).hasSize(5);
            String it = kinesis.getShardIterator(r -> r.streamName(stream).shardId(first.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse end = kinesis.getRecords(r -> r.shardIterator(it).limit(10_000));
            assertThat(end.nextShardIterator()).isNull();
            assertThat(end.childShards()).hasSize(2)
                    .allSatisfy(c -> assertThat(c.parentShards()).containsExactly(first.shardId()));

            kinesis.deleteStream(r -> r.streamName(stream));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThatThrownBy(
                    () -> kinesis.describeStreamSummary(r -> r.streamName(stream)))
                    .isInstanceOf(ResourceNotFoundException.class));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void largeResponsesParseInTheSdk(Protocol protocol) {
        String stream = "large-" + protocol.name().toLowerCase();
        try (KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), protocol, "AKID", "SECRET")) {
            kinesis.createStream(r -> r.streamName(stream).shardCount(1));
            awaitActive(kinesis, stream);
            java.util.Random random = new java.util.Random(7);
            List<byte[]> sent = new ArrayList<>();
            for (int batch = 0; batch < 2; batch++) {
                List<PutRecordsRequestEntry> entries = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    byte[] data = new byte[1000 * 1000];
                    random.nextBytes(data);
                    sent.add(data);
                    entries.add(PutRecordsRequestEntry.builder().partitionKey("k").data(SdkBytes.fromByteArray(data))
                            .build());
                }
                assertThat(kinesis.putRecords(r -> r.streamName(stream).records(entries)).failedRecordCount())
                        .isZero();
            }
            String it = kinesis.getShardIterator(r -> r.streamName(stream).shardId("shardId-000000000000")
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            GetRecordsResponse all = kinesis.getRecords(r -> r.shardIterator(it).limit(10_000));
            assertThat(all.records()).hasSize(10); // 10 MB in one response
            for (int i = 0; i < 10; i++) {
                assertThat(all.records().get(i).data().asByteArray()).isEqualTo(sent.get(i));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void resourcePoliciesAndResourceTagsOfStreamsAndConsumers(Protocol protocol) {
        String stream = "arn-" + protocol.name().toLowerCase();
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"kinesis:GetRecords\",\"Resource\":\"*\"}]}";
        try (KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), protocol, "AKID", "SECRET")) {
            kinesis.createStream(r -> r.streamName(stream).shardCount(1));
            awaitActive(kinesis, stream);
            String streamArn = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary()
                    .streamARN();
            String consumerArn = kinesis.registerStreamConsumer(r -> r.streamARN(streamArn).consumerName("app"))
                    .consumer().consumerARN();

            assertThat(kinesis.getResourcePolicy(r -> r.resourceARN(streamArn)).policy()).isEqualTo("{}");
            kinesis.putResourcePolicy(r -> r.resourceARN(streamArn).policy(policy));
            kinesis.putResourcePolicy(r -> r.resourceARN(consumerArn).policy("{\"Statement\":[]}"));
            assertThat(kinesis.getResourcePolicy(r -> r.resourceARN(streamArn)).policy()).isEqualTo(policy);
            assertThat(kinesis.getResourcePolicy(r -> r.resourceARN(consumerArn)).policy())
                    .isEqualTo("{\"Statement\":[]}");
            kinesis.deleteResourcePolicy(r -> r.resourceARN(consumerArn));
            assertThat(kinesis.getResourcePolicy(r -> r.resourceARN(consumerArn)).policy()).isEqualTo("{}");
            assertThatThrownBy(() -> kinesis.deleteResourcePolicy(r -> r.resourceARN(consumerArn)))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> kinesis.putResourcePolicy(r -> r.resourceARN(streamArn).policy("[1]")))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("Policy");
            assertThatThrownBy(() -> kinesis.getResourcePolicy(r -> r.resourceARN(streamArn + "-nope")))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> kinesis.getResourcePolicy(r -> r.resourceARN("not-an-arn")))
                    .isInstanceOf(ValidationException.class).hasMessageContaining("resourceARN");

            kinesis.addTagsToStream(r -> r.streamName(stream).tags(Map.of("team", "data")));
            kinesis.tagResource(r -> r.resourceARN(streamArn).tags(Map.of("env", "test")));
            kinesis.tagResource(r -> r.resourceARN(consumerArn).tags(Map.of("app", "reader", "empty", "")));
            assertThat(kinesis.listTagsForResource(r -> r.resourceARN(streamArn)).tags())
                    .extracting(t -> t.key() + "=" + t.value()).containsExactly("env=test", "team=data");
            assertThat(kinesis.listTagsForStream(r -> r.streamName(stream)).tags())
                    .extracting(t -> t.key() + "=" + t.value()).containsExactly("env=test", "team=data");
            assertThat(kinesis.listTagsForResource(r -> r.resourceARN(consumerArn)).tags())
                    .extracting(t -> t.key() + "=" + t.value()).containsExactly("app=reader", "empty=");
            kinesis.untagResource(r -> r.resourceARN(consumerArn).tagKeys("app"));
            kinesis.untagResource(r -> r.resourceARN(streamArn).tagKeys("team"));
            assertThat(kinesis.listTagsForResource(r -> r.resourceARN(consumerArn)).tags())
                    .extracting(t -> t.key()).containsExactly("empty");
            assertThat(kinesis.listTagsForStream(r -> r.streamName(stream)).tags())
                    .extracting(t -> t.key()).containsExactly("env");
            assertThatThrownBy(() -> kinesis.tagResource(r -> r.resourceARN(consumerArn).tags(Map.of("aws:k", "v"))))
                    .isInstanceOf(InvalidArgumentException.class);
            Map<String, String> tooMany = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                tooMany.put("k" + i, "v");
            }
            assertThatThrownBy(() -> kinesis.tagResource(r -> r.resourceARN(consumerArn).tags(tooMany)))
                    .isInstanceOf(LimitExceededException.class);
            assertThatThrownBy(() -> kinesis.listTagsForResource(r -> r.resourceARN(consumerArn + "9")))
                    .isInstanceOf(ResourceNotFoundException.class);

            kinesis.deleteStream(r -> r.streamName(stream).enforceConsumerDeletion(true));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void accountSettingsTurnTheBillingCommitmentOnAndOff(Protocol protocol) {
        try (KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), protocol, "AKID", "SECRET")) {
            var on = kinesis.updateAccountSettings(r -> r.minimumThroughputBillingCommitment(m -> m.status("ENABLED")))
                    .minimumThroughputBillingCommitment();
            assertThat(on.statusAsString()).isEqualTo("ENABLED");
            assertThat(on.startedAt()).isNotNull();
            assertThat(on.endedAt()).isNull();
            assertThat(on.earliestAllowedEndAt()).isEqualTo(on.startedAt().plus(Duration.ofHours(24)));
            assertThat(kinesis.describeAccountSettings(r -> { }).minimumThroughputBillingCommitment()).isEqualTo(on);

            var ending = kinesis.updateAccountSettings(r -> r.minimumThroughputBillingCommitment(
                    m -> m.status("DISABLED"))).minimumThroughputBillingCommitment();
            assertThat(ending.statusAsString()).isEqualTo("ENABLED_UNTIL_EARLIEST_ALLOWED_END");
            assertThat(ending.startedAt()).isEqualTo(on.startedAt());
            assertThat(ending.endedAt()).isEqualTo(on.earliestAllowedEndAt());
            assertThat(kinesis.describeAccountSettings(r -> { }).minimumThroughputBillingCommitment())
                    .isEqualTo(ending);

            assertThatThrownBy(() -> kinesis.updateAccountSettings(r -> r.minimumThroughputBillingCommitment(
                    m -> m.status("PAUSED")))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("enum value set: [ENABLED, DISABLED]");
            assertThat(kinesis.updateAccountSettings(r -> r.minimumThroughputBillingCommitment(
                    m -> m.status("ENABLED"))).minimumThroughputBillingCommitment()).isEqualTo(on);
        }
    }

    /** Keeps a test's channel calls under the account's 5 per second. */
    private static void pause() {
        try {
            Thread.sleep(1100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void channelsAreCreatedDescribedListedUpdatedAndDeleted(Protocol protocol) {
        String stream = "chan-src-" + protocol.name().toLowerCase();
        String provisioned = "chan-prov-" + protocol.name().toLowerCase();
        String name = "chan-" + protocol.name().toLowerCase();
        try (KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), protocol, "AKID", "SECRET")) {
            kinesis.createStream(r -> r.streamName(stream).streamModeDetails(d -> d.streamMode(StreamMode.ON_DEMAND)));
            kinesis.createStream(r -> r.streamName(provisioned).shardCount(1));
            awaitActive(kinesis, stream);
            awaitActive(kinesis, provisioned);
            String streamArn = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary()
                    .streamARN();
            String provisionedArn = kinesis.describeStreamSummary(r -> r.streamName(provisioned))
                    .streamDescriptionSummary().streamARN();
            pause();

            var created = kinesis.createChannel(r -> r.channelName(name)
                    .serviceExecutionRoleARN("arn:aws:iam::000000000000:role/channels")
                    .streamConfigurationList(c -> c.streamARN(streamArn).recordConfiguration(rc -> rc
                            .recordFormatType("JSON")))
                    .s3DestinationConfiguration(d -> d.dataFreshnessInSeconds(60)
                            .storageConfiguration(sc -> sc.bucketARN("arn:aws:s3:::bucket").compressionType("GZIP")))
                    .tags(Map.of("team", "data"))).channelDescription();
            assertThat(created.channelName()).isEqualTo(name);
            assertThat(created.channelStatusAsString()).isEqualTo("CREATING");
            assertThat(created.channelId()).matches("[a-z0-9]{20}-[a-z0-9]{3}");
            assertThat(created.streamConfigurationList().get(0).streamARN()).isEqualTo(streamArn);
            assertThat(created.streamConfigurationList().get(0).streamCreationTimestamp()).isNotNull();
            assertThat(created.s3DestinationConfiguration().storageConfiguration().compressionTypeAsString())
                    .isEqualTo("GZIP");
            String arn = created.channelARN();
            assertThatThrownBy(() -> kinesis.createChannel(r -> r.channelName(name + "-p")
                    .serviceExecutionRoleARN("arn:aws:iam::000000000000:role/channels")
                    .streamConfigurationList(c -> c.streamARN(provisionedArn))
                    .s3DestinationConfiguration(d -> d.storageConfiguration(sc -> sc.bucketARN("arn:aws:s3:::b")))))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("ON_DEMAND");
            pause();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(400)).until(() -> kinesis
                    .describeChannel(r -> r.channelARN(arn)).channelDescription().channelStatusAsString()
                    .equals("ACTIVE"));
            pause();

            var listed = kinesis.listChannels(r -> r.streamFilter(f -> f.streamARN(streamArn))).channelSummaries();
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).channelARN()).isEqualTo(arn);
            assertThat(listed.get(0).channelDestinationTypeAsString()).isEqualTo("S3");
            assertThat(listed.get(0).streams().get(0).streamARN()).isEqualTo(streamArn);

            var updated = kinesis.updateChannel(r -> r.channelARN(arn)
                    .s3DestinationConfiguration(d -> d.dataFreshnessInSeconds(300))
                    .loggingConfiguration(l -> l.cloudWatchLogs(w -> w.enabled(true).logGroupName("g"))))
                    .channelDescription();
            assertThat(updated.channelStatusAsString()).isEqualTo("UPDATING");
            assertThat(updated.s3DestinationConfiguration().dataFreshnessInSeconds()).isEqualTo(300);
            assertThat(updated.loggingConfiguration().cloudWatchLogs().logGroupName()).isEqualTo("g");
            assertThatThrownBy(() -> kinesis.updateChannel(r -> r.channelARN(arn)
                    .s3DestinationConfiguration(d -> d.dataFreshnessInSeconds(30))))
                    .isInstanceOf(ResourceInUseException.class);
            pause();

            kinesis.deleteChannel(r -> r.channelARN(arn));
            assertThat(kinesis.describeChannel(r -> r.channelARN(arn)).channelDescription().channelStatusAsString())
                    .isEqualTo("DELETING");
            pause();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(400)).untilAsserted(() ->
                    assertThatThrownBy(() -> kinesis.describeChannel(r -> r.channelARN(arn)))
                            .isInstanceOf(ResourceNotFoundException.class));
            pause();

            kinesis.deleteStream(r -> r.streamName(stream));
            kinesis.deleteStream(r -> r.streamName(provisioned));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void warmThroughputAndStreamIdInTheSummary(Protocol protocol) {
        String stream = "warm-" + protocol.name().toLowerCase();
        String provisioned = "cold-" + protocol.name().toLowerCase();
        try (KinesisClient kinesis = SdkClients.sdk(backend.endpoint(), protocol, "AKID", "SECRET")) {
            kinesis.updateAccountSettings(r -> r.minimumThroughputBillingCommitment(m -> m.status("ENABLED")));
            kinesis.createStream(r -> r.streamName(stream).streamModeDetails(d -> d.streamMode(StreamMode.ON_DEMAND)));
            kinesis.createStream(r -> r.streamName(provisioned).shardCount(1));
            awaitActive(kinesis, stream);
            awaitActive(kinesis, provisioned);
            var summary = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary();
            assertThat(summary.streamId()).matches("[a-z0-9]{20}-[a-z0-9]{3}");
            assertThat(summary.warmThroughput()).isNull();
            assertThat(kinesis.describeStreamSummary(r -> r.streamName(provisioned)).streamDescriptionSummary()
                    .streamId()).matches("[a-z0-9]{20}-[a-z0-9]{3}").isNotEqualTo(summary.streamId());

            var updated = kinesis.updateStreamWarmThroughput(r -> r.streamARN(summary.streamARN())
                    .warmThroughputMiBps(100));
            assertThat(updated.streamARN()).isEqualTo(summary.streamARN());
            assertThat(updated.streamName()).isEqualTo(stream);
            assertThat(updated.warmThroughput().targetMiBps()).isEqualTo(100);
            assertThat(updated.warmThroughput().currentMiBps()).isEqualTo(0);
            awaitActive(kinesis, stream);
            var after = kinesis.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary();
            assertThat(after.warmThroughput().targetMiBps()).isEqualTo(100);
            assertThat(after.warmThroughput().currentMiBps()).isEqualTo(100);
            assertThat(after.streamId()).isEqualTo(summary.streamId());

            assertThatThrownBy(() -> kinesis.updateStreamWarmThroughput(r -> r.streamName(provisioned)
                    .warmThroughputMiBps(10))).isInstanceOf(ValidationException.class)
                    .hasMessageContaining("PROVISIONED");
            assertThatThrownBy(() -> kinesis.updateStreamWarmThroughput(r -> r.streamName(stream)
                    .warmThroughputMiBps(-1))).isInstanceOf(ValidationException.class);
            assertThatThrownBy(() -> kinesis.updateStreamWarmThroughput(r -> r.streamName(stream)
                    .warmThroughputMiBps(20_000))).isInstanceOf(LimitExceededException.class);
            assertThatThrownBy(() -> kinesis.updateStreamWarmThroughput(r -> r.streamName(stream + "-nope")
                    .warmThroughputMiBps(1))).isInstanceOf(ResourceNotFoundException.class);

            String born = "born-warm-" + protocol.name().toLowerCase();
            kinesis.createStream(r -> r.streamName(born).streamModeDetails(d -> d.streamMode(StreamMode.ON_DEMAND))
                    .warmThroughputMiBps(25));
            awaitActive(kinesis, born);
            var bornWarm = kinesis.describeStreamSummary(r -> r.streamName(born)).streamDescriptionSummary()
                    .warmThroughput();
            assertThat(bornWarm.targetMiBps()).isEqualTo(25);
            assertThat(bornWarm.currentMiBps()).isEqualTo(25);
            assertThatThrownBy(() -> kinesis.createStream(r -> r.streamName(born + "-p").shardCount(1)
                    .warmThroughputMiBps(25))).isInstanceOf(ValidationException.class);

            kinesis.deleteStream(r -> r.streamName(stream));
            kinesis.deleteStream(r -> r.streamName(provisioned));
            kinesis.deleteStream(r -> r.streamName(born));
        }
    }
}
