package io.runnel.backend.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StoreSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirehoseApiTest {
    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(1_700_000_000_000L);

    private FirehoseApi api() {
        return new FirehoseApi(new FirehoseStore(StoreSettings.defaults().withTransitionMillis(0), time,
                dir.resolve("out"), null));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(FirehoseApi api, String action, String json) throws IOException {
        byte[] out = api.handle(FirehoseApi.TARGET_PREFIX + action, json.getBytes(StandardCharsets.UTF_8));
        return (Map<String, Object>) Json.parse(out);
    }

    private static void assertRefused(FirehoseApi api, String action, String json, String code, String message) {
        assertThatThrownBy(() -> call(api, action, json)).isInstanceOf(StoreException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((StoreException) e).errorCode()).isEqualTo(code);
    }

    @Test
    @SuppressWarnings("unchecked")
    void describeFillsTheS3DefaultsIn() throws IOException {
        FirehoseApi api = api();
        Map<String, Object> created = call(api, "CreateDeliveryStream", "{\"DeliveryStreamName\":\"s\","
                + "\"S3DestinationConfiguration\":{\"RoleARN\":\"r\",\"BucketARN\":\"b\"}}");
        assertThat(created).containsEntry("DeliveryStreamARN",
                "arn:aws:firehose:us-east-1:000000000000:deliverystream/s");
        Map<String, Object> d = (Map<String, Object>) call(api, "DescribeDeliveryStream",
                "{\"DeliveryStreamName\":\"s\"}").get("DeliveryStreamDescription");
        assertThat(d).containsEntry("DeliveryStreamStatus", "ACTIVE").containsEntry("DeliveryStreamType", "DirectPut")
                .containsEntry("VersionId", "1").containsEntry("HasMoreDestinations", false);
        assertThat(d.get("CreateTimestamp").toString()).isEqualTo("1700000000.000");
        Map<String, Object> destination = (Map<String, Object>) ((List<Object>) d.get("Destinations")).get(0);
        assertThat(destination).containsEntry("DestinationId", "destinationId-000000000001");
        Map<String, Object> s3 = (Map<String, Object>) destination.get("S3DestinationDescription");
        assertThat(s3).containsEntry("RoleARN", "r").containsEntry("BucketARN", "b")
                .containsEntry("CompressionFormat", "UNCOMPRESSED")
                .containsEntry("BufferingHints", Map.of("SizeInMBs", 5L, "IntervalInSeconds", 300L))
                .containsEntry("EncryptionConfiguration", Map.of("NoEncryptionConfig", "NoEncryption"));
    }

    @Test
    void putRecordAnswersARecordIdAndUnencrypted() throws IOException {
        FirehoseApi api = api();
        call(api, "CreateDeliveryStream", "{\"DeliveryStreamName\":\"s\","
                + "\"ExtendedS3DestinationConfiguration\":{\"RoleARN\":\"r\",\"BucketARN\":\"b\"}}");
        Map<String, Object> r = call(api, "PutRecord", "{\"DeliveryStreamName\":\"s\",\"Record\":{\"Data\":\"aGk=\"}}");
        assertThat((String) r.get("RecordId")).isNotEmpty();
        assertThat(r).containsEntry("Encrypted", false);
    }

    @Test
    void malformedRequestsAreRefusedWithTheirMemberNamed() {
        FirehoseApi api = api();
        String v = StoreException.VALIDATION;
        String invalid = StoreException.INVALID_ARGUMENT;
        assertRefused(api, "ListDeliveryStreams", "{", "SerializationException", "JSON");
        assertRefused(api, "PutRecord", "[]", "SerializationException", "object");
        assertRefused(api, "Tag", "{}", "UnknownOperationException", "Firehose_20150804.Tag");
        assertRefused(api, "DescribeDeliveryStream", "{}", v, "'deliveryStreamName' failed to satisfy constraint:"
                + " Member must not be null");
        assertRefused(api, "DescribeDeliveryStream", "{\"DeliveryStreamName\":\"\"}", v, "length between 1 and 64");
        assertRefused(api, "CreateDeliveryStream", "{\"DeliveryStreamName\":\"..\",\"S3DestinationConfiguration\":"
                + "{\"RoleARN\":\"r\",\"BucketARN\":\"b\"}}", invalid, "directory name");
        assertRefused(api, "CreateDeliveryStream", "{\"DeliveryStreamName\":\"s\"}", invalid,
                "Exactly one destination configuration");
        assertRefused(api, "CreateDeliveryStream", "{\"DeliveryStreamName\":\"s\",\"S3DestinationConfiguration\":"
                + "{\"RoleARN\":\"r\"}}", v, "'s3DestinationConfiguration.bucketARN'");
        assertRefused(api, "CreateDeliveryStream", "{\"DeliveryStreamName\":\"s\",\"S3DestinationConfiguration\":"
                + "{\"RoleARN\":\"r\",\"BucketARN\":\"b\",\"BufferingHints\":{\"SizeInMBs\":129}}}", v,
                "'s3DestinationConfiguration.bufferingHints.sizeInMBs'");
        assertRefused(api, "CreateDeliveryStream", "{\"DeliveryStreamName\":\"s\",\"DeliveryStreamType\":\"Nope\"}",
                v, "enum value set");
        assertRefused(api, "PutRecordBatch", "{\"DeliveryStreamName\":\"s\",\"Records\":[]}", v,
                "'records' failed to satisfy constraint");
        assertRefused(api, "PutRecordBatch", "{\"DeliveryStreamName\":\"s\",\"Records\":[{\"Data\":\"!!\"}]}",
                "SerializationException", "base64");
        assertRefused(api, "PutRecordBatch", "{\"DeliveryStreamName\":\"s\",\"Records\":[{\"Data\":\"aGk=\"},{}]}",
                v, "'records.2.member.data'");
        assertRefused(api, "ListDeliveryStreams", "{\"Limit\":0}", v, "'limit'");
    }
}
