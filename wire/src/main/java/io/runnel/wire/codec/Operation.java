package io.runnel.wire.codec;

import io.runnel.wire.model.AddTagsToStreamRequest;
import io.runnel.wire.model.AddTagsToStreamResponse;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.CreateStreamResponse;
import io.runnel.wire.model.DecreaseStreamRetentionPeriodRequest;
import io.runnel.wire.model.DecreaseStreamRetentionPeriodResponse;
import io.runnel.wire.model.DeleteStreamRequest;
import io.runnel.wire.model.DeleteStreamResponse;
import io.runnel.wire.model.DeregisterStreamConsumerRequest;
import io.runnel.wire.model.DeregisterStreamConsumerResponse;
import io.runnel.wire.model.DescribeLimitsRequest;
import io.runnel.wire.model.DescribeLimitsResponse;
import io.runnel.wire.model.DescribeStreamConsumerRequest;
import io.runnel.wire.model.DescribeStreamConsumerResponse;
import io.runnel.wire.model.DescribeStreamRequest;
import io.runnel.wire.model.DescribeStreamResponse;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.DescribeStreamSummaryResponse;
import io.runnel.wire.model.DisableEnhancedMonitoringRequest;
import io.runnel.wire.model.DisableEnhancedMonitoringResponse;
import io.runnel.wire.model.EnableEnhancedMonitoringRequest;
import io.runnel.wire.model.EnableEnhancedMonitoringResponse;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.GetShardIteratorResponse;
import io.runnel.wire.model.IncreaseStreamRetentionPeriodRequest;
import io.runnel.wire.model.IncreaseStreamRetentionPeriodResponse;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.ListShardsResponse;
import io.runnel.wire.model.ListStreamConsumersRequest;
import io.runnel.wire.model.ListStreamConsumersResponse;
import io.runnel.wire.model.ListStreamsRequest;
import io.runnel.wire.model.ListStreamsResponse;
import io.runnel.wire.model.ListTagsForStreamRequest;
import io.runnel.wire.model.ListTagsForStreamResponse;
import io.runnel.wire.model.MergeShardsRequest;
import io.runnel.wire.model.MergeShardsResponse;
import io.runnel.wire.model.PutRecordRequest;
import io.runnel.wire.model.PutRecordResponse;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsResponse;
import io.runnel.wire.model.RegisterStreamConsumerRequest;
import io.runnel.wire.model.RegisterStreamConsumerResponse;
import io.runnel.wire.model.RemoveTagsFromStreamRequest;
import io.runnel.wire.model.RemoveTagsFromStreamResponse;
import io.runnel.wire.model.SplitShardRequest;
import io.runnel.wire.model.SplitShardResponse;
import io.runnel.wire.model.StartStreamEncryptionRequest;
import io.runnel.wire.model.StartStreamEncryptionResponse;
import io.runnel.wire.model.StopStreamEncryptionRequest;
import io.runnel.wire.model.StopStreamEncryptionResponse;
import io.runnel.wire.model.UpdateShardCountRequest;
import io.runnel.wire.model.UpdateShardCountResponse;
import io.runnel.wire.model.UpdateStreamModeRequest;
import io.runnel.wire.model.UpdateStreamModeResponse;
import java.util.HashMap;
import io.runnel.wire.model.UpdateMaxRecordSizeRequest;
import io.runnel.wire.model.UpdateMaxRecordSizeResponse;
import io.runnel.wire.model.UpdateStreamRecordDistributionStrategyRequest;
import io.runnel.wire.model.UpdateStreamRecordDistributionStrategyResponse;
import io.runnel.wire.model.PutResourcePolicyRequest;
import io.runnel.wire.model.PutResourcePolicyResponse;
import io.runnel.wire.model.GetResourcePolicyRequest;
import io.runnel.wire.model.GetResourcePolicyResponse;
import io.runnel.wire.model.DeleteResourcePolicyRequest;
import io.runnel.wire.model.DeleteResourcePolicyResponse;
import io.runnel.wire.model.TagResourceRequest;
import io.runnel.wire.model.TagResourceResponse;
import io.runnel.wire.model.UntagResourceRequest;
import io.runnel.wire.model.UntagResourceResponse;
import io.runnel.wire.model.ListTagsForResourceRequest;
import io.runnel.wire.model.ListTagsForResourceResponse;
import io.runnel.wire.model.DescribeAccountSettingsRequest;
import io.runnel.wire.model.DescribeAccountSettingsResponse;
import io.runnel.wire.model.UpdateAccountSettingsRequest;
import io.runnel.wire.model.UpdateAccountSettingsResponse;
import io.runnel.wire.model.UpdateStreamWarmThroughputRequest;
import io.runnel.wire.model.UpdateStreamWarmThroughputResponse;
import io.runnel.wire.model.CreateChannelRequest;
import io.runnel.wire.model.CreateChannelResponse;
import io.runnel.wire.model.DescribeChannelRequest;
import io.runnel.wire.model.DescribeChannelResponse;
import io.runnel.wire.model.ListChannelsRequest;
import io.runnel.wire.model.ListChannelsResponse;
import io.runnel.wire.model.UpdateChannelRequest;
import io.runnel.wire.model.UpdateChannelResponse;
import io.runnel.wire.model.DeleteChannelRequest;
import io.runnel.wire.model.DeleteChannelResponse;
import java.util.Map;

/**
 * The Kinesis Data Streams actions Runnel speaks, each with its {@code X-Amz-Target} and its request and response
 * types.
 */
public enum Operation {
    /** {@code CreateStream}: creates a stream. */
    CREATE_STREAM(CreateStreamRequest.class, CreateStreamResponse.class),
    /** {@code DeleteStream}: deletes a stream. */
    DELETE_STREAM(DeleteStreamRequest.class, DeleteStreamResponse.class),
    /** {@code DescribeStream}: a stream's status and shards, a page at a time. */
    DESCRIBE_STREAM(DescribeStreamRequest.class, DescribeStreamResponse.class),
    /** {@code DescribeStreamSummary}: a stream's status and settings, without its shards. */
    DESCRIBE_STREAM_SUMMARY(DescribeStreamSummaryRequest.class, DescribeStreamSummaryResponse.class),
    /** {@code ListStreams}: the account's streams. */
    LIST_STREAMS(ListStreamsRequest.class, ListStreamsResponse.class),
    /** {@code ListShards}: a stream's shards, optionally filtered. */
    LIST_SHARDS(ListShardsRequest.class, ListShardsResponse.class),
    /** {@code PutRecord}: writes one record. */
    PUT_RECORD(PutRecordRequest.class, PutRecordResponse.class),
    /** {@code PutRecords}: writes up to 500 records, each succeeding or failing on its own. */
    PUT_RECORDS(PutRecordsRequest.class, PutRecordsResponse.class),
    /** {@code GetShardIterator}: a position in a shard to read from. */
    GET_SHARD_ITERATOR(GetShardIteratorRequest.class, GetShardIteratorResponse.class),
    /** {@code GetRecords}: reads records from a shard iterator. */
    GET_RECORDS(GetRecordsRequest.class, GetRecordsResponse.class),
    /** {@code SplitShard}: splits a shard in two. */
    SPLIT_SHARD(SplitShardRequest.class, SplitShardResponse.class),
    /** {@code MergeShards}: merges two adjacent shards. */
    MERGE_SHARDS(MergeShardsRequest.class, MergeShardsResponse.class),
    /** {@code UpdateShardCount}: rescales a provisioned stream to a shard count. */
    UPDATE_SHARD_COUNT(UpdateShardCountRequest.class, UpdateShardCountResponse.class),
    /** {@code IncreaseStreamRetentionPeriod}: keeps records longer. */
    INCREASE_STREAM_RETENTION_PERIOD(IncreaseStreamRetentionPeriodRequest.class,
            IncreaseStreamRetentionPeriodResponse.class),
    /** {@code DecreaseStreamRetentionPeriod}: keeps records for less time. */
    DECREASE_STREAM_RETENTION_PERIOD(DecreaseStreamRetentionPeriodRequest.class,
            DecreaseStreamRetentionPeriodResponse.class),
    /** {@code EnableEnhancedMonitoring}: turns on shard-level metrics. */
    ENABLE_ENHANCED_MONITORING(EnableEnhancedMonitoringRequest.class, EnableEnhancedMonitoringResponse.class),
    /** {@code DisableEnhancedMonitoring}: turns off shard-level metrics. */
    DISABLE_ENHANCED_MONITORING(DisableEnhancedMonitoringRequest.class, DisableEnhancedMonitoringResponse.class),
    /** {@code AddTagsToStream}: adds or updates a stream's tags. */
    ADD_TAGS_TO_STREAM(AddTagsToStreamRequest.class, AddTagsToStreamResponse.class),
    /** {@code RemoveTagsFromStream}: removes tags from a stream. */
    REMOVE_TAGS_FROM_STREAM(RemoveTagsFromStreamRequest.class, RemoveTagsFromStreamResponse.class),
    /** {@code ListTagsForStream}: a stream's tags. */
    LIST_TAGS_FOR_STREAM(ListTagsForStreamRequest.class, ListTagsForStreamResponse.class),
    /** {@code DescribeLimits}: the account's shard limits and usage. */
    DESCRIBE_LIMITS(DescribeLimitsRequest.class, DescribeLimitsResponse.class),
    /** {@code UpdateStreamMode}: switches a stream between provisioned and on-demand. */
    UPDATE_STREAM_MODE(UpdateStreamModeRequest.class, UpdateStreamModeResponse.class),
    /** {@code RegisterStreamConsumer}: registers an enhanced fan-out consumer. */
    REGISTER_STREAM_CONSUMER(RegisterStreamConsumerRequest.class, RegisterStreamConsumerResponse.class),
    /** {@code DeregisterStreamConsumer}: deregisters an enhanced fan-out consumer. */
    DEREGISTER_STREAM_CONSUMER(DeregisterStreamConsumerRequest.class, DeregisterStreamConsumerResponse.class),
    /** {@code DescribeStreamConsumer}: an enhanced fan-out consumer's status. */
    DESCRIBE_STREAM_CONSUMER(DescribeStreamConsumerRequest.class, DescribeStreamConsumerResponse.class),
    /** {@code ListStreamConsumers}: a stream's enhanced fan-out consumers. */
    LIST_STREAM_CONSUMERS(ListStreamConsumersRequest.class, ListStreamConsumersResponse.class),
    /** {@code StartStreamEncryption}: turns on server-side encryption with a KMS key. */
    START_STREAM_ENCRYPTION(StartStreamEncryptionRequest.class, StartStreamEncryptionResponse.class),
    /** {@code StopStreamEncryption}: turns off server-side encryption. */
    STOP_STREAM_ENCRYPTION(StopStreamEncryptionRequest.class, StopStreamEncryptionResponse.class),
    /** {@code UpdateStreamRecordDistributionStrategy}: how an on-demand stream spreads records over shards. */
    UPDATE_STREAM_RECORD_DISTRIBUTION_STRATEGY(UpdateStreamRecordDistributionStrategyRequest.class,
            UpdateStreamRecordDistributionStrategyResponse.class),
    /** {@code UpdateMaxRecordSize}: a stream's largest record (1024 to 10240 KiB). */
    UPDATE_MAX_RECORD_SIZE(UpdateMaxRecordSizeRequest.class, UpdateMaxRecordSizeResponse.class),
    /** {@code PutResourcePolicy}: attaches a resource policy to a stream or consumer. */
    PUT_RESOURCE_POLICY(PutResourcePolicyRequest.class, PutResourcePolicyResponse.class),
    /** {@code GetResourcePolicy}: the resource policy of a stream or consumer. */
    GET_RESOURCE_POLICY(GetResourcePolicyRequest.class, GetResourcePolicyResponse.class),
    /** {@code DeleteResourcePolicy}: removes the resource policy of a stream or consumer. */
    DELETE_RESOURCE_POLICY(DeleteResourcePolicyRequest.class, DeleteResourcePolicyResponse.class),
    /** {@code TagResource}: adds or updates tags of a stream or consumer ARN. */
    TAG_RESOURCE(TagResourceRequest.class, TagResourceResponse.class),
    /** {@code UntagResource}: removes tags from a stream or consumer ARN. */
    UNTAG_RESOURCE(UntagResourceRequest.class, UntagResourceResponse.class),
    /** {@code ListTagsForResource}: the tags of a stream or consumer ARN. */
    LIST_TAGS_FOR_RESOURCE(ListTagsForResourceRequest.class, ListTagsForResourceResponse.class),
    /** {@code DescribeAccountSettings}: the account's minimum throughput billing commitment. */
    DESCRIBE_ACCOUNT_SETTINGS(DescribeAccountSettingsRequest.class, DescribeAccountSettingsResponse.class),
    /** {@code UpdateAccountSettings}: enables or disables the minimum throughput billing commitment. */
    UPDATE_ACCOUNT_SETTINGS(UpdateAccountSettingsRequest.class, UpdateAccountSettingsResponse.class),
    /** {@code UpdateStreamWarmThroughput}: the write throughput an on-demand stream is kept ready for. */
    UPDATE_STREAM_WARM_THROUGHPUT(UpdateStreamWarmThroughputRequest.class, UpdateStreamWarmThroughputResponse.class),
    /** {@code CreateChannel}: creates a channel delivering on-demand streams to S3 or S3 Tables. */
    CREATE_CHANNEL(CreateChannelRequest.class, CreateChannelResponse.class),
    /** {@code DescribeChannel}: a channel by ARN. */
    DESCRIBE_CHANNEL(DescribeChannelRequest.class, DescribeChannelResponse.class),
    /** {@code ListChannels}: the account's channels. */
    LIST_CHANNELS(ListChannelsRequest.class, ListChannelsResponse.class),
    /** {@code UpdateChannel}: a channel's data freshness and logging. */
    UPDATE_CHANNEL(UpdateChannelRequest.class, UpdateChannelResponse.class),
    /** {@code DeleteChannel}: deletes a channel. */
    DELETE_CHANNEL(DeleteChannelRequest.class, DeleteChannelResponse.class);

    /** The service prefix of every {@code X-Amz-Target}. */
    public static final String TARGET_PREFIX = "Kinesis_20131202.";

    private static final Map<String, Operation> BY_TARGET = new HashMap<>();

    static {
        for (Operation op : values()) {
            BY_TARGET.put(op.target, op);
        }
    }

    private final Class<? extends Record> requestType;
    private final Class<? extends Record> responseType;
    private final String actionName;
    private final String target;

    Operation(Class<? extends Record> requestType, Class<? extends Record> responseType) {
        this.requestType = requestType;
        this.responseType = responseType;
        String simple = requestType.getSimpleName();
        this.actionName = simple.substring(0, simple.length() - "Request".length());
        this.target = TARGET_PREFIX + actionName;
    }

    /** @return the action's name, e.g. {@code PutRecords} */
    public String actionName() {
        return actionName;
    }

    /** @return the {@code X-Amz-Target} header value, e.g. {@code Kinesis_20131202.PutRecords} */
    public String target() {
        return target;
    }

    /** @return the record type the action's request is encoded from */
    public Class<? extends Record> requestType() {
        return requestType;
    }

    /** @return the record type the action's response is decoded into */
    public Class<? extends Record> responseType() {
        return responseType;
    }

    /**
     * The operation of an {@code X-Amz-Target} header value.
     *
     * @param target the header value, e.g. {@code Kinesis_20131202.PutRecords}
     * @return the operation, or null when the target is null or names no action this enum knows
     */
    public static Operation fromTarget(String target) {
        return target == null ? null : BY_TARGET.get(target);
    }
}
