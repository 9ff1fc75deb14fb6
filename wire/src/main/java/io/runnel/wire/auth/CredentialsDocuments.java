package io.runnel.wire.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/** Reading the documents credential endpoints answer with: flat JSON objects, STS XML, ISO-8601 times. */
final class CredentialsDocuments {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private CredentialsDocuments() {
    }

    /**
     * The top-level scalar fields of a JSON object, as text; nested objects and arrays are skipped.
     *
     * @throws CredentialsException when the body is not a JSON object
     */
    static Map<String, String> jsonFields(byte[] body, String source) {
        return jsonFields(body, null, source);
    }

    /**
     * The scalar fields, as text, of the object in top-level field {@code member} of a JSON object (of the object
     * itself when {@code member} is null); empty when there is no such member.
     *
     * @throws CredentialsException when the body is not a JSON object
     */
    static Map<String, String> jsonFields(byte[] body, String member, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CredentialsException(source + ": the answer is not a JSON object");
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT && member != null && member.equals(name)) {
                    return jsonFields(p, source);
                }
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else if (value != JsonToken.VALUE_NULL && member == null) {
                    out.put(name, p.getText());
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new CredentialsException(source + ": the answer is not a complete JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new CredentialsException(source + ": the answer is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CredentialsException(source + ": cannot read the answer: " + e.getMessage(), e);
        }
        return out;
    }

    /** The top-level scalar fields of an error answer; empty when it is not a JSON object. */
    static Map<String, String> jsonFieldsOrEmpty(byte[] body) {
        try {
            return jsonFields(body, null, "error answer");
        } catch (CredentialsException notJson) {
            return Map.of();
        }
    }

    /** The scalar fields of the object whose START_OBJECT {@code p} is at. */
    private static Map<String, String> jsonFields(JsonParser p, String source) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (value != JsonToken.VALUE_NULL) {
                out.put(name, p.getText());
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new CredentialsException(source + ": the answer is not a complete JSON object");
        }
        return out;
    }

    /** A flat JSON object of string fields, in the map's order. */
    static byte[] jsonObject(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not for a byte array
        }
        return out.toByteArray();
    }

    /**
     * Credentials from the usual fields of a credentials document.
     *
     * @throws CredentialsException naming the missing field or the bad expiration
     */
    static Credentials credentials(Map<String, String> fields, String accessKeyField, String secretField,
            String tokenField, String expirationField, String source) {
        String id = EnvironmentCredentialsProvider.trimToNull(fields.get(accessKeyField));
        String secret = EnvironmentCredentialsProvider.trimToNull(fields.get(secretField));
        if (id == null || secret == null) {
            throw new CredentialsException(source + ": the answer has no " + (id == null ? accessKeyField
                    : secretField));
        }
        String expiration = EnvironmentCredentialsProvider.trimToNull(fields.get(expirationField));
        return new Credentials(id, secret, EnvironmentCredentialsProvider.trimToNull(fields.get(tokenField)),
                expiration == null ? null : instant(expiration, expirationField, source));
    }

    /** An ISO-8601 time with a zone ({@code 2026-11-25T10:00:00Z}, {@code ...+00:00}, fractions allowed). */
    static Instant instant(String value, String field, String source) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw new CredentialsException(source + ": " + field + " is not an ISO-8601 time: " + value, e2);
            }
        }
    }

    /**
     * Parses XML without DTDs, external entities, external schemas or XInclude (the answer comes over the network).
     *
     * @throws CredentialsException when the body is not well-formed XML or has a DOCTYPE
     */
    static Document xml(byte[] body, String source) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new ByteArrayInputStream(body));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be configured safely", e);
        } catch (SAXException | IOException e) {
            throw new CredentialsException(source + ": the answer is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** The text of the first element named {@code name} (any namespace) under {@code parent}, or null. */
    static String childText(Element parent, String name) {
        NodeList nodes = parent.getElementsByTagNameNS("*", name);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }
}
