package io.runnel.backend.compat;

import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ConsumerStatus;
import software.amazon.awssdk.services.kinesis.model.EncryptionType;
import software.amazon.awssdk.services.kinesis.model.MetricsName;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.ScalingType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamMode;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * One valid call of each Kinesis operation through the AWS SDK v2, each on streams, consumers and channels of its own
 * (named after the operation under a prefix), so the calls can run in any order and twice (once per protocol). The
 * operations come from the SDK; only the values that make a call succeed are written here.
 */
final class ValidCalls {
    static final String POLICY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\"123456789012\"},\"Action\":\"kinesis:GetRecords\",\"Resource\":\"*\"}]}";
    private static final String ROLE = "arn:aws:iam::000000000000:role/channels";

    private final KinesisClient k;
    private final String prefix;
    private final SkippingTime time;

    ValidCalls(KinesisClient k, String prefix, SkippingTime time) {
        this.k = k;
        this.prefix = prefix;
        this.time = time;
    }

    /** Calls {@code operation} (the SDK's name, e.g. {@code PutRecords}) once with a valid request. */
    void call(String operation) {
        String n = prefix + "-" + operation;
        switch (operation) {
            case "AddTagsToStream" -> k.addTagsToStream(r -> r.streamName(stream(n, 1)).tags(Map.of("k", "v")));
            case "CreateChannel" -> channel(n);
            case "CreateStream" -> k.createStream(r -> r.streamName(n).shardCount(1));
            case "DecreaseStreamRetentionPeriod" -> {
                String s = stream(n, 1);
                k.increaseStreamRetentionPeriod(r -> r.streamName(s).retentionPeriodHours(48));
                k.decreaseStreamRetentionPeriod(r -> r.streamName(s).retentionPeriodHours(24));
            }
            case "DeleteChannel" -> {
                String arn = channel(n);
                k.deleteChannel(r -> r.channelARN(arn));
            }
            case "DeleteResourcePolicy" -> {
                String arn = arn(stream(n, 1));
                k.putResourcePolicy(r -> r.resourceARN(arn).policy(POLICY));
                k.deleteResourcePolicy(r -> r.resourceARN(arn));
            }
            case "DeleteStream" -> k.deleteStream(r -> r.streamName(stream(n, 1)));
            case "DeregisterStreamConsumer" -> {
                String c = consumer(n);
                k.deregisterStreamConsumer(r -> r.consumerARN(c));
            }
            case "DescribeAccountSettings" -> k.describeAccountSettings(r -> { });
            case "DescribeChannel" -> {
                String arn = channel(n);
                k.describeChannel(r -> r.channelARN(arn));
            }
            case "DescribeLimits" -> k.describeLimits(r -> { });
            case "DescribeStream" -> k.describeStream(r -> r.streamName(stream(n, 1)));
            case "DescribeStreamConsumer" -> {
                String c = consumer(n);
                k.describeStreamConsumer(r -> r.consumerARN(c));
            }
            case "DescribeStreamSummary" -> k.describeStreamSummary(r -> r.streamName(stream(n, 1)));
            case "DisableEnhancedMonitoring" -> k.disableEnhancedMonitoring(r -> r.streamName(stream(n, 1))
                    .shardLevelMetrics(MetricsName.INCOMING_BYTES));
            case "EnableEnhancedMonitoring" -> k.enableEnhancedMonitoring(r -> r.streamName(stream(n, 1))
                    .shardLevelMetrics(MetricsName.INCOMING_BYTES));
            case "GetRecords" -> {
                String it = iterator(stream(n, 1));
                k.getRecords(r -> r.shardIterator(it).limit(10));
            }
            case "GetResourcePolicy" -> k.getResourcePolicy(r -> r.resourceARN(arn(stream(n, 1))));
            case "GetShardIterator" -> iterator(stream(n, 1));
            case "IncreaseStreamRetentionPeriod" -> k.increaseStreamRetentionPeriod(r -> r.streamName(stream(n, 1))
                    .retentionPeriodHours(48));
            case "ListChannels" -> {
                time.skip(Duration.ofSeconds(2)); // channel calls are limited to 5 a second
                k.listChannels(r -> r.maxResults(10));
            }
            case "ListShards" -> k.listShards(r -> r.streamName(stream(n, 1)));
            case "ListStreamConsumers" -> k.listStreamConsumers(r -> r.streamARN(arn(stream(n, 1))));
            case "ListStreams" -> k.listStreams(r -> r.limit(10));
            case "ListTagsForResource" -> k.listTagsForResource(r -> r.resourceARN(arn(stream(n, 1))));
            case "ListTagsForStream" -> k.listTagsForStream(r -> r.streamName(stream(n, 1)));
            case "MergeShards" -> k.mergeShards(r -> r.streamName(stream(n, 2)).shardToMerge("shardId-000000000000")
                    .adjacentShardToMerge("shardId-000000000001"));
            case "PutRecord" -> k.putRecord(r -> r.streamName(stream(n, 1)).partitionKey("pk")
                    .data(SdkBytes.fromUtf8String("data")));
            case "PutRecords" -> k.putRecords(r -> r.streamName(stream(n, 1)).records(PutRecordsRequestEntry.builder()
                    .partitionKey("pk").data(SdkBytes.fromUtf8String("data")).build()));
            case "PutResourcePolicy" -> k.putResourcePolicy(r -> r.resourceARN(arn(stream(n, 1))).policy(POLICY));
            case "RegisterStreamConsumer" -> k.registerStreamConsumer(r -> r.streamARN(arn(stream(n, 1)))
                    .consumerName("c"));
            case "RemoveTagsFromStream" -> {
                String s = stream(n, 1);
                k.addTagsToStream(r -> r.streamName(s).tags(Map.of("k", "v")));
                k.removeTagsFromStream(r -> r.streamName(s).tagKeys("k"));
            }
            case "SplitShard" -> k.splitShard(r -> r.streamName(stream(n, 1)).shardToSplit("shardId-000000000000")
                    .newStartingHashKey(BigInteger.ONE.shiftLeft(127).toString()));
            case "StartStreamEncryption" -> k.startStreamEncryption(r -> r.streamName(stream(n, 1))
                    .encryptionType(EncryptionType.KMS).keyId("alias/aws/kinesis"));
            case "StopStreamEncryption" -> {
                String s = stream(n, 1);
                k.startStreamEncryption(r -> r.streamName(s).encryptionType(EncryptionType.KMS)
                        .keyId("alias/aws/kinesis"));
                awaitActive(s);
                k.stopStreamEncryption(r -> r.streamName(s).encryptionType(EncryptionType.KMS)
                        .keyId("alias/aws/kinesis"));
            }
            case "TagResource" -> k.tagResource(r -> r.resourceARN(arn(stream(n, 1))).tags(Map.of("k", "v")));
            case "UntagResource" -> {
                String arn = arn(stream(n, 1));
                k.tagResource(r -> r.resourceARN(arn).tags(Map.of("k", "v")));
                k.untagResource(r -> r.resourceARN(arn).tagKeys("k"));
            }
            case "UpdateAccountSettings" -> k.updateAccountSettings(r -> r.minimumThroughputBillingCommitment(
                    m -> m.status("ENABLED")));
            case "UpdateChannel" -> {
                String arn = channel(n);
                time.skip(Duration.ofSeconds(2));
                k.updateChannel(r -> r.channelARN(arn).s3DestinationConfiguration(d -> d.dataFreshnessInSeconds(300)));
            }
            case "UpdateMaxRecordSize" -> k.updateMaxRecordSize(r -> r.streamARN(arn(stream(n, 1)))
                    .maxRecordSizeInKiB(2048));
            case "UpdateShardCount" -> k.updateShardCount(r -> r.streamName(stream(n, 1)).targetShardCount(2)
                    .scalingType(ScalingType.UNIFORM_SCALING));
            case "UpdateStreamMode" -> k.updateStreamMode(r -> r.streamARN(arn(stream(n, 1)))
                    .streamModeDetails(d -> d.streamMode(StreamMode.ON_DEMAND)));
            case "UpdateStreamRecordDistributionStrategy" -> k.updateStreamRecordDistributionStrategy(
                    r -> r.streamARN(arn(onDemand(n))).recordDistributionStrategy("AUTO"));
            case "UpdateStreamWarmThroughput" -> k.updateStreamWarmThroughput(r -> r.streamName(onDemand(n))
                    .warmThroughputMiBps(10));
            default -> throw new AssertionError("no valid call written for the SDK's operation " + operation
                    + ": add one here, and make the backend answer it");
        }
    }

    /** A provisioned stream with {@code shards} shards, ACTIVE. */
    String stream(String name, int shards) {
        k.createStream(r -> r.streamName(name).shardCount(shards));
        awaitActive(name);
        return name;
    }

    String onDemand(String name) {
        k.createStream(r -> r.streamName(name).streamModeDetails(d -> d.streamMode(StreamMode.ON_DEMAND)));
        awaitActive(name);
        return name;
    }

    String arn(String stream) {
        return k.describeStreamSummary(r -> r.streamName(stream)).streamDescriptionSummary().streamARN();
    }

    /** An ACTIVE consumer of a new stream; its ARN. */
    String consumer(String name) {
        String streamArn = arn(stream(name, 1));
        String c = k.registerStreamConsumer(r -> r.streamARN(streamArn).consumerName("c")).consumer().consumerARN();
        await().atMost(Duration.ofSeconds(30)).until(() -> k.describeStreamConsumer(r -> r.consumerARN(c))
                .consumerDescription().consumerStatus() == ConsumerStatus.ACTIVE);
        return c;
    }

    /** An ACTIVE channel reading a new on-demand stream; its ARN. */
    String channel(String name) {
        String source = arn(onDemand(name));
        time.skip(Duration.ofSeconds(2));
        String arn = k.createChannel(r -> r.channelName(name).serviceExecutionRoleARN(ROLE)
                .streamConfigurationList(c -> c.streamARN(source))
                .s3DestinationConfiguration(d -> d.storageConfiguration(sc -> sc.bucketARN("arn:aws:s3:::bucket"))))
                .channelDescription().channelARN();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            time.skip(Duration.ofSeconds(2));
            return k.describeChannel(r -> r.channelARN(arn)).channelDescription().channelStatusAsString()
                    .equals("ACTIVE");
        });
        time.skip(Duration.ofSeconds(2));
        return arn;
    }

    String iterator(String stream) {
        return k.getShardIterator(r -> r.streamName(stream).shardId("shardId-000000000000")
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    void awaitActive(String stream) {
        await().atMost(Duration.ofSeconds(30)).until(() -> k.describeStreamSummary(r -> r.streamName(stream))
                .streamDescriptionSummary().streamStatus() == StreamStatus.ACTIVE);
    }
}
