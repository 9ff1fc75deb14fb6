package io.runnel.wire.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runnel.wire.error.KinesisTransportException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class FirehoseJsonTest {
    @Test
    void putRecordBatchCarriesTheStreamNameAndEachRecordAsBase64Data() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FirehoseJson.writePutRecordBatch("logs", List.of("a\n".getBytes(StandardCharsets.UTF_8), new byte[] {0, -1}),
                out);
        String json = out.toString(StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"DeliveryStreamName\":\"logs\",\"Records\":[{\"Data\":\""
                + Base64.getEncoder().encodeToString("a\n".getBytes(StandardCharsets.UTF_8)) + "\"},{\"Data\":\""
                + Base64.getEncoder().encodeToString(new byte[] {0, -1}) + "\"}]}");
        List<byte[]> decoded = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.VALUE_STRING && "Data".equals(p.currentName())) {
                    decoded.add(Base64.getDecoder().decode(p.getText()));
                }
            }
        }
        assertThat(decoded).containsExactly("a\n".getBytes(StandardCharsets.UTF_8), new byte[] {0, -1});
    }

    @Test
    void aPartlyFailedBatchAnswerHasOneEntryPerRecordInOrder() {
        PutRecordBatchResponse r = FirehoseJson.readPutRecordBatch("""
                {"FailedPutCount": 1, "Encrypted": false, "RequestResponses": [
                  {"RecordId": "r1"},
                  {"ErrorCode": "ServiceUnavailableException", "ErrorMessage": "Slow down."},
                  {"RecordId": "r3", "Extra": {"x": [1]}}]}""".getBytes(StandardCharsets.UTF_8), 3);
        assertThat(r.failedPutCount()).isEqualTo(1);
        assertThat(r.requestResponses()).containsExactly(new PutRecordBatchResponseEntry("r1", null, null),
                new PutRecordBatchResponseEntry(null, "ServiceUnavailableException", "Slow down."),
                new PutRecordBatchResponseEntry("r3", null, null));
        assertThat(r.requestResponses().get(1).successful()).isFalse();
        assertThat(r.requestResponses().get(2).successful()).isTrue();
    }

    @Test
    void anAnswerThatDoesNotMatchTheRequestIsMalformed() {
        byte[] twoEntries = "{\"FailedPutCount\":0,\"RequestResponses\":[{\"RecordId\":\"a\"},{\"RecordId\":\"b\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FirehoseJson.readPutRecordBatch(twoEntries, 3))
                .isInstanceOfSatisfying(KinesisTransportException.class, e -> assertThat(e.kind())
                        .isEqualTo(KinesisTransportException.Kind.MALFORMED_RESPONSE))
                .hasMessageContaining("2 RequestResponses for 3 records");
        assertThatThrownBy(() -> FirehoseJson.readPutRecordBatch("{}".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(KinesisTransportException.class);
        assertThatThrownBy(() -> FirehoseJson.readPutRecordBatch("<html>".getBytes(StandardCharsets.UTF_8), 1))
                .isInstanceOf(KinesisTransportException.class);
    }

    @Test
    void describeReadsNameArnStatusAndType() {
        DeliveryStreamDescription d = FirehoseJson.readDescribe("""
                {"DeliveryStreamDescription": {"DeliveryStreamName": "logs", "DeliveryStreamARN": "arn:x",
                 "DeliveryStreamStatus": "ACTIVE", "DeliveryStreamType": "DirectPut",
                 "Destinations": [{"S3DestinationDescription": {"BucketARN": "b"}}], "HasMoreDestinations": false}}
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(d).isEqualTo(new DeliveryStreamDescription("logs", "arn:x", "ACTIVE", "DirectPut"));
    }
}
