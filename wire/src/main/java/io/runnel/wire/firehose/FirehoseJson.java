package io.runnel.wire.firehose;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.error.KinesisTransportException.Kind;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** Firehose's JSON 1.1 bodies: the requests the client sends and the answers it reads. Stateless. */
final class FirehoseJson {
    private static final JsonFactory JSON = new JsonFactory();

    private FirehoseJson() {
    }

    /** {@code {"DeliveryStreamName": …, "Records": [{"Data": base64}, …]}}. */
    static void writePutRecordBatch(String deliveryStream, List<byte[]> records, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("DeliveryStreamName", deliveryStream);
            g.writeArrayFieldStart("Records");
            for (byte[] data : records) {
                g.writeStartObject();
                g.writeFieldName("Data");
                g.writeBinary(data); // base64, as JSON 1.1 blobs are
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** {@code {"DeliveryStreamName": …}}. */
    static void writeDescribe(String deliveryStream, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("DeliveryStreamName", deliveryStream);
            g.writeEndObject();
        }
    }

    /**
     * Reads a PutRecordBatch answer.
     *
     * @param expected how many records were sent: an answer with another number of entries is malformed
     * @throws KinesisTransportException (MALFORMED_RESPONSE) when the body is not such an answer
     */
    static PutRecordBatchResponse readPutRecordBatch(byte[] body, int expected) {
        int failed = -1;
        boolean encrypted = false;
        List<PutRecordBatchResponseEntry> entries = null;
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "FailedPutCount" -> failed = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : -1;
                    case "Encrypted" -> encrypted = t == JsonToken.VALUE_TRUE;
                    case "RequestResponses" -> entries = entries(p, t);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw malformed("PutRecordBatch answer is not JSON: " + e.getMessage());
        }
        if (entries == null || failed < 0) {
            throw malformed("PutRecordBatch answer without FailedPutCount or RequestResponses");
        }
        if (entries.size() != expected) {
            throw malformed("PutRecordBatch answer has " + entries.size() + " RequestResponses for " + expected
                    + " records");
        }
        return new PutRecordBatchResponse(failed, encrypted, entries);
    }

    private static List<PutRecordBatchResponseEntry> entries(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.START_ARRAY);
        List<PutRecordBatchResponseEntry> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String id = null;
            String code = null;
            String message = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
                switch (field) {
                    case "RecordId" -> id = text;
                    case "ErrorCode" -> code = text;
                    case "ErrorMessage" -> message = text;
                    default -> p.skipChildren();
                }
            }
            out.add(new PutRecordBatchResponseEntry(code == null ? id : null, code, code == null ? null : message));
        }
        return out;
    }

    /** Reads a DescribeDeliveryStream answer. */
    static DeliveryStreamDescription readDescribe(byte[] body) {
        String name = null;
        String arn = null;
        String status = null;
        String type = null;
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!"DeliveryStreamDescription".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(t, JsonToken.START_OBJECT);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken v = p.nextToken();
                    String text = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    switch (f) {
                        case "DeliveryStreamName" -> name = text;
                        case "DeliveryStreamARN" -> arn = text;
                        case "DeliveryStreamStatus" -> status = text;
                        case "DeliveryStreamType" -> type = text;
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw malformed("DescribeDeliveryStream answer is not JSON: " + e.getMessage());
        }
        if (name == null) {
            throw malformed("DescribeDeliveryStream answer without DeliveryStreamDescription.DeliveryStreamName");
        }
        return new DeliveryStreamDescription(name, arn, status, type);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }

    private static KinesisTransportException malformed(String message) {
        return new KinesisTransportException(Kind.MALFORMED_RESPONSE, message);
    }
}
