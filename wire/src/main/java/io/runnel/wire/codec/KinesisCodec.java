package io.runnel.wire.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import com.fasterxml.jackson.dataformat.cbor.CBORParser;
import io.runnel.wire.Protocol;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.KinesisTransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes and decodes every Kinesis request, response and error, in JSON 1.1 or CBOR 1.1, with Jackson's streaming
 * API. Symmetric, so the client and the backend share it: the client encodes requests and decodes responses, the
 * backend the reverse.
 *
 * <p>JSON carries data as base64 and timestamps as epoch seconds with a fraction; CBOR carries data as byte strings
 * and timestamps as epoch milliseconds under CBOR tag 1, as the AWS SDK does. Unknown fields are skipped (newer
 * service versions add fields). Thread-safe.
 */
public final class KinesisCodec {
    private static final int CBOR_EPOCH_TAG = 1;
    /** Largest string Jackson may read: a 10 MiB record in base64, with room. */
    private static final int MAX_STRING_LENGTH = 64 * 1024 * 1024;

    private static final KinesisCodec JSON = new KinesisCodec(Protocol.JSON);
    private static final KinesisCodec CBOR = new KinesisCodec(Protocol.CBOR);

    private final Protocol protocol;
    private final JsonFactory factory;

    private KinesisCodec(Protocol protocol) {
        this.protocol = protocol;
        JsonFactory f = protocol == Protocol.CBOR ? new CBORFactory() : new JsonFactory();
        f.setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build());
        this.factory = f;
    }

    /** @return the JSON 1.1 codec (shared; thread-safe) */
    public static KinesisCodec json() {
        return JSON;
    }

    /** @return the CBOR 1.1 codec (shared; thread-safe) */
    public static KinesisCodec cbor() {
        return CBOR;
    }

    /**
     * The codec of a protocol.
     *
     * @param protocol JSON or CBOR
     * @return {@link #json()} or {@link #cbor()}
     * @throws NullPointerException when {@code protocol} is null
     */
    public static KinesisCodec of(Protocol protocol) {
        return Objects.requireNonNull(protocol, "protocol") == Protocol.CBOR ? CBOR : JSON;
    }

    /** @return the encoding this codec reads and writes */
    public Protocol protocol() {
        return protocol;
    }

    /** @return the Content-Type header value of this codec's bodies */
    public String contentType() {
        return protocol.contentType();
    }

    // ---------------------------------------------------------------- encoding

    /**
     * About how many bytes {@link #encodePutRecords} writes for {@code records} records carrying {@code dataAndKeys}
     * bytes of data and partition keys (data raw in CBOR, base64 in JSON; field names, explicit hash keys and framing
     * counted generously per record): a size to start the body's buffer at, so it is not grown copy by copy.
     */
    public int putRecordsSizeHint(int records, long dataAndKeys) {
        long data = protocol == Protocol.CBOR ? dataAndKeys : dataAndKeys / 3 * 4 + 4;
        return (int) Math.min(Integer.MAX_VALUE - 8, 256 + data + 128L * records);
    }

    /**
     * Writes any model record (request or response) to {@code out}; null fields are left out.
     *
     * @param value a record of {@code io.runnel.wire.model}
     * @param out   where the bytes go; closed when done
     * @throws NullPointerException when {@code value} is null
     * @throws UncheckedIOException when writing to {@code out} fails
     */
    public void encode(Record value, OutputStream out) {
        Objects.requireNonNull(value, "value");
        try (JsonGenerator g = factory.createGenerator(out)) {
            writeRecord(g, Shape.of(value.getClass()), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * The encoded bytes of a model record.
     *
     * @param value a record of {@code io.runnel.wire.model}
     * @return the body bytes
     * @throws NullPointerException when {@code value} is null
     */
    public byte[] encode(Record value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        encode(value, out);
        return out.toByteArray();
    }

    /**
     * Encodes a request of {@code operation}, checking its type.
     *
     * @param operation the action
     * @param request   its request
     * @param out       where the bytes go; closed when done
     * @throws IllegalArgumentException when {@code request} is not of {@code operation.requestType()}
     * @throws UncheckedIOException     when writing to {@code out} fails
     */
    public void encodeRequest(Operation operation, Record request, OutputStream out) {
        checkType(operation.requestType(), request);
        encode(request, out);
    }

    /**
     * Encodes a PutRecords request whose records' data are ranges of arrays: the same bytes as {@link #encode} of the
     * {@link io.runnel.wire.model.PutRecordsRequest} with those records, without copying each record's data into an
     * array of its own first.
     *
     * @param streamName the stream's name, or null (left out)
     * @param streamARN  the stream's ARN, or null (left out)
     * @param records    the records; a null key is left out
     * @param out        where the bytes go; closed when done
     * @throws UncheckedIOException when writing to {@code out} fails
     */
    public void encodePutRecords(String streamName, String streamARN, io.runnel.wire.PutRecordsEntries records,
            OutputStream out) {
        // The field order and names of PutRecordsRequest(streamName, streamARN, records) and
        // PutRecordsRequestEntry(data, explicitHashKey, partitionKey), as writeRecord writes them.
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            if (streamName != null) {
                g.writeStringField("StreamName", streamName);
            }
            if (streamARN != null) {
                g.writeStringField("StreamARN", streamARN);
            }
            g.writeFieldName("Records");
            int n = records.size();
            g.writeStartArray(records, n);
            for (int i = 0; i < n; i++) {
                g.writeStartObject();
                g.writeFieldName("Data");
                g.writeBinary(records.dataArray(i), records.dataOffset(i), records.dataLength(i));
                String explicitHashKey = records.explicitHashKey(i);
                if (explicitHashKey != null) {
                    g.writeStringField("ExplicitHashKey", explicitHashKey);
                }
                String partitionKey = records.partitionKey(i);
                if (partitionKey != null) {
                    g.writeStringField("PartitionKey", partitionKey);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PutRecordsRequest", e);
        }
    }

    /**
     * Encodes a response of {@code operation}, checking its type.
     *
     * @param operation the action
     * @param response  its response
     * @param out       where the bytes go; closed when done
     * @throws IllegalArgumentException when {@code response} is not of {@code operation.responseType()}
     * @throws UncheckedIOException     when writing to {@code out} fails
     */
    public void encodeResponse(Operation operation, Record response, OutputStream out) {
        checkType(operation.responseType(), response);
        encode(response, out);
    }

    private static void checkType(Class<?> expected, Record value) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("expected a " + expected.getSimpleName() + " but got "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
    }

    /**
     * Writes the error body Kinesis sends: {@code {"__type": ..., "message": ...}}.
     *
     * @param errorType the {@code __type}, or null to leave it out (the payload of an event-stream exception, whose
     *                  type travels in a header)
     * @param message   the message, or null to leave it out
     * @param out       where the bytes go; closed when done
     * @throws UncheckedIOException when writing to {@code out} fails
     */
    public void encodeError(String errorType, String message, OutputStream out) {
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            if (errorType != null) {
                g.writeStringField("__type", errorType);
            }
            if (message != null) {
                g.writeStringField("message", message);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode error", e);
        }
    }

    private void writeRecord(JsonGenerator g, Shape shape, Record value) throws IOException {
        g.writeStartObject();
        for (Shape.Field f : shape.fields) {
            Object v = f.get(value);
            if (v == null) {
                continue;
            }
            g.writeFieldName(f.apiName);
            writeValue(g, f.kind, f.kind == Shape.Kind.LIST ? f.elementKind : null, f.shape, v);
        }
        g.writeEndObject();
    }

    private void writeValue(JsonGenerator g, Shape.Kind kind, Shape.Kind elementKind, Shape shape, Object v)
            throws IOException {
        switch (kind) {
            case STRING -> g.writeString((String) v);
            case INTEGER -> g.writeNumber((Integer) v);
            case LONG -> g.writeNumber((Long) v);
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case BYTES -> {
                byte[] b = (byte[]) v;
                g.writeBinary(b, 0, b.length);
            }
            case INSTANT -> writeInstant(g, (Instant) v);
            case RECORD -> writeRecord(g, shape, (Record) v);
            case MAP -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    g.writeStringField((String) e.getKey(), (String) e.getValue());
                }
                g.writeEndObject();
            }
            case LIST -> {
                List<?> list = (List<?>) v;
                g.writeStartArray(list, list.size());
                for (Object element : list) {
                    if (element == null) {
                        g.writeNull();
                    } else {
                        writeValue(g, elementKind, null, shape, element);
                    }
                }
                g.writeEndArray();
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private void writeInstant(JsonGenerator g, Instant t) throws IOException {
        long millis = t.toEpochMilli();
        if (protocol == Protocol.CBOR) {
            ((CBORGenerator) g).writeTag(CBOR_EPOCH_TAG);
            g.writeNumber(millis);
        } else if (millis % 1000 == 0) {
            g.writeNumber(millis / 1000);
        } else {
            g.writeNumber(BigDecimal.valueOf(millis, 3));
        }
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes a model record of {@code type}. No bytes at all decode to a record whose fields are all null.
     *
     * @param type   the record type
     * @param bytes  holds the body
     * @param offset where it starts
     * @param length its length
     * @param <T>    the record type
     * @return the record; required fields are not checked
     * @throws IOException when the bytes are not a well-formed value of that shape
     */
    public <T extends Record> T decode(Class<T> type, byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return type.cast(Shape.of(type).create(new Object[Shape.of(type).fields.length]));
        }
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new IOException("expected an object but found " + first);
            }
            T value = type.cast(readRecord(p, Shape.of(type)));
            if (p.nextToken() != null) {
                throw new IOException("unexpected content after the object");
            }
            return value;
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Decodes a request (server side). A body that does not parse is a {@code SerializationException}; a missing
     * required field is a {@code ValidationException} naming it, both status 400.
     *
     * @param operation the action named by {@code X-Amz-Target}
     * @param body      holds the request body
     * @param offset    where it starts
     * @param length    its length
     * @return the request, of {@code operation.requestType()}
     * @throws KinesisServiceException a {@code SerializationException} or {@code ValidationException} as above
     */
    public Record decodeRequest(Operation operation, byte[] body, int offset, int length) {
        Record request;
        try {
            request = decode(operation.requestType(), body, offset, length);
        } catch (IOException e) {
            throw KinesisServiceException.of(ErrorCodes.SERIALIZATION, "Could not parse the "
                    + operation.actionName() + " request: " + e.getMessage(), 400, null);
        }
        checkRequired(request);
        return request;
    }

    /**
     * Decodes a response (client side).
     *
     * @param operation the action that was called
     * @param type      {@code operation.responseType()}
     * @param body      holds the response body
     * @param offset    where it starts
     * @param length    its length
     * @param <T>       the response type
     * @return the response
     * @throws IllegalArgumentException  when {@code type} is not {@code operation.responseType()}
     * @throws KinesisTransportException of kind MALFORMED_RESPONSE when it does not parse or lacks a required field
     */
    public <T extends Record> T decodeResponse(Operation operation, Class<T> type, byte[] body, int offset,
            int length) {
        if (type != operation.responseType()) {
            throw new IllegalArgumentException(operation + " responds with "
                    + operation.responseType().getSimpleName());
        }
        T response;
        try {
            response = decode(type, body, offset, length);
        } catch (IOException e) {
            throw new KinesisTransportException(KinesisTransportException.Kind.MALFORMED_RESPONSE,
                    "malformed " + operation.actionName() + " response: " + e.getMessage(), e);
        }
        String missing = firstMissing(Shape.of(type), response, "");
        if (missing != null) {
            throw new KinesisTransportException(KinesisTransportException.Kind.MALFORMED_RESPONSE,
                    "malformed " + operation.actionName() + " response: no " + missing);
        }
        return response;
    }

    /**
     * Checks that every required field, at any depth, is present.
     *
     * @param value a model record
     * @throws io.runnel.wire.error.ValidationException naming the first missing field as Kinesis does
     */
    public static void checkRequired(Record value) {
        String missing = firstMissing(Shape.of(value.getClass()), value, "");
        if (missing != null) {
            throw missingMember(missing);
        }
    }

    /**
     * The error Kinesis answers for a required member left out.
     *
     * @param path the member's path, as Kinesis names it ({@code records.1.member.data})
     * @return a {@link io.runnel.wire.error.ValidationException} naming it
     */
    public static KinesisServiceException missingMember(String path) {
        return KinesisServiceException.of(ErrorCodes.VALIDATION, "1 validation error detected: Value null at '"
                + path + "' failed to satisfy constraint: Member must not be null", 400, null);
    }

    /**
     * Whether a request that has StreamName and StreamARN fields sets at least one of them (true for requests
     * without such a pair).
     *
     * @param request a model request
     * @return false only when both fields exist, StreamName is optional, and both are null
     */
    public static boolean addressesAStream(Record request) {
        Shape shape = Shape.of(request.getClass());
        Integer name = shape.indexByApiName.get("StreamName");
        Integer arn = shape.indexByApiName.get("StreamARN");
        if (name == null || arn == null || shape.fields[name].required) {
            return true;
        }
        return shape.fields[name].get(request) != null || shape.fields[arn].get(request) != null;
    }

    private static String firstMissing(Shape shape, Record value, String prefix) {
        for (Shape.Field f : shape.fields) {
            Object v = f.get(value);
            String path = prefix + f.memberName;
            if (v == null) {
                if (f.required) {
                    return path;
                }
                continue;
            }
            if (f.kind == Shape.Kind.RECORD && f.shape.hasRequired) {
                String m = firstMissing(f.shape, (Record) v, path + ".");
                if (m != null) {
                    return m;
                }
            } else if (f.kind == Shape.Kind.LIST) {
                List<?> list = (List<?>) v;
                for (int i = 0; i < list.size(); i++) {
                    Object e = list.get(i);
                    if (e == null) {
                        return path + "." + (i + 1) + ".member";
                    }
                    if (f.elementKind == Shape.Kind.RECORD && f.shape.hasRequired) { // PutRecords' 500 results: none
                        String m = firstMissing(f.shape, (Record) e, path + "." + (i + 1) + ".member.");
                        if (m != null) {
                            return m;
                        }
                    }
                }
            }
        }
        return null;
    }

    private Record readRecord(JsonParser p, Shape shape) throws IOException {
        Object[] values = new Object[shape.fields.length];
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            Integer index = shape.indexByApiName.get(p.currentName());
            JsonToken valueToken = p.nextToken();
            if (index == null) {
                p.skipChildren();
                continue;
            }
            if (valueToken == JsonToken.VALUE_NULL) {
                continue;
            }
            Shape.Field f = shape.fields[index];
            values[index] = readValue(p, valueToken, f.kind, f.elementKind, f.shape, f.apiName);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + t + " in " + shape.type.getSimpleName());
        }
        return shape.create(values);
    }

    private Object readValue(JsonParser p, JsonToken t, Shape.Kind kind, Shape.Kind elementKind, Shape shape,
            String name) throws IOException {
        switch (kind) {
            case STRING -> {
                expect(t, JsonToken.VALUE_STRING, name);
                return p.getText();
            }
            case INTEGER -> {
                expect(t, JsonToken.VALUE_NUMBER_INT, name);
                return p.getIntValue();
            }
            case LONG -> {
                expect(t, JsonToken.VALUE_NUMBER_INT, name);
                return p.getLongValue();
            }
            case BOOLEAN -> {
                if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
                    throw new IOException(name + " must be a boolean, found " + t);
                }
                return t == JsonToken.VALUE_TRUE;
            }
            case BYTES -> {
                if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_EMBEDDED_OBJECT) {
                    throw new IOException(name + " must be binary data, found " + t);
                }
                return p.getBinaryValue();
            }
            case INSTANT -> {
                return readInstant(p, t, name);
            }
            case RECORD -> {
                expect(t, JsonToken.START_OBJECT, name);
                return readRecord(p, shape);
            }
            case MAP -> {
                expect(t, JsonToken.START_OBJECT, name);
                Map<String, String> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken vt = p.nextToken();
                    map.put(key, vt == JsonToken.VALUE_NULL ? "" : (String) readValue(p, vt, Shape.Kind.STRING, null,
                            null, name + "." + key));
                }
                return map;
            }
            case LIST -> {
                expect(t, JsonToken.START_ARRAY, name);
                List<Object> list = new ArrayList<>();
                JsonToken et;
                while ((et = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (et == null) {
                        throw new IOException("unterminated list " + name);
                    }
                    if (et == JsonToken.VALUE_NULL) {
                        throw new IOException(name + " must not contain null");
                    }
                    list.add(readValue(p, et, elementKind, null, shape, name));
                }
                return list;
            }
            default -> throw new IllegalStateException(kind.toString());
        }
    }

    private Instant readInstant(JsonParser p, JsonToken t, String name) throws IOException {
        boolean cborEpochMillis = protocol == Protocol.CBOR && ((CBORParser) p).getCurrentTag() == CBOR_EPOCH_TAG;
        if (t == JsonToken.VALUE_NUMBER_INT) {
            long n = p.getLongValue();
            return cborEpochMillis ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            BigDecimal seconds = p.getDecimalValue();
            if (cborEpochMillis) {
                return Instant.ofEpochMilli(seconds.longValue());
            }
            return Instant.ofEpochMilli(seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP)
                    .longValueExact());
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText();
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                try {
                    return Instant.ofEpochMilli(new BigDecimal(s).movePointRight(3).longValue());
                } catch (NumberFormatException n) {
                    throw new IOException(name + " is not a timestamp: " + s);
                }
            }
        }
        throw new IOException(name + " must be a timestamp, found " + t);
    }

    private static void expect(JsonToken actual, JsonToken expected, String name) throws IOException {
        if (actual != expected) {
            throw new IOException(name + " must be " + describe(expected) + ", found " + actual);
        }
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "a list";
            default -> t.toString();
        };
    }

    // ---------------------------------------------------------------- errors

    /**
     * The typed exception for an error response. The type comes from {@code __type} in the body (a namespace prefix
     * such as {@code com.amazonaws.kinesis.v20131202#} and anything after {@code :} are dropped) or else from the
     * {@code x-amzn-ErrorType} header; the message from {@code message} or {@code Message}. A body that does not parse
     * still yields an exception, typed by the HTTP status.
     *
     * @param httpStatus      the response's status code
     * @param body            the response body, or null
     * @param errorTypeHeader the {@code x-amzn-ErrorType} header, or null
     * @param requestId       the {@code x-amzn-RequestId} header, or null
     * @return the exception to throw or fail a future with; never null
     */
    public KinesisServiceException decodeError(int httpStatus, byte[] body, String errorTypeHeader, String requestId) {
        String type = null;
        String message = null;
        if (body != null && body.length > 0) {
            try (JsonParser p = factory.createParser(body)) {
                if (p.nextToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken vt = p.nextToken();
                        if (vt == JsonToken.VALUE_STRING && "__type".equals(field)) {
                            type = p.getText();
                        } else if (vt == JsonToken.VALUE_STRING
                                && ("message".equals(field) || "Message".equals(field))) {
                            message = p.getText();
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            } catch (IOException | RuntimeException malformed) {
                // fall through: typed by header or status
            }
        }
        if (type == null && errorTypeHeader != null && !errorTypeHeader.isBlank()) {
            type = errorTypeHeader;
        }
        type = cleanType(type);
        if (type == null) {
            type = httpStatus >= 500 ? ErrorCodes.INTERNAL_FAILURE : "HttpStatus" + httpStatus;
            if (message == null) {
                message = "HTTP " + httpStatus + " without a Kinesis error body";
            }
        }
        return KinesisServiceException.of(type, message, httpStatus, requestId);
    }

    private static String cleanType(String type) {
        if (type == null) {
            return null;
        }
        String t = type;
        int hash = t.lastIndexOf('#');
        if (hash >= 0) {
            t = t.substring(hash + 1);
        }
        int colon = t.indexOf(':');
        if (colon >= 0) {
            t = t.substring(0, colon);
        }
        t = t.trim();
        return t.isEmpty() ? null : t;
    }
}
