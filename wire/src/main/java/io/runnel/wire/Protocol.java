package io.runnel.wire;

/** The two encodings of the Kinesis API. */
public enum Protocol {
    /** JSON 1.1: data as base64 strings, timestamps as epoch seconds with a fraction. */
    JSON("application/x-amz-json-1.1"),
    /** CBOR 1.1: data as byte strings, timestamps as tagged epoch milliseconds (the AWS SDK's default). */
    CBOR("application/x-amz-cbor-1.1");

    private final String contentType;

    Protocol(String contentType) {
        this.contentType = contentType;
    }

    /** @return the Content-Type header value of requests and responses in this encoding */
    public String contentType() {
        return contentType;
    }

    /**
     * The protocol of a Content-Type header value (parameters such as {@code ; charset=} are ignored).
     *
     * @param contentType a Content-Type header value, or null
     * @return the protocol, or null when it is neither; {@code application/json} counts as JSON
     */
    public static Protocol fromContentType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim()
                .toLowerCase(java.util.Locale.ROOT);
        return switch (type) {
            case "application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json" -> JSON;
            case "application/x-amz-cbor-1.1", "application/cbor" -> CBOR;
            default -> null;
        };
    }
}
