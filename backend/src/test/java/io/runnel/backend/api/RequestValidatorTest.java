package io.runnel.backend.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.store.StoreException;
import io.runnel.wire.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
    private static final RequestValidator VALIDATOR = new RequestValidator(ServiceModel.kinesis());

    private static Map<String, Object> json(String body) {
        return RequestTree.parse(Protocol.JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidRequestPasses() {
        assertThatCode(() -> VALIDATOR.validate("PutRecords", json("{\"StreamName\":\"s\",\"Records\":"
                + "[{\"Data\":\"AAE=\",\"PartitionKey\":\"pk\"}]}"))).doesNotThrowAnyException();
    }

    @Test
    void everyViolationIsNamedInOneValidationException() {
        assertThatThrownBy(() -> VALIDATOR.validate("PutRecords", json("{\"StreamName\":\"a b\",\"Records\":"
                + "[{\"Data\":\"AAE=\",\"PartitionKey\":\"\"}]}")))
                .isInstanceOfSatisfying(StoreException.class, e -> assertThat(e.errorCode())
                        .isEqualTo(StoreException.VALIDATION))
                .hasMessage("2 validation errors detected: Value '' at 'records.1.member.partitionKey' failed to"
                        + " satisfy constraint: Member must have length greater than or equal to 1; Value 'a b' at"
                        + " 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                        + " [a-zA-Z0-9_.-]+"); // in the model's member order
    }

    @Test
    void requiredMembersEnumsAndRangesAtAnyDepth() {
        assertThatThrownBy(() -> VALIDATOR.validate("GetShardIterator", json("{\"ShardIteratorType\":\"OLDEST\"}")))
                .hasMessageContaining("Value null at 'shardId' failed to satisfy constraint: Member must not be null")
                .hasMessageContaining("Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: Member"
                        + " must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON,"
                        + " LATEST, AT_TIMESTAMP]");
        assertThatThrownBy(() -> VALIDATOR.validate("ListShards", json("{\"MaxResults\":10001,\"ShardFilter\":"
                + "{\"Type\":\"NOPE\"}}")))
                .hasMessageContaining("Value '10001' at 'maxResults' failed to satisfy constraint: Member must have"
                        + " value less than or equal to 10000")
                .hasMessageContaining("at 'shardFilter.type'");
    }

    @Test
    void membersTheWireModelsLackAreCheckedToo() {
        assertThatThrownBy(() -> VALIDATOR.validate("DescribeStreamSummary", json("{\"StreamId\":\"nope\"}")))
                .hasMessageContaining("at 'streamId' failed to satisfy constraint: Member must satisfy regular"
                        + " expression pattern");
    }

    @Test
    void theSdkNewerOperationsComeFromTheAdditions() {
        assertThat(ServiceModel.kinesis().actions()).contains("CreateChannel", "UpdateStreamRecordDistributionStrategy",
                "SubscribeToShard");
        assertThatThrownBy(() -> VALIDATOR.validate("UpdateStreamRecordDistributionStrategy",
                json("{\"StreamARN\":\"arn:aws:kinesis:us-east-1:000000000000:stream/s\","
                        + "\"RecordDistributionStrategy\":\"RANDOM\"}")))
                .hasMessageContaining("enum value set: [AUTO, USER_PARTITION_KEY]");
        // a partition key is optional since streams may distribute records themselves
        assertThatCode(() -> VALIDATOR.validate("PutRecord", json("{\"StreamName\":\"s\",\"Data\":\"AA==\"}")))
                .doesNotThrowAnyException();
    }

    @Test
    void cborByteStringsCountTheirLengthAndBadBodiesAreLeftToTheCodec() {
        assertThat(RequestTree.parse(Protocol.JSON, "[1]".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(RequestTree.parse(Protocol.JSON, "{".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(RequestTree.parse(Protocol.JSON, new byte[0])).isEmpty();
        byte[] cbor = {(byte) 0xa1, 0x64, 'D', 'a', 't', 'a', 0x43, 1, 2, 3}; // {"Data": h'010203'}
        assertThat(RequestTree.parse(Protocol.CBOR, cbor)).containsEntry("Data", new RequestTree.Blob(3));
        // A large byte string (a 4-byte length) and a chunked one (indefinite length: 2 + 70,000 bytes), then a
        // member after each: counted, and the parser goes on past them.
        int big = 70_000;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0xa3);
        out.writeBytes(new byte[] {0x61, 'A', 0x5a, 0, 1, 0x11, 0x70}); // "A": h'...' of 70,000 bytes
        out.writeBytes(new byte[big]);
        out.writeBytes(new byte[] {0x61, 'B', 0x5f, 0x42, 7, 7, 0x5a, 0, 1, 0x11, 0x70}); // "B": (_ h'0707', h'...')
        out.writeBytes(new byte[big]);
        out.writeBytes(new byte[] {(byte) 0xff, 0x61, 'C', 0x01}); // break, "C": 1
        assertThat(RequestTree.parse(Protocol.CBOR, out.toByteArray())).containsExactly(
                java.util.Map.entry("A", new RequestTree.Blob(big)),
                java.util.Map.entry("B", new RequestTree.Blob(big + 2)), java.util.Map.entry("C", 1));
        assertThat(json("{\"L\":[1,\"x\",true,null]}").get("L")).isEqualTo(java.util.Arrays.asList(1, "x", true,
                null));
    }
}
