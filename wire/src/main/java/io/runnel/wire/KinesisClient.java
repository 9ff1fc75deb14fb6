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
 * <p>Which thread completes a future is the implementation's to say: {@link NettyKinesisClient} completes them on its
 * callback executor when one is set, else on a Netty event loop. A future that fails before any I/O is already
 * complete when returned, so callbacks added to it run on the calling thread. The action methods throw nothing
 * themselves but a {@link NullPointerException} for a null request.
 *
 * <p>Implementations are thread-safe. {@link NettyKinesisClient} is the one Runnel ships.
 */
public interface KinesisClient extends AutoCloseable {
    /**
     * Sends any request; the action methods below all delegate here.
     *
     * @param operation    the action to call
     * @param request      its request, of type {@code operation.requestType()}
     * @param responseType {@code operation.responseType()}
     * @param <R>          the response type
     * @return the decoded response, or a failure as described on {@link KinesisClient}
     * @throws NullPointerException     when {@code operation} or {@code request} is null
     * @throws IllegalArgumentException when {@code request} or {@code responseType} is not the operation's
     */
    <R extends Record> CompletableFuture<R> execute(Operation operation, Record request, Class<R> responseType);

    /** Closes connections; requests still in flight fail with {@code CLIENT_CLOSED}. */
    @Override
    void close();

    /**
     * The round trip of the most recently answered request, without the time it took to open its connection (TCP,
     * TLS handshake): what the next request on an open connection can expect. A producer sizes its first requests by
     * it before it has answers of its own; a cold connection's first call would make a near endpoint look far.
     *
     * @return nanoseconds, or 0 when no request was answered yet or this client does not measure it (the default)
     */
    default long recentRoundTripNanos() {
        return 0;
    }

    /**
     * Kinesis CreateStream.
     *
     * @param request the CreateStream parameters
     * @return the CreateStream response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<CreateStreamResponse> createStream(CreateStreamRequest request) {
        return execute(Operation.CREATE_STREAM, request, CreateStreamResponse.class);
    }

    /**
     * Kinesis DeleteStream.
     *
     * @param request the DeleteStream parameters
     * @return the DeleteStream response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DeleteStreamResponse> deleteStream(DeleteStreamRequest request) {
        return execute(Operation.DELETE_STREAM, request, DeleteStreamResponse.class);
    }

    /**
     * Kinesis DescribeStream.
     *
     * @param request the DescribeStream parameters
     * @return the DescribeStream response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DescribeStreamResponse> describeStream(DescribeStreamRequest request) {
        return execute(Operation.DESCRIBE_STREAM, request, DescribeStreamResponse.class);
    }

    /**
     * Kinesis DescribeStreamSummary.
     *
     * @param request the DescribeStreamSummary parameters
     * @return the DescribeStreamSummary response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DescribeStreamSummaryResponse> describeStreamSummary(
            DescribeStreamSummaryRequest request) {
        return execute(Operation.DESCRIBE_STREAM_SUMMARY, request, DescribeStreamSummaryResponse.class);
    }

    /**
     * Kinesis ListStreams.
     *
     * @param request the ListStreams parameters
     * @return the ListStreams response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<ListStreamsResponse> listStreams(ListStreamsRequest request) {
        return execute(Operation.LIST_STREAMS, request, ListStreamsResponse.class);
    }

    /**
     * Kinesis ListShards.
     *
     * @param request the ListShards parameters
     * @return the ListShards response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<ListShardsResponse> listShards(ListShardsRequest request) {
        return execute(Operation.LIST_SHARDS, request, ListShardsResponse.class);
    }

    /**
     * Kinesis PutRecord.
     *
     * @param request the PutRecord parameters
     * @return the PutRecord response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<PutRecordResponse> putRecord(PutRecordRequest request) {
        return execute(Operation.PUT_RECORD, request, PutRecordResponse.class);
    }

    /**
     * Kinesis PutRecords.
     *
     * @param request the PutRecords parameters
     * @return the PutRecords response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
        return execute(Operation.PUT_RECORDS, request, PutRecordsResponse.class);
    }

    /**
     * Kinesis PutRecords of records whose data are ranges of arrays, for callers that keep record data in reused
     * buffers. The arrays are read before this method returns and never after, so the caller may reuse them then.
     * This default copies each record's data into an array of its own and calls
     * {@link #putRecords(PutRecordsRequest)}; {@link NettyKinesisClient} encodes them into the request body directly.
     *
     * @param streamName the stream's name, or null when {@code streamARN} names it
     * @param streamARN  the stream's ARN, or null
     * @param records    the records
     * @return the PutRecords response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<PutRecordsResponse> putRecords(String streamName, String streamARN,
            PutRecordsEntries records) {
        return putRecords(records.toRequest(streamName, streamARN));
    }

    /**
     * Kinesis GetShardIterator.
     *
     * @param request the GetShardIterator parameters
     * @return the GetShardIterator response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<GetShardIteratorResponse> getShardIterator(GetShardIteratorRequest request) {
        return execute(Operation.GET_SHARD_ITERATOR, request, GetShardIteratorResponse.class);
    }

    /**
     * Kinesis GetRecords.
     *
     * @param request the GetRecords parameters
     * @return the GetRecords response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<GetRecordsResponse> getRecords(GetRecordsRequest request) {
        return execute(Operation.GET_RECORDS, request, GetRecordsResponse.class);
    }

    /**
     * Kinesis SplitShard.
     *
     * @param request the SplitShard parameters
     * @return the SplitShard response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<SplitShardResponse> splitShard(SplitShardRequest request) {
        return execute(Operation.SPLIT_SHARD, request, SplitShardResponse.class);
    }

    /**
     * Kinesis MergeShards.
     *
     * @param request the MergeShards parameters
     * @return the MergeShards response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<MergeShardsResponse> mergeShards(MergeShardsRequest request) {
        return execute(Operation.MERGE_SHARDS, request, MergeShardsResponse.class);
    }

    /**
     * Kinesis UpdateStreamRecordDistributionStrategy (AUTO or USER_PARTITION_KEY; on-demand streams).
     *
     * @param request the UpdateStreamRecordDistributionStrategy parameters
     * @return the UpdateStreamRecordDistributionStrategy response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.UpdateStreamRecordDistributionStrategyResponse>
            updateStreamRecordDistributionStrategy(
                    io.runnel.wire.model.UpdateStreamRecordDistributionStrategyRequest request) {
        return execute(Operation.UPDATE_STREAM_RECORD_DISTRIBUTION_STRATEGY, request,
                io.runnel.wire.model.UpdateStreamRecordDistributionStrategyResponse.class);
    }

    /**
     * Kinesis UpdateMaxRecordSize (1024 to 10240 KiB).
     *
     * @param request the UpdateMaxRecordSize parameters
     * @return the UpdateMaxRecordSize response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.UpdateMaxRecordSizeResponse> updateMaxRecordSize(
            io.runnel.wire.model.UpdateMaxRecordSizeRequest request) {
        return execute(Operation.UPDATE_MAX_RECORD_SIZE, request,
                io.runnel.wire.model.UpdateMaxRecordSizeResponse.class);
    }

    /**
     * Kinesis UpdateShardCount.
     *
     * @param request the UpdateShardCount parameters
     * @return the UpdateShardCount response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<UpdateShardCountResponse> updateShardCount(UpdateShardCountRequest request) {
        return execute(Operation.UPDATE_SHARD_COUNT, request, UpdateShardCountResponse.class);
    }

    /**
     * Kinesis IncreaseStreamRetentionPeriod.
     *
     * @param request the IncreaseStreamRetentionPeriod parameters
     * @return the IncreaseStreamRetentionPeriod response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<IncreaseStreamRetentionPeriodResponse> increaseStreamRetentionPeriod(
            IncreaseStreamRetentionPeriodRequest request) {
        return execute(Operation.INCREASE_STREAM_RETENTION_PERIOD, request,
                IncreaseStreamRetentionPeriodResponse.class);
    }

    /**
     * Kinesis DecreaseStreamRetentionPeriod.
     *
     * @param request the DecreaseStreamRetentionPeriod parameters
     * @return the DecreaseStreamRetentionPeriod response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DecreaseStreamRetentionPeriodResponse> decreaseStreamRetentionPeriod(
            DecreaseStreamRetentionPeriodRequest request) {
        return execute(Operation.DECREASE_STREAM_RETENTION_PERIOD, request,
                DecreaseStreamRetentionPeriodResponse.class);
    }

    /**
     * Kinesis EnableEnhancedMonitoring.
     *
     * @param request the EnableEnhancedMonitoring parameters
     * @return the EnableEnhancedMonitoring response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<EnableEnhancedMonitoringResponse> enableEnhancedMonitoring(
            EnableEnhancedMonitoringRequest request) {
        return execute(Operation.ENABLE_ENHANCED_MONITORING, request, EnableEnhancedMonitoringResponse.class);
    }

    /**
     * Kinesis DisableEnhancedMonitoring.
     *
     * @param request the DisableEnhancedMonitoring parameters
     * @return the DisableEnhancedMonitoring response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DisableEnhancedMonitoringResponse> disableEnhancedMonitoring(
            DisableEnhancedMonitoringRequest request) {
        return execute(Operation.DISABLE_ENHANCED_MONITORING, request, DisableEnhancedMonitoringResponse.class);
    }

    /**
     * Kinesis AddTagsToStream.
     *
     * @param request the AddTagsToStream parameters
     * @return the AddTagsToStream response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<AddTagsToStreamResponse> addTagsToStream(AddTagsToStreamRequest request) {
        return execute(Operation.ADD_TAGS_TO_STREAM, request, AddTagsToStreamResponse.class);
    }

    /**
     * Kinesis RemoveTagsFromStream.
     *
     * @param request the RemoveTagsFromStream parameters
     * @return the RemoveTagsFromStream response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<RemoveTagsFromStreamResponse> removeTagsFromStream(RemoveTagsFromStreamRequest request) {
        return execute(Operation.REMOVE_TAGS_FROM_STREAM, request, RemoveTagsFromStreamResponse.class);
    }

    /**
     * Kinesis ListTagsForStream.
     *
     * @param request the ListTagsForStream parameters
     * @return the ListTagsForStream response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<ListTagsForStreamResponse> listTagsForStream(ListTagsForStreamRequest request) {
        return execute(Operation.LIST_TAGS_FOR_STREAM, request, ListTagsForStreamResponse.class);
    }

    /**
     * Kinesis DescribeLimits.
     *
     * @param request the DescribeLimits parameters
     * @return the DescribeLimits response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DescribeLimitsResponse> describeLimits(DescribeLimitsRequest request) {
        return execute(Operation.DESCRIBE_LIMITS, request, DescribeLimitsResponse.class);
    }

    /**
     * Kinesis UpdateStreamMode.
     *
     * @param request the UpdateStreamMode parameters
     * @return the UpdateStreamMode response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<UpdateStreamModeResponse> updateStreamMode(UpdateStreamModeRequest request) {
        return execute(Operation.UPDATE_STREAM_MODE, request, UpdateStreamModeResponse.class);
    }

    /**
     * Kinesis RegisterStreamConsumer.
     *
     * @param request the RegisterStreamConsumer parameters
     * @return the RegisterStreamConsumer response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<RegisterStreamConsumerResponse> registerStreamConsumer(
            RegisterStreamConsumerRequest request) {
        return execute(Operation.REGISTER_STREAM_CONSUMER, request, RegisterStreamConsumerResponse.class);
    }

    /**
     * Kinesis DeregisterStreamConsumer.
     *
     * @param request the DeregisterStreamConsumer parameters
     * @return the DeregisterStreamConsumer response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DeregisterStreamConsumerResponse> deregisterStreamConsumer(
            DeregisterStreamConsumerRequest request) {
        return execute(Operation.DEREGISTER_STREAM_CONSUMER, request, DeregisterStreamConsumerResponse.class);
    }

    /**
     * Kinesis DescribeStreamConsumer.
     *
     * @param request the DescribeStreamConsumer parameters
     * @return the DescribeStreamConsumer response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<DescribeStreamConsumerResponse> describeStreamConsumer(
            DescribeStreamConsumerRequest request) {
        return execute(Operation.DESCRIBE_STREAM_CONSUMER, request, DescribeStreamConsumerResponse.class);
    }

    /**
     * Kinesis ListStreamConsumers.
     *
     * @param request the ListStreamConsumers parameters
     * @return the ListStreamConsumers response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<ListStreamConsumersResponse> listStreamConsumers(ListStreamConsumersRequest request) {
        return execute(Operation.LIST_STREAM_CONSUMERS, request, ListStreamConsumersResponse.class);
    }

    /**
     * Kinesis StartStreamEncryption.
     *
     * @param request the StartStreamEncryption parameters
     * @return the StartStreamEncryption response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<StartStreamEncryptionResponse> startStreamEncryption(
            StartStreamEncryptionRequest request) {
        return execute(Operation.START_STREAM_ENCRYPTION, request, StartStreamEncryptionResponse.class);
    }

    /**
     * Kinesis StopStreamEncryption.
     *
     * @param request the StopStreamEncryption parameters
     * @return the StopStreamEncryption response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<StopStreamEncryptionResponse> stopStreamEncryption(StopStreamEncryptionRequest request) {
        return execute(Operation.STOP_STREAM_ENCRYPTION, request, StopStreamEncryptionResponse.class);
    }

    /**
     * Kinesis PutResourcePolicy: attaches a resource policy (a JSON document) to a stream or consumer ARN.
     *
     * @param request the PutResourcePolicy parameters
     * @return the PutResourcePolicy response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.PutResourcePolicyResponse> putResourcePolicy(
            io.runnel.wire.model.PutResourcePolicyRequest request) {
        return execute(Operation.PUT_RESOURCE_POLICY, request, io.runnel.wire.model.PutResourcePolicyResponse.class);
    }

    /**
     * Kinesis GetResourcePolicy: the policy of a stream or consumer ARN ({@code {}} when it has none).
     *
     * @param request the GetResourcePolicy parameters
     * @return the GetResourcePolicy response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.GetResourcePolicyResponse> getResourcePolicy(
            io.runnel.wire.model.GetResourcePolicyRequest request) {
        return execute(Operation.GET_RESOURCE_POLICY, request, io.runnel.wire.model.GetResourcePolicyResponse.class);
    }

    /**
     * Kinesis DeleteResourcePolicy.
     *
     * @param request the DeleteResourcePolicy parameters
     * @return the DeleteResourcePolicy response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.DeleteResourcePolicyResponse> deleteResourcePolicy(
            io.runnel.wire.model.DeleteResourcePolicyRequest request) {
        return execute(Operation.DELETE_RESOURCE_POLICY, request,
                io.runnel.wire.model.DeleteResourcePolicyResponse.class);
    }

    /**
     * Kinesis TagResource: adds or updates tags of a stream or consumer ARN.
     *
     * @param request the TagResource parameters
     * @return the TagResource response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.TagResourceResponse> tagResource(
            io.runnel.wire.model.TagResourceRequest request) {
        return execute(Operation.TAG_RESOURCE, request, io.runnel.wire.model.TagResourceResponse.class);
    }

    /**
     * Kinesis UntagResource.
     *
     * @param request the UntagResource parameters
     * @return the UntagResource response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.UntagResourceResponse> untagResource(
            io.runnel.wire.model.UntagResourceRequest request) {
        return execute(Operation.UNTAG_RESOURCE, request, io.runnel.wire.model.UntagResourceResponse.class);
    }

    /**
     * Kinesis ListTagsForResource: every tag of a stream or consumer ARN.
     *
     * @param request the ListTagsForResource parameters
     * @return the ListTagsForResource response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.ListTagsForResourceResponse> listTagsForResource(
            io.runnel.wire.model.ListTagsForResourceRequest request) {
        return execute(Operation.LIST_TAGS_FOR_RESOURCE, request,
                io.runnel.wire.model.ListTagsForResourceResponse.class);
    }

    /**
     * Kinesis DescribeAccountSettings: the account's minimum throughput billing commitment.
     *
     * @param request the DescribeAccountSettings parameters
     * @return the DescribeAccountSettings response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.DescribeAccountSettingsResponse> describeAccountSettings(
            io.runnel.wire.model.DescribeAccountSettingsRequest request) {
        return execute(Operation.DESCRIBE_ACCOUNT_SETTINGS, request,
                io.runnel.wire.model.DescribeAccountSettingsResponse.class);
    }

    /**
     * Kinesis UpdateAccountSettings: enables or disables the minimum throughput billing commitment.
     *
     * @param request the UpdateAccountSettings parameters
     * @return the UpdateAccountSettings response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.UpdateAccountSettingsResponse> updateAccountSettings(
            io.runnel.wire.model.UpdateAccountSettingsRequest request) {
        return execute(Operation.UPDATE_ACCOUNT_SETTINGS, request,
                io.runnel.wire.model.UpdateAccountSettingsResponse.class);
    }

    /**
     * Kinesis UpdateStreamWarmThroughput: the write throughput (MiB/s) an on-demand stream is kept ready for.
     *
     * @param request the UpdateStreamWarmThroughput parameters
     * @return the UpdateStreamWarmThroughput response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.UpdateStreamWarmThroughputResponse> updateStreamWarmThroughput(
            io.runnel.wire.model.UpdateStreamWarmThroughputRequest request) {
        return execute(Operation.UPDATE_STREAM_WARM_THROUGHPUT, request,
                io.runnel.wire.model.UpdateStreamWarmThroughputResponse.class);
    }

    /**
     * Kinesis CreateChannel: a channel delivering on-demand streams to S3 or S3 Tables.
     *
     * @param request the CreateChannel parameters
     * @return the CreateChannel response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.CreateChannelResponse> createChannel(
            io.runnel.wire.model.CreateChannelRequest request) {
        return execute(Operation.CREATE_CHANNEL, request, io.runnel.wire.model.CreateChannelResponse.class);
    }

    /**
     * Kinesis DescribeChannel: a channel by ARN.
     *
     * @param request the DescribeChannel parameters
     * @return the DescribeChannel response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.DescribeChannelResponse> describeChannel(
            io.runnel.wire.model.DescribeChannelRequest request) {
        return execute(Operation.DESCRIBE_CHANNEL, request, io.runnel.wire.model.DescribeChannelResponse.class);
    }

    /**
     * Kinesis ListChannels: the account's channels, optionally those reading one stream.
     *
     * @param request the ListChannels parameters
     * @return the ListChannels response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.ListChannelsResponse> listChannels(
            io.runnel.wire.model.ListChannelsRequest request) {
        return execute(Operation.LIST_CHANNELS, request, io.runnel.wire.model.ListChannelsResponse.class);
    }

    /**
     * Kinesis UpdateChannel: a channel's data freshness and logging.
     *
     * @param request the UpdateChannel parameters
     * @return the UpdateChannel response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.UpdateChannelResponse> updateChannel(
            io.runnel.wire.model.UpdateChannelRequest request) {
        return execute(Operation.UPDATE_CHANNEL, request, io.runnel.wire.model.UpdateChannelResponse.class);
    }

    /**
     * Kinesis DeleteChannel: deletes a channel.
     *
     * @param request the DeleteChannel parameters
     * @return the DeleteChannel response, or a failure as described on {@link KinesisClient}
     */
    default CompletableFuture<io.runnel.wire.model.DeleteChannelResponse> deleteChannel(
            io.runnel.wire.model.DeleteChannelRequest request) {
        return execute(Operation.DELETE_CHANNEL, request, io.runnel.wire.model.DeleteChannelResponse.class);
    }
}
