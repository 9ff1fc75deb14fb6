package io.runnel.backend.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import io.runnel.wire.Protocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request body as plain values, before it becomes a model record: objects are maps keyed by the API's member names,
 * arrays lists, and a CBOR byte string only its length ({@link Blob}). Keeps members the model records do not have
 * (such as {@code StreamId}), so the validator sees everything the client sent. Stateless.
 */
public final class RequestTree {
    private static final int MAX_STRING_LENGTH = 64 * 1024 * 1024;
    private static final JsonFactory JSON = factory(new JsonFactory());
    private static final JsonFactory CBOR = factory(new CBORFactory());

    /** The length of binary data sent as a CBOR byte string. */
    public record Blob(long length) {
    }

    private RequestTree() {
    }

    private static JsonFactory factory(JsonFactory f) {
        f.setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build());
        return f;
    }

    /**
     * The body's members, or null when it is not one well-formed object (the codec then says why). An empty body is
     * an empty request.
     *
     * @param protocol the body's encoding, JSON or CBOR
     * @param body     the request body
     * @return the members by name, or null
     */
    public static Map<String, Object> parse(Protocol protocol, byte[] body) {
        if (body.length == 0) {
            return Map.of();
        }
        try (JsonParser p = (protocol == Protocol.CBOR ? CBOR : JSON).createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Object tree = read(p);
            return p.nextToken() == null ? asMap(tree) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object tree) {
        return (Map<String, Object>) tree;
    }

    /** Reads the value at the parser's current token. */
    static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, read(p));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return p.getNumberValue();
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return t == JsonToken.VALUE_TRUE;
            }
            case VALUE_NULL -> {
                return null;
            }
            case VALUE_EMBEDDED_OBJECT -> {
                // A CBOR byte string (a record's data): only its length matters here, so it is counted as the parser
                // passes over it rather than copied into an array (the codec decodes the body again for the action).
                return new Blob(p.readBinaryValue(java.io.OutputStream.nullOutputStream()));
            }
            default -> throw new IOException("unexpected " + t);
        }
    }
}
