package io.runnel.wire.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.wire.Protocol;
import io.runnel.wire.error.AuthenticationException;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.InternalFailureException;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.error.KmsException;
import io.runnel.wire.error.ProvisionedThroughputExceededException;
import io.runnel.wire.error.ResourceNotFoundException;
import io.runnel.wire.error.ValidationException;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import io.runnel.wire.model.StartingPosition;
import io.runnel.wire.model.SubscribeToShardEvent;
import io.runnel.wire.model.SubscribeToShardRequest;
import io.runnel.wire.model.SubscribeToShardResponse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class KinesisCodecTest {

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyRequestAndResponseRoundTrips(Protocol protocol) throws Exception {
        KinesisCodec codec = KinesisCodec.of(protocol);
        RandomModels random = new RandomModels(protocol.ordinal() * 7919L + 1);
        for (Operation op : Operation.values()) {
            for (Class<? extends Record> type : List.of(op.requestType(), op.responseType())) {
                for (int i = 0; i < 40; i++) {
                    java.lang.Record value = random.create(type);
                    byte[] bytes = codec.encode(value);
                    assertThat(codec.decode(type, bytes, 0, bytes.length)).as("%s %s", protocol, type.getSimpleName())
                            .isEqualTo(value);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void subscribeToShardShapesRoundTrip(Protocol protocol) throws Exception {
        KinesisCodec codec = KinesisCodec.of(protocol);
        RandomModels random = new RandomModels(31 + protocol.ordinal(), true);
        for (Class<? extends Record> type : List.of(SubscribeToShardRequest.class,
                SubscribeToShardResponse.class, SubscribeToShardEvent.class)) {
            for (int i = 0; i < 40; i++) {
                java.lang.Record value = random.create(type);
                byte[] bytes = codec.encode(value);
                assertThat(codec.decode(type, bytes, 0, bytes.length)).as("%s %s", protocol, type.getSimpleName())
                        .isEqualTo(value);
            }
        }
        String json = new String(KinesisCodec.json().encode(new SubscribeToShardRequest("arn",
                "shardId-000000000000", new StartingPosition("LATEST", null, null))),
                StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"ConsumerARN\":\"arn\",\"ShardId\":\"shardId-000000000000\","
                + "\"StartingPosition\":{\"Type\":\"LATEST\"}}");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void putRecordsFromRangesOfArraysEncodeAsTheRequestDoes(Protocol protocol) {
        KinesisCodec codec = KinesisCodec.of(protocol);
        RandomModels random = new RandomModels(protocol.ordinal() * 31L + 5);
        java.util.Random offsets = new java.util.Random(protocol.ordinal());
        for (int i = 0; i < 60; i++) {
            PutRecordsRequest request = random.create(PutRecordsRequest.class);
            if (request.records() == null || request.records().stream().anyMatch(e -> e == null || e.data() == null)) {
                continue; // every record of a request the client sends has data
            }
            // Each record's data inside a larger array, at an offset, with other bytes around it.
            List<byte[]> arrays = new java.util.ArrayList<>();
            int[] from = new int[request.records().size()];
            for (int r = 0; r < from.length; r++) {
                byte[] data = request.records().get(r).data();
                from[r] = offsets.nextInt(8);
                byte[] array = new byte[from[r] + data.length + offsets.nextInt(8)];
                Arrays.fill(array, (byte) 0x5A);
                System.arraycopy(data, 0, array, from[r], data.length);
                arrays.add(array);
            }
            io.runnel.wire.PutRecordsEntries ranges = new io.runnel.wire.PutRecordsEntries() {
                @Override
                public int size() {
                    return from.length;
                }

                @Override
                public byte[] dataArray(int r) {
                    return arrays.get(r);
                }

                @Override
                public int dataOffset(int r) {
                    return from[r];
                }

                @Override
                public int dataLength(int r) {
                    return request.records().get(r).data().length;
                }

                @Override
                public String partitionKey(int r) {
                    return request.records().get(r).partitionKey();
                }

                @Override
                public String explicitHashKey(int r) {
                    return request.records().get(r).explicitHashKey();
                }
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            codec.encodePutRecords(request.streamName(), request.streamARN(), ranges, out);
            assertThat(out.toByteArray()).as("%s request %d", protocol, i).isEqualTo(codec.encode(request));
            assertThat(ranges.toRequest(request.streamName(), request.streamARN())).isEqualTo(request);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void thePutRecordsSizeHintHoldsTheBodyWithoutMuchToSpare(Protocol protocol) {
        KinesisCodec codec = KinesisCodec.of(protocol);
        String hashKey = io.runnel.wire.HashKey.MAX.toDecimalString();
        for (int[] shape : new int[][] {{500, 100}, {500, 10_000}, {20, 51_200}, {1, 1}}) {
            List<io.runnel.wire.model.PutRecordsRequestEntry> entries = new java.util.ArrayList<>();
            long dataAndKeys = 0;
            for (int r = 0; r < shape[0]; r++) {
                String key = "partition-key-" + r;
                byte[] data = new byte[shape[1]];
                Arrays.fill(data, (byte) r);
                entries.add(new io.runnel.wire.model.PutRecordsRequestEntry(data, r % 2 == 0 ? hashKey : null, key));
                dataAndKeys += data.length + key.length();
            }
            int size = codec.encode(new PutRecordsRequest("a-stream-name", null, entries)).length;
            int hint = codec.putRecordsSizeHint(shape[0], dataAndKeys);
            assertThat(hint).as("%s %d x %d B", protocol, shape[0], shape[1]).isGreaterThanOrEqualTo(size)
                    .isLessThan(size + size / 2 + 1024);
        }
    }

    @Test
    void anErrorBodyMayLeaveOutItsType() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        KinesisCodec.json().encodeError(null, "gone", out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"message\":\"gone\"}");
    }

    @Test
    void jsonCarriesDataAsBase64AndTimestampsAsSecondsWithFraction() {
        KinesisCodec json = KinesisCodec.json();
        String body = new String(json.encode(new PutRecordsRequest("s", null, List.of(
                new PutRecordsRequestEntry(new byte[] {0, 1, 2, (byte) 0xFF}, null, "pk")))), StandardCharsets.UTF_8);
        assertThat(body).isEqualTo("{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"AAEC/w==\","
                + "\"PartitionKey\":\"pk\"}]}");
        String records = new String(json.encode(new GetRecordsResponse(List.of(
                new io.runnel.wire.model.StreamRecord("1",
                Instant.ofEpochMilli(1_764_000_000_123L), new byte[0], "k", null)), null, 0L, null)),
                StandardCharsets.UTF_8);
        assertThat(records).contains("\"ApproximateArrivalTimestamp\":1764000000.123");
    }

    @Test
    void jsonTimestampsAreReadFromIntegersFractionsAndStrings() throws Exception {
        KinesisCodec json = KinesisCodec.json();
        for (String ts : List.of("1764000000.5", "1764000000.500", "\"2025-11-24T16:00:00.500Z\"")) {
            byte[] body = ("{\"ShardIterator\":\"i\",\"Records\":[{\"SequenceNumber\":\"1\",\"Data\":\"\","
                    + "\"PartitionKey\":\"k\",\"ApproximateArrivalTimestamp\":" + ts + "}]}")
                    .getBytes(StandardCharsets.UTF_8);
            GetRecordsResponse r = json.decode(GetRecordsResponse.class, body, 0, body.length);
            assertThat(r.records().get(0).approximateArrivalTimestamp().toEpochMilli() % 1000).isEqualTo(500);
        }
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        byte[] body = "{\"FailedRecordCount\":0,\"New\":{\"a\":[1,2,{\"b\":null}]},\"Records\":[]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(KinesisCodec.json().decode(io.runnel.wire.model.PutRecordsResponse.class, body, 0, body.length)
                .failedRecordCount()).isZero();
    }

    @Test
    void requestsMissingRequiredFieldsOrNotParsingAreRefusedWithKinesisErrors() {
        KinesisCodec json = KinesisCodec.json();
        byte[] noData = "{\"StreamName\":\"s\",\"Records\":[{\"PartitionKey\":\"k\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> json.decodeRequest(Operation.PUT_RECORDS, noData, 0, noData.length))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'records.1.member.data'");
        // a partition key is optional on the wire (AUTO streams); the stream's strategy decides
        byte[] noKey = "{\"StreamName\":\"s\",\"Records\":[{\"Data\":\"AA==\"}]}".getBytes(StandardCharsets.UTF_8);
        assertThat(((io.runnel.wire.model.PutRecordsRequest) json.decodeRequest(Operation.PUT_RECORDS, noKey, 0,
                noKey.length)).records().get(0).partitionKey()).isNull();
        byte[] garbage = "{\"StreamName\":".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> json.decodeRequest(Operation.PUT_RECORDS, garbage, 0, garbage.length))
                .isInstanceOfSatisfying(KinesisServiceException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCodes.SERIALIZATION));
        byte[] wrongType = "{\"ShardCount\":\"two\",\"StreamName\":\"s\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> json.decodeRequest(Operation.CREATE_STREAM, wrongType, 0, wrongType.length))
                .hasMessageContaining("ShardCount");
        assertThat(json.decodeRequest(Operation.DESCRIBE_LIMITS, new byte[0], 0, 0))
                .isEqualTo(new io.runnel.wire.model.DescribeLimitsRequest());
    }

    @Test
    void malformedResponsesAreTransportErrors() {
        byte[] bad = "[1,2".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> KinesisCodec.cbor().decodeResponse(Operation.PUT_RECORDS,
                io.runnel.wire.model.PutRecordsResponse.class, bad, 0, bad.length))
                .isInstanceOfSatisfying(KinesisTransportException.class,
                        e -> assertThat(e.kind()).isEqualTo(KinesisTransportException.Kind.MALFORMED_RESPONSE));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void errorsRoundTripIntoTheirTypes(Protocol protocol) {
        KinesisCodec codec = KinesisCodec.of(protocol);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.encodeError("ResourceNotFoundException", "Stream s under account 1 not found.", out);
        KinesisServiceException e = codec.decodeError(400, out.toByteArray(), null, "req-1");
        assertThat(e).isInstanceOf(ResourceNotFoundException.class).hasMessage("Stream s under account 1 not found.");
        assertThat(e.requestId()).isEqualTo("req-1");
        assertThat(e.isRetryable()).isFalse();
    }

    @Test
    void errorTypesAreCleanedAndMappedWithRetryability() {
        KinesisCodec json = KinesisCodec.json();
        byte[] prefixed = ("{\"__type\":\"com.amazonaws.kinesis.v20131202#ProvisionedThroughputExceededException\","
                + "\"Message\":\"slow down\"}")
                .getBytes(StandardCharsets.UTF_8);
        KinesisServiceException e = json.decodeError(400, prefixed, null, null);
        assertThat(e).isInstanceOf(ProvisionedThroughputExceededException.class).hasMessage("slow down");
        assertThat(e.isRetryable()).isTrue();
        KinesisServiceException kms = json.decodeError(400, "{\"__type\":\"KMSThrottlingException\"}"
                .getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(kms).isInstanceOf(KmsException.class);
        assertThat(kms.isRetryable()).isTrue();
        assertThat(json.decodeError(403, new byte[0], "UnrecognizedClientException:http://internal.amazon.com/", null))
                .isInstanceOf(AuthenticationException.class);
        KinesisServiceException garbage = json.decodeError(503, "<html>".getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(garbage).isInstanceOf(InternalFailureException.class);
        assertThat(garbage.isRetryable()).isTrue();
        KinesisServiceException unknown = json.decodeError(400, "{\"__type\":\"BrandNewException\"}"
                .getBytes(StandardCharsets.UTF_8), null, null);
        assertThat(unknown.getClass()).isEqualTo(KinesisServiceException.class);
        assertThat(unknown.errorCode()).isEqualTo("BrandNewException");
        assertThat(unknown.isRetryable()).isFalse();
        assertThat(unknown.getStackTrace()).isEmpty();
    }

    @Test
    void operationsKnowTheirTargets() {
        assertThat(Operation.PUT_RECORDS.target()).isEqualTo("Kinesis_20131202.PutRecords");
        assertThat(Operation.fromTarget("Kinesis_20131202.ListShards")).isEqualTo(Operation.LIST_SHARDS);
        assertThat(Operation.fromTarget("Kinesis_20131202.Nope")).isNull();
        assertThat(Operation.fromTarget(null)).isNull();
        assertThat(Arrays.stream(Operation.values()).map(Operation::actionName)).contains("DescribeStreamSummary",
                "RegisterStreamConsumer", "StopStreamEncryption", "UpdateStreamMode", "DescribeLimits");
    }
}
