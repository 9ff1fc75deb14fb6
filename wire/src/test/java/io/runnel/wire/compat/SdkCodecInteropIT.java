package io.runnel.wire.compat;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runnel.wire.Protocol;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.model.ChildShard;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.CreateStreamResponse;
import io.runnel.wire.model.DescribeStreamRequest;
import io.runnel.wire.model.DescribeStreamResponse;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.DescribeStreamSummaryResponse;
import io.runnel.wire.model.EnhancedMetrics;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.GetShardIteratorResponse;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.ListShardsResponse;
import io.runnel.wire.model.ListStreamsRequest;
import io.runnel.wire.model.ListStreamsResponse;
import io.runnel.wire.model.PutRecordRequest;
import io.runnel.wire.model.PutRecordResponse;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsResponse;
import io.runnel.wire.model.PutRecordsResultEntry;
import io.runnel.wire.model.SequenceNumberRange;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.ShardHashKeyRange;
import io.runnel.wire.model.StreamDescription;
import io.runnel.wire.model.StreamDescriptionSummary;
import io.runnel.wire.model.StreamModeDetails;
import io.runnel.wire.model.StreamRecord;
import io.runnel.wire.model.StreamSummary;
import io.runnel.wire.testing.SdkClients;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Our codec against the AWS SDK v2 Kinesis client, both protocols: the requests the SDK sends decode with our codec
 * into the values the SDK was given, and responses our codec encodes parse in the SDK into the same values.
 */
class SdkCodecInteropIT {
    private static WireMockServer wireMock;

    @BeforeAll
    static void start() {
        wireMock = new WireMockServer(options().dynamicPort());
        wireMock.start();
    }

    @AfterAll
    static void stop() {
        wireMock.stop();
    }

    private static KinesisClient sdk(Protocol protocol) {
        return SdkClients.sdk(URI.create(wireMock.baseUrl()), protocol, "AKID", "SECRET");
    }

    /** Serves {@code response} (encoded by us) to the SDK call, returns the request the SDK sent, decoded by us. */
    private static <T extends Record, R> Exchange<T, R> exchange(Protocol protocol, Operation op, Class<T> requestType,
            Record response, Function<KinesisClient, R> call) throws Exception {
        KinesisCodec codec = KinesisCodec.of(protocol);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        codec.encodeResponse(op, response, body);
        wireMock.resetAll();
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(op.target()))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", codec.contentType())
                        .withBody(body.toByteArray())));
        R sdkResponse;
        try (KinesisClient client = sdk(protocol)) {
            sdkResponse = call.apply(client);
        }
        List<LoggedRequest> requests = wireMock.findAll(
                com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo("/")));
        assertThat(requests).hasSize(1);
        LoggedRequest sent = requests.get(0);
        assertThat(sent.getHeader("Content-Type")).startsWith(protocol.contentType());
        assertThat(sent.getHeader("X-Amz-Target")).isEqualTo(op.target());
        byte[] sentBody = sent.getBody();
        T decoded = codec.decode(requestType, sentBody, 0, sentBody.length);
        return new Exchange<>(decoded, sdkResponse);
    }

    private record Exchange<T, R>(T request, R response) {
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void putRecords(Protocol protocol) throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xFE, (byte) 0xFF, 0};
        PutRecordsResponse ours = new PutRecordsResponse(1, List.of(
                new PutRecordsResultEntry("49590338271490256608559692538361571095921575989136588898",
                        "shardId-000000000000", null, null),
                new PutRecordsResultEntry(null, null, "ProvisionedThroughputExceededException", "Rate exceeded")),
                "NONE");
        var x = exchange(protocol, Operation.PUT_RECORDS, PutRecordsRequest.class, ours, c -> c.putRecords(r -> r
                .streamName("orders")
                .records(b -> b.partitionKey("pk-1").data(SdkBytes.fromByteArray(binary)),
                        b -> b.partitionKey("ключ").explicitHashKey("12345")
                                .data(SdkBytes.fromByteArray(new byte[0])))));
        assertThat(x.request().streamName()).isEqualTo("orders");
        assertThat(x.request().records()).hasSize(2);
        assertThat(x.request().records().get(0).data()).isEqualTo(binary);
        assertThat(x.request().records().get(1).partitionKey()).isEqualTo("ключ");
        assertThat(x.request().records().get(1).explicitHashKey()).isEqualTo("12345");
        assertThat(x.request().records().get(1).data()).isEmpty();
        assertThat(x.response().failedRecordCount()).isEqualTo(1);
        assertThat(x.response().records().get(0).sequenceNumber()).isEqualTo(ours.records().get(0).sequenceNumber());
        assertThat(x.response().records().get(1).errorCode()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(x.response().records().get(1).errorMessage()).isEqualTo("Rate exceeded");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void putRecord(Protocol protocol) throws Exception {
        var x = exchange(protocol, Operation.PUT_RECORD, PutRecordRequest.class,
                new PutRecordResponse("shardId-000000000001", "4123", "KMS"), c -> c.putRecord(r -> r
                        .streamARN("arn:aws:kinesis:us-east-1:000000000000:stream/s").partitionKey("k")
                        .sequenceNumberForOrdering("41").data(SdkBytes.fromUtf8String("hello"))));
        assertThat(x.request().streamARN()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:stream/s");
        assertThat(x.request().data()).isEqualTo("hello".getBytes());
        assertThat(x.request().sequenceNumberForOrdering()).isEqualTo("41");
        assertThat(x.response().shardId()).isEqualTo("shardId-000000000001");
        assertThat(x.response().encryptionTypeAsString()).isEqualTo("KMS");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void getShardIteratorAtTimestamp(Protocol protocol) throws Exception {
        Instant at = Instant.parse("2026-11-25T04:15:50.123Z");
        var x = exchange(protocol, Operation.GET_SHARD_ITERATOR, GetShardIteratorRequest.class,
                new GetShardIteratorResponse("AAAA/iterator+=="), c -> c.getShardIterator(r -> r.streamName("s")
                        .shardId("shardId-000000000000").shardIteratorType(ShardIteratorType.AT_TIMESTAMP)
                        .timestamp(at)));
        assertThat(x.request().shardIteratorType()).isEqualTo("AT_TIMESTAMP");
        assertThat(x.request().timestamp()).isEqualTo(at);
        assertThat(x.response().shardIterator()).isEqualTo("AAAA/iterator+==");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void getRecordsWithLargeBinaryRecordsAndChildShards(Protocol protocol) throws Exception {
        byte[] big = new byte[300_000];
        new java.util.Random(1).nextBytes(big);
        Instant arrival = Instant.parse("2026-11-25T01:02:03.456Z");
        GetRecordsResponse ours = new GetRecordsResponse(List.of(
                new StreamRecord("1", arrival, big, "pk", null),
                new StreamRecord("2", arrival.plusMillis(1), new byte[0], "pk2", "NONE")),
                null, 0L, List.of(new ChildShard("shardId-000000000002", List.of("shardId-000000000000"),
                        new ShardHashKeyRange("0", "170141183460469231731687303715884105727"))));
        var x = exchange(protocol, Operation.GET_RECORDS, GetRecordsRequest.class, ours,
                c -> c.getRecords(r -> r.shardIterator("it").limit(1000)));
        assertThat(x.request().shardIterator()).isEqualTo("it");
        assertThat(x.request().limit()).isEqualTo(1000);
        assertThat(x.response().records()).hasSize(2);
        assertThat(x.response().records().get(0).data().asByteArray()).isEqualTo(big);
        assertThat(x.response().records().get(0).approximateArrivalTimestamp()).isEqualTo(arrival);
        assertThat(x.response().records().get(1).data().asByteArray()).isEmpty();
        assertThat(x.response().nextShardIterator()).isNull();
        assertThat(x.response().millisBehindLatest()).isZero();
        assertThat(x.response().childShards().get(0).parentShards()).containsExactly("shardId-000000000000");
        assertThat(x.response().childShards().get(0).hashKeyRange().endingHashKey())
                .isEqualTo("170141183460469231731687303715884105727");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void listShardsWithFilter(Protocol protocol) throws Exception {
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        ListShardsResponse ours = new ListShardsResponse(List.of(new Shard("shardId-000000000003",
                "shardId-000000000001", null, new ShardHashKeyRange("10", "20"),
                new SequenceNumberRange("4100", null))), "next-token");
        var x = exchange(protocol, Operation.LIST_SHARDS, ListShardsRequest.class, ours, c -> c.listShards(r -> r
                .streamName("s").maxResults(100).streamCreationTimestamp(created)
                .shardFilter(f -> f.type(ShardFilterType.AFTER_SHARD_ID).shardId("shardId-000000000001"))));
        assertThat(x.request().maxResults()).isEqualTo(100);
        assertThat(x.request().streamCreationTimestamp()).isEqualTo(created);
        assertThat(x.request().shardFilter().type()).isEqualTo("AFTER_SHARD_ID");
        assertThat(x.request().shardFilter().shardId()).isEqualTo("shardId-000000000001");
        assertThat(x.response().shards().get(0).parentShardId()).isEqualTo("shardId-000000000001");
        assertThat(x.response().shards().get(0).sequenceNumberRange().endingSequenceNumber()).isNull();
        assertThat(x.response().nextToken()).isEqualTo("next-token");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void describeStreamAndSummary(Protocol protocol) throws Exception {
        Instant created = Instant.parse("2026-11-25T00:00:00.250Z");
        StreamDescriptionSummary summary = new StreamDescriptionSummary("s", "arn:s", "abcdefghij0123456789-x1z",
                "ACTIVE", new StreamModeDetails("ON_DEMAND"), 24, created,
                List.of(new EnhancedMetrics(List.of("IncomingBytes"))), "NONE", null, 4, 2, 10_240, "AUTO",
                new io.runnel.wire.model.WarmThroughputObject(100, 20));
        var x = exchange(protocol, Operation.DESCRIBE_STREAM_SUMMARY, DescribeStreamSummaryRequest.class,
                new DescribeStreamSummaryResponse(summary), c -> c.describeStreamSummary(r -> r.streamName("s")));
        assertThat(x.request().streamName()).isEqualTo("s");
        var got = x.response().streamDescriptionSummary();
        assertThat(got.streamModeDetails().streamModeAsString()).isEqualTo("ON_DEMAND");
        assertThat(got.streamCreationTimestamp()).isEqualTo(created);
        assertThat(got.openShardCount()).isEqualTo(4);
        assertThat(got.consumerCount()).isEqualTo(2);
        assertThat(got.enhancedMonitoring().get(0).shardLevelMetricsAsStrings()).containsExactly("IncomingBytes");
        assertThat(got.maxRecordSizeInKiB()).isEqualTo(10_240);
        assertThat(got.recordDistributionStrategyAsString()).isEqualTo("AUTO");
        assertThat(got.streamId()).isEqualTo("abcdefghij0123456789-x1z");
        assertThat(got.warmThroughput().targetMiBps()).isEqualTo(100);
        assertThat(got.warmThroughput().currentMiBps()).isEqualTo(20);

        StreamDescription description = new StreamDescription("s", "arn:s", "UPDATING", null, List.of(), false, 48,
                created, List.of(new EnhancedMetrics(List.of())), "KMS", "alias/k");
        var d = exchange(protocol, Operation.DESCRIBE_STREAM, DescribeStreamRequest.class,
                new DescribeStreamResponse(description), c -> c.describeStream(r -> r.streamName("s").limit(10)
                        .exclusiveStartShardId("shardId-000000000000")));
        assertThat(d.request().limit()).isEqualTo(10);
        assertThat(d.request().exclusiveStartShardId()).isEqualTo("shardId-000000000000");
        assertThat(d.response().streamDescription().streamStatusAsString()).isEqualTo("UPDATING");
        assertThat(d.response().streamDescription().keyId()).isEqualTo("alias/k");
        assertThat(d.response().streamDescription().retentionPeriodHours()).isEqualTo(48);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void createAndListStreams(Protocol protocol) throws Exception {
        var x = exchange(protocol, Operation.CREATE_STREAM, CreateStreamRequest.class, new CreateStreamResponse(),
                c -> c.createStream(r -> r.streamName("s").shardCount(3)
                        .streamModeDetails(m -> m.streamMode("PROVISIONED")).tags(Map.of("team", "data"))
                        .maxRecordSizeInKiB(2048).recordDistributionStrategy("USER_PARTITION_KEY")));
        assertThat(x.request()).isEqualTo(new CreateStreamRequest("s", 3, new StreamModeDetails("PROVISIONED"),
                Map.of("team", "data"), 2048, "USER_PARTITION_KEY"));
        var u = exchange(protocol, Operation.UPDATE_STREAM_RECORD_DISTRIBUTION_STRATEGY,
                io.runnel.wire.model.UpdateStreamRecordDistributionStrategyRequest.class,
                new io.runnel.wire.model.UpdateStreamRecordDistributionStrategyResponse(),
                c -> c.updateStreamRecordDistributionStrategy(r -> r.streamARN("arn:s")
                        .recordDistributionStrategy("AUTO")));
        assertThat(u.request()).isEqualTo(new io.runnel.wire.model.UpdateStreamRecordDistributionStrategyRequest(
                "arn:s", null, "AUTO"));
        var m = exchange(protocol, Operation.UPDATE_MAX_RECORD_SIZE,
                io.runnel.wire.model.UpdateMaxRecordSizeRequest.class,
                new io.runnel.wire.model.UpdateMaxRecordSizeResponse(),
                c -> c.updateMaxRecordSize(r -> r.streamARN("arn:s").maxRecordSizeInKiB(10_240)));
        assertThat(m.request()).isEqualTo(new io.runnel.wire.model.UpdateMaxRecordSizeRequest("arn:s", null, 10_240));
        var l = exchange(protocol, Operation.LIST_STREAMS, ListStreamsRequest.class, new ListStreamsResponse(
                List.of("a", "b"), true, "tok", List.of(new StreamSummary("a", "arn:a", "ACTIVE",
                        new StreamModeDetails("PROVISIONED"), Instant.ofEpochSecond(1_700_000_000L)))),
                c -> c.listStreams(r -> r.limit(2).exclusiveStartStreamName("0")));
        assertThat(l.request().limit()).isEqualTo(2);
        assertThat(l.response().streamNames()).containsExactly("a", "b");
        assertThat(l.response().hasMoreStreams()).isTrue();
        assertThat(l.response().streamSummaries().get(0).streamCreationTimestamp())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void accountSettingsAndWarmThroughput(Protocol protocol) throws Exception {
        Instant started = Instant.parse("2026-12-01T10:00:00.125Z");
        Instant earliest = Instant.parse("2026-12-02T10:00:00.125Z");
        var commitment = new io.runnel.wire.model.MinimumThroughputBillingCommitmentOutput(
                "ENABLED_UNTIL_EARLIEST_ALLOWED_END", started, earliest, earliest);
        var describe = exchange(protocol, Operation.DESCRIBE_ACCOUNT_SETTINGS,
                io.runnel.wire.model.DescribeAccountSettingsRequest.class,
                new io.runnel.wire.model.DescribeAccountSettingsResponse(commitment),
                c -> c.describeAccountSettings(r -> { }));
        assertThat(describe.request()).isEqualTo(new io.runnel.wire.model.DescribeAccountSettingsRequest());
        var got = describe.response().minimumThroughputBillingCommitment();
        assertThat(got.statusAsString()).isEqualTo("ENABLED_UNTIL_EARLIEST_ALLOWED_END");
        assertThat(got.startedAt()).isEqualTo(started);
        assertThat(got.endedAt()).isEqualTo(earliest);
        assertThat(got.earliestAllowedEndAt()).isEqualTo(earliest);

        var update = exchange(protocol, Operation.UPDATE_ACCOUNT_SETTINGS,
                io.runnel.wire.model.UpdateAccountSettingsRequest.class,
                new io.runnel.wire.model.UpdateAccountSettingsResponse(
                        new io.runnel.wire.model.MinimumThroughputBillingCommitmentOutput("DISABLED",
                                null, null, null)),
                c -> c.updateAccountSettings(r -> r.minimumThroughputBillingCommitment(m -> m.status("ENABLED"))));
        assertThat(update.request().minimumThroughputBillingCommitment().status()).isEqualTo("ENABLED");
        assertThat(update.response().minimumThroughputBillingCommitment().statusAsString()).isEqualTo("DISABLED");
        assertThat(update.response().minimumThroughputBillingCommitment().startedAt()).isNull();

        var warm = exchange(protocol, Operation.UPDATE_STREAM_WARM_THROUGHPUT,
                io.runnel.wire.model.UpdateStreamWarmThroughputRequest.class,
                new io.runnel.wire.model.UpdateStreamWarmThroughputResponse("arn:s", "s",
                        new io.runnel.wire.model.WarmThroughputObject(250, 0)),
                // no StreamId: SDK 2.57.8's endpoint rules turn it into a host name ({id}.control-kinesis...),
                // ignoring the endpoint override
                c -> c.updateStreamWarmThroughput(r -> r.streamARN("arn:s").warmThroughputMiBps(250)));
        assertThat(warm.request()).isEqualTo(new io.runnel.wire.model.UpdateStreamWarmThroughputRequest("arn:s", null,
                null, 250));
        assertThat(warm.response().streamARN()).isEqualTo("arn:s");
        assertThat(warm.response().streamName()).isEqualTo("s");
        assertThat(warm.response().warmThroughput().targetMiBps()).isEqualTo(250);
        assertThat(warm.response().warmThroughput().currentMiBps()).isEqualTo(0);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void channels(Protocol protocol) throws Exception {
        Instant created = Instant.parse("2026-12-02T08:00:00.500Z");
        Instant streamCreated = Instant.parse("2026-12-01T08:00:00.250Z");
        var storage = new io.runnel.wire.model.S3StorageConfiguration("arn:aws:s3:::b", "111122223333", "p/{{x}}/",
                "STANDARD", "GZIP");
        var dlq = new io.runnel.wire.model.DeadLetterQueueS3Configuration("arn:aws:s3:::dlq", null, "err/");
        var description = new io.runnel.wire.model.ChannelDescription("c", "arn:c", "abcdefghij0123456789-x1z",
                "CREATING", null, created, "arn:aws:iam::000000000000:role/r",
                List.of(new io.runnel.wire.model.ChannelStreamDescription("arn:s", streamCreated,
                        new io.runnel.wire.model.RecordConfiguration("GSR_JSON", "arn:schema"))),
                new io.runnel.wire.model.S3DestinationConfiguration(60, dlq, storage), null,
                new io.runnel.wire.model.ChannelEncryptionConfiguration("KMS", "alias/k"),
                new io.runnel.wire.model.ChannelLoggingConfiguration(
                        new io.runnel.wire.model.CloudWatchLogs(true, "g", "s")));
        var create = exchange(protocol, Operation.CREATE_CHANNEL, io.runnel.wire.model.CreateChannelRequest.class,
                new io.runnel.wire.model.CreateChannelResponse(description),
                c -> c.createChannel(r -> r.channelName("c").serviceExecutionRoleARN("arn:aws:iam::000000000000:role/r")
                        .streamConfigurationList(s -> s.streamARN("arn:s")
                                .recordConfiguration(rc -> rc.recordFormatType("GSR_JSON").gsrSchemaARN("arn:schema")))
                        .s3TablesDestinationConfiguration(d -> d.dataFreshnessInSeconds(30)
                                .s3TablesConfigurationList(t -> t.tableBucketARN("arn:tb").namespace("n")
                                        .tableName("t").compressionType("ZSTD")
                                        .partitionSpec(ps -> ps.partitionFields(f -> f.transform("TIME_HOUR")
                                                .sourceName("ts")))))
                        .encryptionConfiguration(e -> e.encryptionType("KMS").keyId("alias/k"))
                        .tags(Map.of("team", "a"))
                        .loggingConfiguration(l -> l.cloudWatchLogs(w -> w.enabled(false)))));
        var req = create.request();
        assertThat(req.channelName()).isEqualTo("c");
        assertThat(req.serviceExecutionRoleARN()).isEqualTo("arn:aws:iam::000000000000:role/r");
        assertThat(req.streamConfigurationList()).containsExactly(new io.runnel.wire.model.ChannelStreamConfiguration(
                "arn:s", new io.runnel.wire.model.RecordConfiguration("GSR_JSON", "arn:schema")));
        assertThat(req.s3DestinationConfiguration()).isNull();
        assertThat(req.s3TablesDestinationConfiguration()).isEqualTo(
                new io.runnel.wire.model.S3TablesDestinationConfiguration(30, null, List.of(
                        new io.runnel.wire.model.S3TablesConfiguration("arn:tb", "n", "t", "ZSTD",
                                new io.runnel.wire.model.PartitionSpec(List.of(
                                        new io.runnel.wire.model.PartitionField("TIME_HOUR", "ts")))))));
        assertThat(req.encryptionConfiguration())
                .isEqualTo(new io.runnel.wire.model.ChannelEncryptionConfiguration("KMS", "alias/k"));
        assertThat(req.tags()).isEqualTo(Map.of("team", "a"));
        assertThat(req.loggingConfiguration().cloudWatchLogs())
                .isEqualTo(new io.runnel.wire.model.CloudWatchLogs(false, null, null));
        var got = create.response().channelDescription();
        assertThat(got.channelName()).isEqualTo("c");
        assertThat(got.channelARN()).isEqualTo("arn:c");
        assertThat(got.channelId()).isEqualTo("abcdefghij0123456789-x1z");
        assertThat(got.channelStatusAsString()).isEqualTo("CREATING");
        assertThat(got.channelCreationTimestamp()).isEqualTo(created);
        assertThat(got.streamConfigurationList().get(0).streamCreationTimestamp()).isEqualTo(streamCreated);
        assertThat(got.streamConfigurationList().get(0).recordConfiguration().gsrSchemaARN()).isEqualTo("arn:schema");
        assertThat(got.s3DestinationConfiguration().dataFreshnessInSeconds()).isEqualTo(60);
        assertThat(got.s3DestinationConfiguration().storageConfiguration().outputKeyTemplate()).isEqualTo("p/{{x}}/");
        assertThat(got.s3DestinationConfiguration().storageConfiguration().storageClassAsString())
                .isEqualTo("STANDARD");
        assertThat(got.s3DestinationConfiguration().deadLetterQueueS3Configuration().errorOutputPrefix())
                .isEqualTo("err/");
        assertThat(got.encryptionConfiguration().keyId()).isEqualTo("alias/k");
        assertThat(got.loggingConfiguration().cloudWatchLogs().logGroupName()).isEqualTo("g");

        var describe = exchange(protocol, Operation.DESCRIBE_CHANNEL, io.runnel.wire.model.DescribeChannelRequest.class,
                new io.runnel.wire.model.DescribeChannelResponse(description),
                c -> c.describeChannel(r -> r.channelARN("arn:c")));
        assertThat(describe.request()).isEqualTo(new io.runnel.wire.model.DescribeChannelRequest("arn:c"));
        assertThat(describe.response().channelDescription().channelARN()).isEqualTo("arn:c");

        var list = exchange(protocol, Operation.LIST_CHANNELS, io.runnel.wire.model.ListChannelsRequest.class,
                new io.runnel.wire.model.ListChannelsResponse(List.of(new io.runnel.wire.model.ChannelSummary("c",
                        "arn:c", "abcdefghij0123456789-x1z", "ACTIVE", null, created, "S3_TABLES",
                        List.of(new io.runnel.wire.model.ChannelStreamIdentifier("arn:s", streamCreated)))), "tok"),
                c -> c.listChannels(r -> r.streamFilter(f -> f.streamARN("arn:s")
                                .streamCreationTimestamp(streamCreated))
                        .maxResults(5).nextToken("n")));
        assertThat(list.request()).isEqualTo(new io.runnel.wire.model.ListChannelsRequest(
                List.of(new io.runnel.wire.model.StreamFilter("arn:s", streamCreated)), 5, "n"));
        var summary = list.response().channelSummaries().get(0);
        assertThat(summary.channelDestinationTypeAsString()).isEqualTo("S3_TABLES");
        assertThat(summary.channelStatusAsString()).isEqualTo("ACTIVE");
        assertThat(summary.streams().get(0).streamARN()).isEqualTo("arn:s");
        assertThat(summary.streams().get(0).streamCreationTimestamp()).isEqualTo(streamCreated);
        assertThat(list.response().nextToken()).isEqualTo("tok");

        var update = exchange(protocol, Operation.UPDATE_CHANNEL, io.runnel.wire.model.UpdateChannelRequest.class,
                new io.runnel.wire.model.UpdateChannelResponse(description),
                c -> c.updateChannel(r -> r.channelARN("arn:c")
                        .s3DestinationConfiguration(d -> d.dataFreshnessInSeconds(120))
                        .loggingConfiguration(l -> l.cloudWatchLogs(w -> w.enabled(true).logGroupName("g2")))));
        assertThat(update.request()).isEqualTo(new io.runnel.wire.model.UpdateChannelRequest("arn:c",
                new io.runnel.wire.model.S3DestinationUpdateInput(120), null,
                new io.runnel.wire.model.ChannelLoggingUpdateInput(
                        new io.runnel.wire.model.CloudWatchLogs(true, "g2", null))));
        assertThat(update.response().channelDescription().channelId()).isEqualTo("abcdefghij0123456789-x1z");

        var delete = exchange(protocol, Operation.DELETE_CHANNEL, io.runnel.wire.model.DeleteChannelRequest.class,
                new io.runnel.wire.model.DeleteChannelResponse(), c -> c.deleteChannel(r -> r.channelARN("arn:c")));
        assertThat(delete.request()).isEqualTo(new io.runnel.wire.model.DeleteChannelRequest("arn:c"));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void resourcePoliciesAndResourceTags(Protocol protocol) throws Exception {
        String arn = "arn:aws:kinesis:us-east-1:000000000000:stream/s";
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        var put = exchange(protocol, Operation.PUT_RESOURCE_POLICY, io.runnel.wire.model.PutResourcePolicyRequest.class,
                new io.runnel.wire.model.PutResourcePolicyResponse(),
                c -> c.putResourcePolicy(r -> r.resourceARN(arn).policy(policy)));
        assertThat(put.request()).isEqualTo(new io.runnel.wire.model.PutResourcePolicyRequest(arn, policy));
        var get = exchange(protocol, Operation.GET_RESOURCE_POLICY, io.runnel.wire.model.GetResourcePolicyRequest.class,
                new io.runnel.wire.model.GetResourcePolicyResponse(policy),
                c -> c.getResourcePolicy(r -> r.resourceARN(arn)));
        assertThat(get.request()).isEqualTo(new io.runnel.wire.model.GetResourcePolicyRequest(arn));
        assertThat(get.response().policy()).isEqualTo(policy);
        var del = exchange(protocol, Operation.DELETE_RESOURCE_POLICY,
                io.runnel.wire.model.DeleteResourcePolicyRequest.class,
                new io.runnel.wire.model.DeleteResourcePolicyResponse(),
                c -> c.deleteResourcePolicy(r -> r.resourceARN(arn)));
        assertThat(del.request()).isEqualTo(new io.runnel.wire.model.DeleteResourcePolicyRequest(arn));
        var tag = exchange(protocol, Operation.TAG_RESOURCE, io.runnel.wire.model.TagResourceRequest.class,
                new io.runnel.wire.model.TagResourceResponse(),
                c -> c.tagResource(r -> r.resourceARN(arn).tags(Map.of("team", "data", "empty", ""))));
        assertThat(tag.request()).isEqualTo(new io.runnel.wire.model.TagResourceRequest(
                Map.of("team", "data", "empty", ""), arn));
        var untag = exchange(protocol, Operation.UNTAG_RESOURCE, io.runnel.wire.model.UntagResourceRequest.class,
                new io.runnel.wire.model.UntagResourceResponse(),
                c -> c.untagResource(r -> r.resourceARN(arn).tagKeys("team")));
        assertThat(untag.request()).isEqualTo(new io.runnel.wire.model.UntagResourceRequest(List.of("team"), arn));
        var list = exchange(protocol, Operation.LIST_TAGS_FOR_RESOURCE,
                io.runnel.wire.model.ListTagsForResourceRequest.class,
                new io.runnel.wire.model.ListTagsForResourceResponse(List.of(
                        new io.runnel.wire.model.Tag("empty", ""), new io.runnel.wire.model.Tag("team", "data"))),
                c -> c.listTagsForResource(r -> r.resourceARN(arn)));
        assertThat(list.request()).isEqualTo(new io.runnel.wire.model.ListTagsForResourceRequest(arn));
        assertThat(list.response().tags()).extracting(t -> t.key() + "=" + t.value())
                .containsExactly("empty=", "team=data");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void ourErrorBodiesBecomeTheSdksExceptions(Protocol protocol) {
        KinesisCodec codec = KinesisCodec.of(protocol);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        codec.encodeError("ResourceNotFoundException", "Stream nope under account 000000000000 not found.", body);
        wireMock.resetAll();
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", codec.contentType()).withBody(body.toByteArray())));
        try (KinesisClient client = sdk(protocol)) {
            assertThatThrownBy(() -> client.deleteStream(r -> r.streamName("nope")))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("Stream nope under account 000000000000 not found.");
        }
    }
}
