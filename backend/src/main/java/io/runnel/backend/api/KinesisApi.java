package io.runnel.backend.api;

import io.runnel.backend.store.ConsumerState;
import io.runnel.backend.store.GroupCommit;
import io.runnel.backend.store.ShardLog;
import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StoredRecord;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.HashKey;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.model.AddTagsToStreamRequest;
import io.runnel.wire.model.AddTagsToStreamResponse;
import io.runnel.wire.model.ChildShard;
import io.runnel.wire.model.Consumer;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.CreateStreamResponse;
import io.runnel.wire.model.DecreaseStreamRetentionPeriodRequest;
import io.runnel.wire.model.DecreaseStreamRetentionPeriodResponse;
import io.runnel.wire.model.DeleteStreamRequest;
import io.runnel.wire.model.DeleteStreamResponse;
import io.runnel.wire.model.DeregisterStreamConsumerRequest;
import io.runnel.wire.model.DeregisterStreamConsumerResponse;
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
import io.runnel.wire.model.PutRecordsRequestEntry;
import io.runnel.wire.model.PutRecordsResponse;
import io.runnel.wire.model.PutRecordsResultEntry;
import io.runnel.wire.model.RegisterStreamConsumerRequest;
import io.runnel.wire.model.RegisterStreamConsumerResponse;
import io.runnel.wire.model.RemoveTagsFromStreamRequest;
import io.runnel.wire.model.RemoveTagsFromStreamResponse;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardFilter;
import io.runnel.wire.model.SplitShardRequest;
import io.runnel.wire.model.SplitShardResponse;
import io.runnel.wire.model.StartStreamEncryptionRequest;
import io.runnel.wire.model.StartStreamEncryptionResponse;
import io.runnel.wire.model.StopStreamEncryptionRequest;
import io.runnel.wire.model.StopStreamEncryptionResponse;
import io.runnel.wire.model.StreamDescription;
import io.runnel.wire.model.StreamDescriptionSummary;
import io.runnel.wire.model.StreamRecord;
import io.runnel.wire.model.StreamSummary;
import io.runnel.wire.model.Tag;
import io.runnel.wire.model.UpdateShardCountRequest;
import io.runnel.wire.model.UpdateShardCountResponse;
import io.runnel.wire.model.UpdateStreamModeRequest;
import io.runnel.wire.model.UpdateStreamModeResponse;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every Kinesis action the backend serves: takes a decoded request, applies it to the {@link StreamStore} with
 * Kinesis' rules, and returns the response model. Refusals are {@link StoreException}s carrying the Kinesis error.
 * Thread-safe (the store is).
 */
public final class KinesisApi {
    private static final int MAX_PUT_RECORDS = 500;
    private static final long MAX_PUT_RECORDS_BYTES = 5L * 1024 * 1024;

    private final StreamStore store;
    private final TimeSource time;
    private final RequestValidator validator = new RequestValidator(ServiceModel.kinesis());
    private final GroupCommit groupCommit; // null: acknowledge once written to the OS
    private final WriteStats writeStats = new WriteStats();

    /**
     * An API over {@code store}.
     *
     * @param store       the streams
     * @param time        the clock for stream status, consumer timestamps and dry-run throttling
     * @param groupCommit when not null, puts are answered only once their records are on the storage device
     */
    public KinesisApi(StreamStore store, TimeSource time, GroupCommit groupCommit) {
        this.store = store;
        this.time = time;
        this.groupCommit = groupCommit;
    }

    /**
     * Checks a request's members against the Kinesis model before anything else looks at it.
     *
     * @param action  the action's name, e.g. {@code PutRecords}
     * @param request the request body's members ({@link RequestTree})
     * @throws StoreException a ValidationException naming every violation
     */
    public void validate(String action, Map<String, Object> request) {
        validator.validate(action, request);
    }

    /**
     * The request with the stream its {@code StreamId} names filled in as its StreamARN. Requests that name the
     * stream otherwise (StreamName, StreamARN, a consumer or resource ARN) must name the same stream.
     *
     * @param request  a decoded request
     * @param streamId the request's StreamId, or null (the request is returned as it is)
     * @return the request naming its stream by ARN
     * @throws StoreException ResourceNotFoundException when no stream has that id, InvalidArgumentException when the
     *                        request names another stream
     */
    public Record withStreamId(Record request, String streamId) {
        if (streamId == null) {
            return request;
        }
        RecordComponent[] components = request.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        int arnIndex = -1;
        String name = null;
        String arn = null;
        String otherArn = null;
        for (int i = 0; i < components.length; i++) {
            values[i] = component(components[i], request);
            switch (components[i].getName()) {
                case "streamName" -> name = (String) values[i];
                case "streamARN" -> {
                    arnIndex = i;
                    arn = (String) values[i];
                }
                case "resourceARN", "consumerARN" -> otherArn = otherArn != null ? otherArn : (String) values[i];
                default -> {
                }
            }
        }
        StreamState s = store.stream(name, arn, streamId);
        if (otherArn != null && !otherArn.equals(s.arn()) && !otherArn.startsWith(s.arn() + "/")) {
            throw new StoreException(StoreException.INVALID_ARGUMENT, "StreamId " + streamId
                    + " does not refer to the stream of " + otherArn + ".");
        }
        if (arnIndex < 0 || arn != null) {
            return request;
        }
        values[arnIndex] = s.arn();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            return (Record) request.getClass().getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + request.getClass().getSimpleName(), e);
        }
    }

    private static Object component(RecordComponent c, Record r) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    /** Dry runs each stream may make per second, across the data-plane actions (the documented 1 TPS). */
    private final Map<String, io.runnel.wire.internal.TokenBucket> dryRuns = new java.util.HashMap<>();

    /**
     * A data-plane request with {@code DryRun} set (PutRecord, PutRecords, GetRecords, GetShardIterator,
     * SubscribeToShard), already validated: checks that what it names exists as the action itself would, without
     * writing or reading a record, then refuses it as Kinesis does — {@code DryRunOperationException} when it would
     * have succeeded, {@code ThrottlingException} past one dry run per second per stream, or the action's own error.
     *
     * @param request the request, validated
     * @throws StoreException always
     */
    public void dryRun(Record request) {
        StreamState s;
        if (request instanceof PutRecordRequest r) {
            s = store.streamForWrite(r.streamName(), r.streamARN());
        } else if (request instanceof PutRecordsRequest r) {
            s = store.streamForWrite(r.streamName(), r.streamARN());
        } else if (request instanceof GetRecordsRequest r) {
            s = store.iteratorTarget(r.shardIterator()).getKey();
        } else if (request instanceof GetShardIteratorRequest r) {
            getShardIterator(r); // the shard and position exist (an iterator is made and dropped; nothing is read)
            s = store.stream(r.streamName(), r.streamARN());
        } else if (request instanceof io.runnel.wire.model.SubscribeToShardRequest r) {
            Map.Entry<StreamState, io.runnel.backend.store.ConsumerState> found = store.consumer(null, null,
                    r.consumerARN());
            s = found.getKey();
            if (s.shard(r.shardId()) == null) {
                throw new StoreException(StoreException.RESOURCE_NOT_FOUND, "Shard " + r.shardId() + " in stream "
                        + s.name() + " under account " + store.settings().accountId() + " does not exist");
            }
        } else {
            throw new StoreException(StoreException.VALIDATION, "DryRun is not a member of "
                    + request.getClass().getSimpleName().replace("Request", "") + ".");
        }
        boolean allowed;
        synchronized (dryRuns) {
            allowed = dryRuns.computeIfAbsent(s.arn(), arn -> new io.runnel.wire.internal.TokenBucket(1, 1))
                    .tryTake(1, time.nanos());
        }
        if (!allowed) {
            throw new StoreException("ThrottlingException", "Rate exceeded for dry runs on stream " + s.name()
                    + " under account " + store.settings().accountId() + " (1 per second).");
        }
        throw new StoreException("DryRunOperationException", "Request would have succeeded, but DryRun flag is set.");
    }

    /**
     * Applies one request, on the calling thread. With group commit, a put blocks until its records are on the
     * storage device.
     *
     * @param op      the action
     * @param request its decoded request, of the type the action takes
     * @return the action's response model
     * @throws StoreException        when Kinesis would refuse the request, with its error code
     * @throws IllegalStateException when a put's fsync failed or the backend is shutting down
     */
    public Record handle(Operation op, Record request) {
        return switch (op) {
            case CREATE_STREAM -> createStream((CreateStreamRequest) request);
            case DELETE_STREAM -> deleteStream((DeleteStreamRequest) request);
            case DESCRIBE_STREAM -> describeStream((DescribeStreamRequest) request);
            case DESCRIBE_STREAM_SUMMARY -> describeStreamSummary((DescribeStreamSummaryRequest) request);
            case LIST_STREAMS -> listStreams((ListStreamsRequest) request);
            case LIST_SHARDS -> listShards((ListShardsRequest) request);
            case PUT_RECORD -> putRecord((PutRecordRequest) request);
            case PUT_RECORDS -> putRecords((PutRecordsRequest) request);
            case UPDATE_STREAM_RECORD_DISTRIBUTION_STRATEGY -> {
                var r = (io.runnel.wire.model.UpdateStreamRecordDistributionStrategyRequest) request;
                store.setRecordDistributionStrategy(r.streamARN(), r.recordDistributionStrategy());
                yield new io.runnel.wire.model.UpdateStreamRecordDistributionStrategyResponse();
            }
            case UPDATE_MAX_RECORD_SIZE -> {
                var r = (io.runnel.wire.model.UpdateMaxRecordSizeRequest) request;
                store.setMaxRecordSize(r.streamARN(), r.maxRecordSizeInKiB());
                yield new io.runnel.wire.model.UpdateMaxRecordSizeResponse();
            }
            case GET_SHARD_ITERATOR -> getShardIterator((GetShardIteratorRequest) request);
            case GET_RECORDS -> getRecords((GetRecordsRequest) request);
            case SPLIT_SHARD -> splitShard((SplitShardRequest) request);
            case MERGE_SHARDS -> mergeShards((MergeShardsRequest) request);
            case UPDATE_SHARD_COUNT -> updateShardCount((UpdateShardCountRequest) request);
            case INCREASE_STREAM_RETENTION_PERIOD -> {
                IncreaseStreamRetentionPeriodRequest r = (IncreaseStreamRetentionPeriodRequest) request;
                store.setRetention(r.streamName(), r.streamARN(), r.retentionPeriodHours(), true);
                yield new IncreaseStreamRetentionPeriodResponse();
            }
            case DECREASE_STREAM_RETENTION_PERIOD -> {
                DecreaseStreamRetentionPeriodRequest r = (DecreaseStreamRetentionPeriodRequest) request;
                store.setRetention(r.streamName(), r.streamARN(), r.retentionPeriodHours(), false);
                yield new DecreaseStreamRetentionPeriodResponse();
            }
            case ENABLE_ENHANCED_MONITORING -> {
                EnableEnhancedMonitoringRequest r = (EnableEnhancedMonitoringRequest) request;
                StreamStore.MetricsChange c = store.setEnhancedMonitoring(r.streamName(), r.streamARN(),
                        r.shardLevelMetrics(), true);
                StreamState s = store.stream(r.streamName(), r.streamARN());
                yield new EnableEnhancedMonitoringResponse(s.name(), c.current(), c.desired(), s.arn());
            }
            case DISABLE_ENHANCED_MONITORING -> {
                DisableEnhancedMonitoringRequest r = (DisableEnhancedMonitoringRequest) request;
                StreamStore.MetricsChange c = store.setEnhancedMonitoring(r.streamName(), r.streamARN(),
                        r.shardLevelMetrics(), false);
                StreamState s = store.stream(r.streamName(), r.streamARN());
                yield new DisableEnhancedMonitoringResponse(s.name(), c.current(), c.desired(), s.arn());
            }
            case ADD_TAGS_TO_STREAM -> {
                AddTagsToStreamRequest r = (AddTagsToStreamRequest) request;
                store.addTags(r.streamName(), r.streamARN(), r.tags());
                yield new AddTagsToStreamResponse();
            }
            case REMOVE_TAGS_FROM_STREAM -> {
                RemoveTagsFromStreamRequest r = (RemoveTagsFromStreamRequest) request;
                store.removeTags(r.streamName(), r.streamARN(), r.tagKeys());
                yield new RemoveTagsFromStreamResponse();
            }
            case LIST_TAGS_FOR_STREAM -> {
                ListTagsForStreamRequest r = (ListTagsForStreamRequest) request;
                StreamStore.TagPage page = store.listTags(r.streamName(), r.streamARN(), r.exclusiveStartTagKey(),
                        r.limit());
                List<Tag> tags = new ArrayList<>();
                page.tags().forEach(e -> tags.add(new Tag(e.getKey(), e.getValue())));
                yield new ListTagsForStreamResponse(tags, page.hasMore());
            }
            case TAG_RESOURCE -> {
                var r = (io.runnel.wire.model.TagResourceRequest) request;
                store.tagResource(r.resourceARN(), r.tags());
                yield new io.runnel.wire.model.TagResourceResponse();
            }
            case UNTAG_RESOURCE -> {
                var r = (io.runnel.wire.model.UntagResourceRequest) request;
                store.untagResource(r.resourceARN(), r.tagKeys());
                yield new io.runnel.wire.model.UntagResourceResponse();
            }
            case LIST_TAGS_FOR_RESOURCE -> {
                var r = (io.runnel.wire.model.ListTagsForResourceRequest) request;
                List<Tag> tags = new ArrayList<>();
                store.resourceTags(r.resourceARN()).forEach((k, v) -> tags.add(new Tag(k, v)));
                yield new io.runnel.wire.model.ListTagsForResourceResponse(tags);
            }
            case PUT_RESOURCE_POLICY -> {
                var r = (io.runnel.wire.model.PutResourcePolicyRequest) request;
                store.putResourcePolicy(r.resourceARN(), r.policy());
                yield new io.runnel.wire.model.PutResourcePolicyResponse();
            }
            case GET_RESOURCE_POLICY -> {
                var r = (io.runnel.wire.model.GetResourcePolicyRequest) request;
                yield new io.runnel.wire.model.GetResourcePolicyResponse(store.resourcePolicy(r.resourceARN()));
            }
            case DELETE_RESOURCE_POLICY -> {
                var r = (io.runnel.wire.model.DeleteResourcePolicyRequest) request;
                store.deleteResourcePolicy(r.resourceARN());
                yield new io.runnel.wire.model.DeleteResourcePolicyResponse();
            }
            case DESCRIBE_ACCOUNT_SETTINGS -> new io.runnel.wire.model.DescribeAccountSettingsResponse(
                    commitment(store.commitment()));
            case UPDATE_ACCOUNT_SETTINGS -> {
                var r = (io.runnel.wire.model.UpdateAccountSettingsRequest) request;
                yield new io.runnel.wire.model.UpdateAccountSettingsResponse(commitment(
                        store.updateCommitment(r.minimumThroughputBillingCommitment().status())));
            }
            case UPDATE_STREAM_WARM_THROUGHPUT -> {
                var r = (io.runnel.wire.model.UpdateStreamWarmThroughputRequest) request;
                StreamStore.WarmThroughput w = store.updateWarmThroughput(r.streamName(), r.streamARN(), r.streamId(),
                        r.warmThroughputMiBps());
                yield new io.runnel.wire.model.UpdateStreamWarmThroughputResponse(w.stream().arn(), w.stream().name(),
                        new io.runnel.wire.model.WarmThroughputObject(w.targetMiBps(), w.currentMiBps()));
            }
            case CREATE_CHANNEL -> new io.runnel.wire.model.CreateChannelResponse(
                    store.channels().create((io.runnel.wire.model.CreateChannelRequest) request));
            case DESCRIBE_CHANNEL -> new io.runnel.wire.model.DescribeChannelResponse(store.channels()
                    .describe(((io.runnel.wire.model.DescribeChannelRequest) request).channelARN()));
            case LIST_CHANNELS -> listChannels((io.runnel.wire.model.ListChannelsRequest) request);
            case UPDATE_CHANNEL -> new io.runnel.wire.model.UpdateChannelResponse(
                    store.channels().update((io.runnel.wire.model.UpdateChannelRequest) request));
            case DELETE_CHANNEL -> {
                store.channels().delete(((io.runnel.wire.model.DeleteChannelRequest) request).channelARN());
                yield new io.runnel.wire.model.DeleteChannelResponse();
            }
            case DESCRIBE_LIMITS -> {
                StreamStore.Limits l = store.limits();
                yield new DescribeLimitsResponse(l.shardLimit(), l.openShardCount(), l.onDemandStreamCount(),
                        l.onDemandStreamCountLimit());
            }
            case UPDATE_STREAM_MODE -> {
                UpdateStreamModeRequest r = (UpdateStreamModeRequest) request;
                store.setMode(r.streamARN(), mode(r.streamModeDetails().streamMode()));
                yield new UpdateStreamModeResponse();
            }
            case REGISTER_STREAM_CONSUMER -> {
                RegisterStreamConsumerRequest r = (RegisterStreamConsumerRequest) request;
                ConsumerState c = store.registerConsumer(r.streamARN(), r.consumerName());
                yield new RegisterStreamConsumerResponse(Models.consumer(c, time.millis()));
            }
            case DEREGISTER_STREAM_CONSUMER -> {
                DeregisterStreamConsumerRequest r = (DeregisterStreamConsumerRequest) request;
                store.deregisterConsumer(r.streamARN(), r.consumerName(), r.consumerARN());
                yield new DeregisterStreamConsumerResponse();
            }
            case DESCRIBE_STREAM_CONSUMER -> {
                DescribeStreamConsumerRequest r = (DescribeStreamConsumerRequest) request;
                var found = store.consumer(r.streamARN(), r.consumerName(), r.consumerARN());
                yield new DescribeStreamConsumerResponse(Models.consumerDescription(found.getKey(), found.getValue(),
                        time.millis()));
            }
            case LIST_STREAM_CONSUMERS -> listConsumers((ListStreamConsumersRequest) request);
            case START_STREAM_ENCRYPTION -> {
                StartStreamEncryptionRequest r = (StartStreamEncryptionRequest) request;
                store.setEncryption(r.streamName(), r.streamARN(), r.encryptionType(), r.keyId(), true);
                yield new StartStreamEncryptionResponse();
            }
            case STOP_STREAM_ENCRYPTION -> {
                StopStreamEncryptionRequest r = (StopStreamEncryptionRequest) request;
                store.setEncryption(r.streamName(), r.streamARN(), r.encryptionType(), r.keyId(), false);
                yield new StopStreamEncryptionResponse();
            }
        };
    }

    private static StreamState.Mode mode(String mode) {
        if ("ON_DEMAND".equals(mode)) {
            return StreamState.Mode.ON_DEMAND;
        }
        if (mode == null || "PROVISIONED".equals(mode)) {
            return StreamState.Mode.PROVISIONED;
        }
        throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '" + mode
                + "' at 'streamModeDetails.streamMode' failed to satisfy constraint: Member must satisfy enum value"
                + " set: [PROVISIONED, ON_DEMAND]");
    }

    private CreateStreamResponse createStream(CreateStreamRequest r) {
        StreamState.Mode mode = mode(r.streamModeDetails() == null ? null : r.streamModeDetails().streamMode());
        if (r.tags() != null && r.tags().size() > 50) {
            throw new StoreException(StoreException.INVALID_ARGUMENT, "A stream can have at most 50 tags.");
        }
        store.createStream(r.streamName(), r.shardCount(), mode, r.maxRecordSizeInKiB(),
                r.recordDistributionStrategy(), r.warmThroughputMiBps());
        if (r.tags() != null && !r.tags().isEmpty()) {
            List<Map.Entry<String, String>> all = new ArrayList<>(r.tags().entrySet());
            for (int i = 0; i < all.size(); i += 10) {
                Map<String, String> chunk = new LinkedHashMap<>();
                all.subList(i, Math.min(all.size(), i + 10)).forEach(e -> chunk.put(e.getKey(), e.getValue()));
                store.addTags(r.streamName(), null, chunk);
            }
        }
        return new CreateStreamResponse();
    }

    private DeleteStreamResponse deleteStream(DeleteStreamRequest r) {
        store.deleteStream(r.streamName(), r.streamARN(), Boolean.TRUE.equals(r.enforceConsumerDeletion()));
        return new DeleteStreamResponse();
    }

    private DescribeStreamResponse describeStream(DescribeStreamRequest r) {
        StreamState s = store.stream(r.streamName(), r.streamARN());
        int limit = r.limit() == null ? 100 : r.limit();
        if (limit < 1 || limit > 10_000) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000");
        }
        List<Shard> shards = new ArrayList<>();
        boolean more = false;
        for (ShardState shard : s.shards()) {
            if (r.exclusiveStartShardId() != null && shard.shardId().compareTo(r.exclusiveStartShardId()) <= 0) {
                continue;
            }
            if (shards.size() == limit) {
                more = true;
                break;
            }
            shards.add(Models.shard(shard));
        }
        return new DescribeStreamResponse(new StreamDescription(s.name(), s.arn(), s.status(time.millis()).name(),
                Models.mode(s), shards, more, s.retentionHours(), Models.created(s), Models.monitoring(s),
                s.encryptionType(), s.keyId()));
    }

    private DescribeStreamSummaryResponse describeStreamSummary(DescribeStreamSummaryRequest r) {
        StreamState s = store.stream(r.streamName(), r.streamARN());
        long now = time.millis();
        int consumers = (int) s.consumers().stream().filter(c -> !"DELETING".equals(c.status(now))).count();
        int[] warm = s.warmThroughput(now);
        return new DescribeStreamSummaryResponse(new StreamDescriptionSummary(s.name(), s.arn(), s.streamId(),
                s.status(now).name(), Models.mode(s), s.retentionHours(), Models.created(s), Models.monitoring(s),
                s.encryptionType(), s.keyId(), s.openShards().size(), consumers, s.maxRecordSizeKiB(),
                s.recordDistributionStrategy(),
                warm == null ? null : new io.runnel.wire.model.WarmThroughputObject(warm[0], warm[1])));
    }

    private static io.runnel.wire.model.MinimumThroughputBillingCommitmentOutput commitment(
            StreamStore.Commitment c) {
        return new io.runnel.wire.model.MinimumThroughputBillingCommitmentOutput(c.status().name(),
                instantOrNull(c.startedAtMillis()), instantOrNull(c.endedAtMillis()),
                instantOrNull(c.earliestAllowedEndMillis()));
    }

    private static Instant instantOrNull(long epochMillis) {
        return epochMillis < 0 ? null : Instant.ofEpochMilli(epochMillis);
    }

    private io.runnel.wire.model.ListChannelsResponse listChannels(io.runnel.wire.model.ListChannelsRequest r) {
        long now = time.millis();
        String after = r.nextToken() == null ? null : PageTokens.decode(r.nextToken(), "channels", now).after();
        var page = store.channels().list(r.streamFilter(), r.maxResults(), after);
        var summaries = page.channels();
        String next = page.more() ? PageTokens.encode(new PageTokens.Page("channels", "", 0,
                summaries.get(summaries.size() - 1).channelName(), now)) : null;
        return new io.runnel.wire.model.ListChannelsResponse(summaries, next);
    }

    private ListStreamsResponse listStreams(ListStreamsRequest r) {
        int limit = r.limit() == null ? 100 : r.limit();
        if (limit < 1 || limit > 10_000) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '" + limit
                    + "' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000");
        }
        String after = r.exclusiveStartStreamName();
        long now = time.millis();
        if (r.nextToken() != null) {
            if (after != null) {
                throw new StoreException(StoreException.INVALID_ARGUMENT,
                        "NextToken and ExclusiveStartStreamName cannot be provided together.");
            }
            after = PageTokens.decode(r.nextToken(), "streams", now).after();
        }
        List<String> names = new ArrayList<>();
        List<StreamSummary> summaries = new ArrayList<>();
        boolean more = false;
        for (StreamState s : store.streams()) {
            if (after != null && s.name().compareTo(after) <= 0) {
                continue;
            }
            if (names.size() == limit) {
                more = true;
                break;
            }
            names.add(s.name());
            summaries.add(new StreamSummary(s.name(), s.arn(), s.status(now).name(), Models.mode(s),
                    Models.created(s)));
        }
        String next = more ? PageTokens.encode(new PageTokens.Page("streams", "", 0, names.get(names.size() - 1),
                now)) : null;
        return new ListStreamsResponse(names, more, next, summaries);
    }

    private ListShardsResponse listShards(ListShardsRequest r) {
        long now = time.millis();
        StreamState s;
        String afterShard = r.exclusiveStartShardId();
        if (r.nextToken() != null) {
            if (r.streamName() != null || r.exclusiveStartShardId() != null || r.streamCreationTimestamp() != null) {
                throw new StoreException(StoreException.INVALID_ARGUMENT, "NextToken and StreamName,"
                        + " ExclusiveStartShardId or StreamCreationTimestamp cannot be provided together.");
            }
            PageTokens.Page page = PageTokens.decode(r.nextToken(), "shards", now);
            s = store.stream(page.stream(), null);
            if (s.creationMillis() != page.streamCreationMillis()) {
                throw new StoreException(StoreException.RESOURCE_NOT_FOUND, "Stream " + page.stream()
                        + " was deleted since the NextToken was issued.");
            }
            afterShard = page.after();
        } else {
            s = store.stream(r.streamName(), r.streamARN());
        }
        int max = r.maxResults() == null ? 1000 : r.maxResults();
        if (max < 1 || max > 10_000) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 10000");
        }
        List<ShardState> selected = filter(s, r.shardFilter());
        List<Shard> shards = new ArrayList<>();
        boolean more = false;
        for (ShardState shard : selected) {
            if (afterShard != null && shard.shardId().compareTo(afterShard) <= 0) {
                continue;
            }
            if (shards.size() == max) {
                more = true;
                break;
            }
            shards.add(Models.shard(shard));
        }
        String next = more ? PageTokens.encode(new PageTokens.Page("shards", s.name(), s.creationMillis(),
                shards.get(shards.size() - 1).shardId(), now)) : null;
        return new ListShardsResponse(shards, next);
    }

    private List<ShardState> filter(StreamState s, ShardFilter f) {
        List<ShardState> all = s.shards();
        if (f == null) {
            return all;
        }
        List<ShardState> out = new ArrayList<>();
        switch (f.type()) {
            case "AFTER_SHARD_ID" -> {
                if (f.shardId() == null) {
                    throw new StoreException(StoreException.INVALID_ARGUMENT,
                            "ShardFilter of type AFTER_SHARD_ID needs a ShardId.");
                }
                all.stream().filter(x -> x.shardId().compareTo(f.shardId()) > 0).forEach(out::add);
            }
            case "FROM_TRIM_HORIZON" -> out.addAll(all);
            case "AT_TRIM_HORIZON" -> {
                Set<String> held = new HashSet<>();
                all.forEach(x -> held.add(x.shardId()));
                all.stream().filter(x -> !held.contains(x.parentShardId()) && !held.contains(x.adjacentParentShardId()))
                        .forEach(out::add);
            }
            case "AT_LATEST" -> all.stream().filter(ShardState::isOpen).forEach(out::add);
            case "AT_TIMESTAMP", "FROM_TIMESTAMP" -> {
                if (f.timestamp() == null) {
                    throw new StoreException(StoreException.INVALID_ARGUMENT, "ShardFilter of type " + f.type()
                            + " needs a Timestamp.");
                }
                long at = f.timestamp().toEpochMilli();
                boolean exact = f.type().equals("AT_TIMESTAMP");
                for (ShardState x : all) {
                    boolean openAt = x.createdMillis() <= at && x.log().closedMillis() > at;
                    boolean openAfter = x.log().closedMillis() > at;
                    if (exact ? openAt || (x.createdMillis() > at && isRoot(all, x)) : openAfter) {
                        out.add(x);
                    }
                }
            }
            default -> throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '"
                    + f.type() + "' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum"
                    + " value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP,"
                    + " FROM_TIMESTAMP]");
        }
        return out;
    }

    private static boolean isRoot(List<ShardState> all, ShardState x) {
        return all.stream().noneMatch(p -> p.shardId().equals(x.parentShardId())
                || p.shardId().equals(x.adjacentParentShardId()));
    }

    /** Bytes a record counts for: data plus partition key. */
    private static long wireBytes(String partitionKey, byte[] data) {
        return data.length + (partitionKey == null ? 0 : partitionKey.length());
    }

    /** {@return what PutRecord and PutRecords have stored so far} */
    public WriteStats writeStats() {
        return writeStats;
    }

    private PutRecordResponse putRecord(PutRecordRequest r) {
        StreamState s = store.streamForWrite(r.streamName(), r.streamARN());
        if (s.autoDistribution() && r.sequenceNumberForOrdering() != null) {
            throw new StoreException(StoreException.INVALID_ARGUMENT, "SequenceNumberForOrdering is not supported on"
                    + " streams whose RecordDistributionStrategy is AUTO.");
        }
        HashKey key = store.hashKeyOf(s, r.partitionKey(), r.explicitHashKey(), r.data());
        StreamStore.PutOutcome out = store.put(s, key, r.partitionKey(), r.data());
        if (out.throttled()) {
            throw new StoreException(StoreException.PROVISIONED_THROUGHPUT_EXCEEDED,
                    store.throttledMessage(s, out.shard()));
        }
        if (groupCommit != null) {
            groupCommit.awaitDurable(List.of(out.shard().log()));
        }
        writeStats.request(1, WriteStats.userRecordsIn(r.data()), wireBytes(r.partitionKey(), r.data()));
        return new PutRecordResponse(out.shard().shardId(), out.sequenceNumber(), s.encryptionType());
    }

    private PutRecordsResponse putRecords(PutRecordsRequest r) {
        StreamState s = store.streamForWrite(r.streamName(), r.streamARN());
        List<PutRecordsRequestEntry> entries = r.records();
        if (entries.isEmpty() || entries.size() > MAX_PUT_RECORDS) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '[...]' at"
                    + " 'records' failed to satisfy constraint: Member must have length less than or equal to "
                    + MAX_PUT_RECORDS + " and greater than or equal to 1 (was " + entries.size() + ")");
        }
        HashKey[] keys = new HashKey[entries.size()];
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            PutRecordsRequestEntry e = entries.get(i);
            keys[i] = store.hashKeyOf(s, e.partitionKey(), e.explicitHashKey(), e.data());
            total += wireBytes(e.partitionKey(), e.data());
        }
        // 5 MiB per request; a stream raised past that takes a request of one record of its maximum size
        if (total > MAX_PUT_RECORDS_BYTES && entries.size() > 1) {
            throw new StoreException(StoreException.INVALID_ARGUMENT, "Records size exceeds 5 MB limit (" + total
                    + " bytes).");
        }
        List<PutRecordsResultEntry> results = new ArrayList<>(entries.size());
        int failed = 0;
        long storedUserRecords = 0;
        long storedBytes = 0;
        Set<ShardLog> touched = groupCommit != null ? new HashSet<>() : null;
        for (int i = 0; i < entries.size(); i++) {
            PutRecordsRequestEntry e = entries.get(i);
            StreamStore.PutOutcome out = store.put(s, keys[i], e.partitionKey(), e.data());
            if (out.throttled()) {
                failed++;
                results.add(new PutRecordsResultEntry(null, null, StoreException.PROVISIONED_THROUGHPUT_EXCEEDED,
                        store.throttledMessage(s, out.shard())));
            } else {
                results.add(new PutRecordsResultEntry(out.sequenceNumber(), out.shard().shardId(), null, null));
                storedUserRecords += WriteStats.userRecordsIn(e.data());
                storedBytes += wireBytes(e.partitionKey(), e.data());
                if (touched != null) {
                    touched.add(out.shard().log());
                }
            }
        }
        if (touched != null) {
            groupCommit.awaitDurable(touched);
        }
        writeStats.request(entries.size() - failed, storedUserRecords, storedBytes);
        return new PutRecordsResponse(failed, results, s.encryptionType());
    }

    private GetShardIteratorResponse getShardIterator(GetShardIteratorRequest r) {
        StreamStore.IteratorType type;
        try {
            type = StreamStore.IteratorType.valueOf(r.shardIteratorType());
        } catch (IllegalArgumentException e) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '"
                    + r.shardIteratorType() + "' at 'shardIteratorType' failed to satisfy constraint: Member must"
                    + " satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST,"
                    + " AT_TIMESTAMP]");
        }
        Instant ts = r.timestamp();
        return new GetShardIteratorResponse(store.shardIterator(r.streamName(), r.streamARN(), r.shardId(), type,
                r.startingSequenceNumber(), ts == null ? null : ts.toEpochMilli()));
    }

    private GetRecordsResponse getRecords(GetRecordsRequest r) {
        StreamStore.Records out = store.getRecords(r.shardIterator(), r.limit() == null ? 10_000 : r.limit());
        List<StreamRecord> records = new ArrayList<>(out.records().size());
        int shardIndex = out.shard().index();
        for (StoredRecord sr : out.records()) {
            records.add(new StreamRecord(io.runnel.backend.store.SequenceNumbers.format(sr.counter(), shardIndex),
                    Instant.ofEpochMilli(sr.arrivalMillis()), sr.data(), sr.partitionKey(), null));
        }
        List<ChildShard> children = null;
        if (out.nextShardIterator() == null) {
            children = new ArrayList<>();
            for (ShardState c : out.childShards()) {
                children.add(Models.child(c));
            }
        }
        return new GetRecordsResponse(records, out.nextShardIterator(), out.millisBehindLatest(), children);
    }

    private SplitShardResponse splitShard(SplitShardRequest r) {
        store.splitShard(r.streamName(), r.streamARN(), r.shardToSplit(), r.newStartingHashKey());
        return new SplitShardResponse();
    }

    private MergeShardsResponse mergeShards(MergeShardsRequest r) {
        store.mergeShards(r.streamName(), r.streamARN(), r.shardToMerge(), r.adjacentShardToMerge());
        return new MergeShardsResponse();
    }

    private UpdateShardCountResponse updateShardCount(UpdateShardCountRequest r) {
        if (!"UNIFORM_SCALING".equals(r.scalingType())) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '"
                    + r.scalingType() + "' at 'scalingType' failed to satisfy constraint: Member must satisfy enum"
                    + " value set: [UNIFORM_SCALING]");
        }
        int before = store.updateShardCount(r.streamName(), r.streamARN(), r.targetShardCount());
        StreamState s = store.stream(r.streamName(), r.streamARN());
        return new UpdateShardCountResponse(s.name(), before, r.targetShardCount(), s.arn());
    }

    private ListStreamConsumersResponse listConsumers(ListStreamConsumersRequest r) {
        long now = time.millis();
        int max = r.maxResults() == null ? 100 : r.maxResults();
        if (max < 1 || max > 10_000) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 10000");
        }
        String after = r.nextToken() == null ? null : PageTokens.decode(r.nextToken(), "consumers", now).after();
        List<Consumer> out = new ArrayList<>();
        boolean more = false;
        List<ConsumerState> consumers = new ArrayList<>(store.consumers(r.streamARN()));
        consumers.sort(java.util.Comparator.comparing(ConsumerState::name));
        for (ConsumerState c : consumers) {
            if (after != null && c.name().compareTo(after) <= 0) {
                continue;
            }
            if (out.size() == max) {
                more = true;
                break;
            }
            out.add(Models.consumer(c, now));
        }
        String next = more ? PageTokens.encode(new PageTokens.Page("consumers", r.streamARN(), 0,
                out.get(out.size() - 1).consumerName(), now)) : null;
        return new ListStreamConsumersResponse(out, next);
    }
}
