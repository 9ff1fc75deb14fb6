package io.runnel.wire;

import io.runnel.wire.codec.Operation;
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
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous Kinesis Data Streams client: one method per action, each returning at once a future of the
 * response. A future fails with a {@link io.runnel.wire.error.KinesisServiceException} (the service refused; see its
 * subclasses and {@code isRetryable()}), a {@link io.runnel.wire.error.KinesisTransportException} (no well-formed
 * answer) or a {@link io.runnel.wire.error.ValidationException} (the request breaks an API rule and was not sent).
 *
 * <p>Implementations are thread-safe. {@link NettyKinesisClient} is the one Runnel ships.
 */
public interface KinesisClient extends AutoCloseable {
    /**
     * Sends any request.
     *
     * @param responseType {@code operation.responseType()}
     */
    <R extends Record> CompletableFuture<R> execute(Operation operation, Record request, Class<R> responseType);

    /** Closes connections; requests still in flight fail with {@code CLIENT_CLOSED}. */
    @Override
    void close();

    /** Kinesis CreateStream. */
    default CompletableFuture<CreateStreamResponse> createStream(CreateStreamRequest request) {
        return execute(Operation.CREATE_STREAM, request, CreateStreamResponse.class);
    }

    /** Kinesis DeleteStream. */
    default CompletableFuture<DeleteStreamResponse> deleteStream(DeleteStreamRequest request) {
        return execute(Operation.DELETE_STREAM, request, DeleteStreamResponse.class);
    }

    /** Kinesis DescribeStream. */
    default CompletableFuture<DescribeStreamResponse> describeStream(DescribeStreamRequest request) {
        return execute(Operation.DESCRIBE_STREAM, request, DescribeStreamResponse.class);
    }

    /** Kinesis DescribeStreamSummary. */
    default CompletableFuture<DescribeStreamSummaryResponse> describeStreamSummary(DescribeStreamSummaryRequest request) {
        return execute(Operation.DESCRIBE_STREAM_SUMMARY, request, DescribeStreamSummaryResponse.class);
    }

    /** Kinesis ListStreams. */
    default CompletableFuture<ListStreamsResponse> listStreams(ListStreamsRequest request) {
        return execute(Operation.LIST_STREAMS, request, ListStreamsResponse.class);
    }

    /** Kinesis ListShards. */
    default CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
        return execute(Operation.LIST_SHARDS, request, ListShardsResponse.class);
    }

    /** Kinesis PutRecord. */
    default CompletableFuture<PutRecordResponse> putRecord(PutRecordRequest request) {
        return execute(Operation.PUT_RECORD, request, PutRecordResponse.class);
    }

    /** Kinesis PutRecords. */
    default CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        return execute(Operation.PUT_RECORDS, request, PutRecordsResponse.class);
    }

    /** Kinesis GetShardIterator. */
    default CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
        return execute(Operation.GET_SHARD_ITERATOR, request, GetShardIteratorResponse.class);
    }

    /** Kinesis GetRecords. */
    default CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
        return execute(Operation.GET_RECORDS, request, GetRecordsResponse.class);
    }

    /** Kinesis SplitShard. */
    default CompletableFuture<SplitShardResponse> splitShard(SplitShardRequest request) {
        return execute(Operation.SPLIT_SHARD, request, SplitShardResponse.class);
    }

    /** Kinesis MergeShards. */
    default CompletableFuture<MergeShardsResponse> mergeShards(MergeShardsRequest request) {
        return execute(Operation.MERGE_SHARDS, request, MergeShardsResponse.class);
    }

    /** Kinesis UpdateStreamRecordDistributionStrategy (AUTO or USER_PARTITION_KEY; on-demand streams). */
    default CompletableFuture<io.runnel.wire.model.UpdateStreamRecordDistributionStrategyResponse>
            updateStreamRecordDistributionStrategy(
                    io.runnel.wire.model.UpdateStreamRecordDistributionStrategyRequest request) {
        return execute(Operation.UPDATE_STREAM_RECORD_DISTRIBUTION_STRATEGY, request,
                io.runnel.wire.model.UpdateStreamRecordDistributionStrategyResponse.class);
    }

    /** Kinesis UpdateMaxRecordSize (1024 to 10240 KiB). */
    default CompletableFuture<io.runnel.wire.model.UpdateMaxRecordSizeResponse> updateMaxRecordSize(
            io.runnel.wire.model.UpdateMaxRecordSizeRequest request) {
        return execute(Operation.UPDATE_MAX_RECORD_SIZE, request,
                io.runnel.wire.model.UpdateMaxRecordSizeResponse.class);
    }

    /** Kinesis UpdateShardCount. */
    default CompletableFuture<UpdateShardCountResponse> updateShardCount(UpdateShardCountRequest request) {
        return execute(Operation.UPDATE_SHARD_COUNT, request, UpdateShardCountResponse.class);
    }

    /** Kinesis IncreaseStreamRetentionPeriod. */
    default CompletableFuture<IncreaseStreamRetentionPeriodResponse> increaseStreamRetentionPeriod(IncreaseStreamRetentionPeriodRequest request) {
        return execute(Operation.INCREASE_STREAM_RETENTION_PERIOD, request, IncreaseStreamRetentionPeriodResponse.class);
    }

    /** Kinesis DecreaseStreamRetentionPeriod. */
    default CompletableFuture<DecreaseStreamRetentionPeriodResponse> decreaseStreamRetentionPeriod(DecreaseStreamRetentionPeriodRequest request) {
        return execute(Operation.DECREASE_STREAM_RETENTION_PERIOD, request, DecreaseStreamRetentionPeriodResponse.class);
    }

    /** Kinesis EnableEnhancedMonitoring. */
    default CompletableFuture<EnableEnhancedMonitoringResponse> enableEnhancedMonitoring(EnableEnhancedMonitoringRequest request) {
        return execute(Operation.ENABLE_ENHANCED_MONITORING, request, EnableEnhancedMonitoringResponse.class);
    }

    /** Kinesis DisableEnhancedMonitoring. */
    default CompletableFuture<DisableEnhancedMonitoringResponse> disableEnhancedMonitoring(DisableEnhancedMonitoringRequest request) {
        return execute(Operation.DISABLE_ENHANCED_MONITORING, request, DisableEnhancedMonitoringResponse.class);
    }

    /** Kinesis AddTagsToStream. */
    default CompletableFuture<AddTagsToStreamResponse> addTagsToStream(AddTagsToStreamRequest request) {
        return execute(Operation.ADD_TAGS_TO_STREAM, request, AddTagsToStreamResponse.class);
    }

    /** Kinesis RemoveTagsFromStream. */
    default CompletableFuture<RemoveTagsFromStreamResponse> removeTagsFromStream(RemoveTagsFromStreamRequest request) {
        return execute(Operation.REMOVE_TAGS_FROM_STREAM, request, RemoveTagsFromStreamResponse.class);
    }

    /** Kinesis ListTagsForStream. */
    default CompletableFuture<ListTagsForStreamResponse> listTagsForStream(ListTagsForStreamRequest request) {
        return execute(Operation.LIST_TAGS_FOR_STREAM, request, ListTagsForStreamResponse.class);
    }

    /** Kinesis DescribeLimits. */
    default CompletableFuture<DescribeLimitsResponse> describeLimits(DescribeLimitsRequest request) {
        return execute(Operation.DESCRIBE_LIMITS, request, DescribeLimitsResponse.class);
    }

    /** Kinesis UpdateStreamMode. */
    default CompletableFuture<UpdateStreamModeResponse> updateStreamMode(UpdateStreamModeRequest request) {
        return execute(Operation.UPDATE_STREAM_MODE, request, UpdateStreamModeResponse.class);
    }

    /** Kinesis RegisterStreamConsumer. */
    default CompletableFuture<RegisterStreamConsumerResponse> registerStreamConsumer(RegisterStreamConsumerRequest request) {
        return execute(Operation.REGISTER_STREAM_CONSUMER, request, RegisterStreamConsumerResponse.class);
    }

    /** Kinesis DeregisterStreamConsumer. */
    default CompletableFuture<DeregisterStreamConsumerResponse> deregisterStreamConsumer(DeregisterStreamConsumerRequest request) {
        return execute(Operation.DEREGISTER_STREAM_CONSUMER, request, DeregisterStreamConsumerResponse.class);
    }

    /** Kinesis DescribeStreamConsumer. */
    default CompletableFuture<DescribeStreamConsumerResponse> describeStreamConsumer(DescribeStreamConsumerRequest request) {
        return execute(Operation.DESCRIBE_STREAM_CONSUMER, request, DescribeStreamConsumerResponse.class);
    }

    /** Kinesis ListStreamConsumers. */
    default CompletableFuture<ListStreamConsumersResponse> listStreamConsumers(ListStreamConsumersRequest request) {
        return execute(Operation.LIST_STREAM_CONSUMERS, request, ListStreamConsumersResponse.class);
    }

    /** Kinesis StartStreamEncryption. */
    default CompletableFuture<StartStreamEncryptionResponse> startStreamEncryption(StartStreamEncryptionRequest request) {
        return execute(Operation.START_STREAM_ENCRYPTION, request, StartStreamEncryptionResponse.class);
    }

    /** Kinesis StopStreamEncryption. */
    default CompletableFuture<StopStreamEncryptionResponse> stopStreamEncryption(StopStreamEncryptionRequest request) {
        return execute(Operation.STOP_STREAM_ENCRYPTION, request, StopStreamEncryptionResponse.class);
    }

    /** Kinesis PutResourcePolicy: attaches a resource policy (a JSON document) to a stream or consumer ARN. */
    default CompletableFuture<io.runnel.wire.model.PutResourcePolicyResponse> putResourcePolicy(
            io.runnel.wire.model.PutResourcePolicyRequest request) {
        return execute(Operation.PUT_RESOURCE_POLICY, request, io.runnel.wire.model.PutResourcePolicyResponse.class);
    }

    /** Kinesis GetResourcePolicy: the policy of a stream or consumer ARN ({@code {}} when it has none). */
    default CompletableFuture<io.runnel.wire.model.GetResourcePolicyResponse> getResourcePolicy(
            io.runnel.wire.model.GetResourcePolicyRequest request) {
        return execute(Operation.GET_RESOURCE_POLICY, request, io.runnel.wire.model.GetResourcePolicyResponse.class);
    }

    /** Kinesis DeleteResourcePolicy. */
    default CompletableFuture<io.runnel.wire.model.DeleteResourcePolicyResponse> deleteResourcePolicy(
            io.runnel.wire.model.DeleteResourcePolicyRequest request) {
        return execute(Operation.DELETE_RESOURCE_POLICY, request,
                io.runnel.wire.model.DeleteResourcePolicyResponse.class);
    }

    /** Kinesis TagResource: adds or updates tags of a stream or consumer ARN. */
    default CompletableFuture<io.runnel.wire.model.TagResourceResponse> tagResource(
            io.runnel.wire.model.TagResourceRequest request) {
        return execute(Operation.TAG_RESOURCE, request, io.runnel.wire.model.TagResourceResponse.class);
    }

    /** Kinesis UntagResource. */
    default CompletableFuture<io.runnel.wire.model.UntagResourceResponse> untagResource(
            io.runnel.wire.model.UntagResourceRequest request) {
        return execute(Operation.UNTAG_RESOURCE, request, io.runnel.wire.model.UntagResourceResponse.class);
    }

    /** Kinesis ListTagsForResource: every tag of a stream or consumer ARN. */
    default CompletableFuture<io.runnel.wire.model.ListTagsForResourceResponse> listTagsForResource(
            io.runnel.wire.model.ListTagsForResourceRequest request) {
        return execute(Operation.LIST_TAGS_FOR_RESOURCE, request,
                io.runnel.wire.model.ListTagsForResourceResponse.class);
    }

    /** Kinesis DescribeAccountSettings: the account's minimum throughput billing commitment. */
    default CompletableFuture<io.runnel.wire.model.DescribeAccountSettingsResponse> describeAccountSettings(
            io.runnel.wire.model.DescribeAccountSettingsRequest request) {
        return execute(Operation.DESCRIBE_ACCOUNT_SETTINGS, request,
                io.runnel.wire.model.DescribeAccountSettingsResponse.class);
    }

    /** Kinesis UpdateAccountSettings: enables or disables the minimum throughput billing commitment. */
    default CompletableFuture<io.runnel.wire.model.UpdateAccountSettingsResponse> updateAccountSettings(
            io.runnel.wire.model.UpdateAccountSettingsRequest request) {
        return execute(Operation.UPDATE_ACCOUNT_SETTINGS, request,
                io.runnel.wire.model.UpdateAccountSettingsResponse.class);
    }

    /** Kinesis UpdateStreamWarmThroughput: the write throughput (MiB/s) an on-demand stream is kept ready for. */
    default CompletableFuture<io.runnel.wire.model.UpdateStreamWarmThroughputResponse> updateStreamWarmThroughput(
            io.runnel.wire.model.UpdateStreamWarmThroughputRequest request) {
        return execute(Operation.UPDATE_STREAM_WARM_THROUGHPUT, request,
                io.runnel.wire.model.UpdateStreamWarmThroughputResponse.class);
    }

    /** Kinesis CreateChannel: a channel delivering on-demand streams to S3 or S3 Tables. */
    default CompletableFuture<io.runnel.wire.model.CreateChannelResponse> createChannel(
            io.runnel.wire.model.CreateChannelRequest request) {
        return execute(Operation.CREATE_CHANNEL, request, io.runnel.wire.model.CreateChannelResponse.class);
    }

    /** Kinesis DescribeChannel: a channel by ARN. */
    default CompletableFuture<io.runnel.wire.model.DescribeChannelResponse> describeChannel(
            io.runnel.wire.model.DescribeChannelRequest request) {
        return execute(Operation.DESCRIBE_CHANNEL, request, io.runnel.wire.model.DescribeChannelResponse.class);
    }

    /** Kinesis ListChannels: the account's channels, optionally those reading one stream. */
    default CompletableFuture<io.runnel.wire.model.ListChannelsResponse> listChannels(
            io.runnel.wire.model.ListChannelsRequest request) {
        return execute(Operation.LIST_CHANNELS, request, io.runnel.wire.model.ListChannelsResponse.class);
    }

    /** Kinesis UpdateChannel: a channel's data freshness and logging. */
    default CompletableFuture<io.runnel.wire.model.UpdateChannelResponse> updateChannel(
            io.runnel.wire.model.UpdateChannelRequest request) {
        return execute(Operation.UPDATE_CHANNEL, request, io.runnel.wire.model.UpdateChannelResponse.class);
    }

    /** Kinesis DeleteChannel: deletes a channel. */
    default CompletableFuture<io.runnel.wire.model.DeleteChannelResponse> deleteChannel(
            io.runnel.wire.model.DeleteChannelRequest request) {
        return execute(Operation.DELETE_CHANNEL, request, io.runnel.wire.model.DeleteChannelResponse.class);
    }
}
