package io.runnel.wire.cloudwatch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes PutMetricData in the AWS Query protocol: {@code application/x-www-form-urlencoded} parameters
 * ({@code Action=PutMetricData&Version=2010-08-01&Namespace=...&MetricData.member.1.MetricName=...}), every name and
 * value percent-encoded as RFC 3986 asks (only unreserved characters left as they are). Stateless and thread-safe.
 */
public final class QueryEncoder {
    /** The API version of the Query protocol's {@code Version} parameter. */
    public static final String VERSION = "2010-08-01";
    /** The content type of encoded requests. */
    public static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=UTF-8";
    /**
     * The most bytes a request body may have. The API allows 1 MB for HTTP POST; this leaves room for the difference
     * between a decimal and a binary megabyte.
     */
    public static final int MAX_PAYLOAD_BYTES = 1_000_000;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final String HEADER_PREFIX = "Action=PutMetricData&Version=" + VERSION + "&Namespace=";

    private QueryEncoder() {
    }

    /**
     * The request as a form body (UTF-8; all ASCII after encoding).
     *
     * @param request the metrics
     * @return the {@code application/x-www-form-urlencoded} body; its size is not checked
     */
    public static byte[] encode(PutMetricDataRequest request) {
        StringBuilder sb = new StringBuilder(256 + 256 * request.metricData().size());
        sb.append(HEADER_PREFIX);
        appendEncoded(sb, request.namespace());
        for (int i = 0; i < request.metricData().size(); i++) {
            appendDatum(sb, request.metricData().get(i), i + 1);
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Splits metrics into as few requests as the limits allow, in order: each request at most {@code maxItems}
     * metrics and at most {@code maxBytes} encoded.
     *
     * @param namespace the namespace of every request
     * @param data      the metrics, in the order they are sent
     * @param maxItems  1 to {@link PutMetricDataRequest#MAX_METRIC_DATA}
     * @param maxBytes  up to {@link #MAX_PAYLOAD_BYTES}
     * @return the requests, empty when {@code data} is
     * @throws IllegalArgumentException when a single metric alone is larger than {@code maxBytes}, or a limit is out
     *                                  of range
     */
    public static List<PutMetricDataRequest> batches(String namespace, List<MetricDatum> data, int maxItems,
            int maxBytes) {
        PutMetricDataRequest.checkNamespace(namespace);
        if (maxItems < 1 || maxItems > PutMetricDataRequest.MAX_METRIC_DATA) {
            throw new IllegalArgumentException("maxItems must be 1-" + PutMetricDataRequest.MAX_METRIC_DATA
                    + ", was " + maxItems);
        }
        if (maxBytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("maxBytes must be at most " + MAX_PAYLOAD_BYTES + ", was " + maxBytes);
        }
        StringBuilder header = new StringBuilder(HEADER_PREFIX);
        appendEncoded(header, namespace);
        int headerBytes = header.length();
        List<PutMetricDataRequest> out = new ArrayList<>();
        List<MetricDatum> current = new ArrayList<>();
        int size = headerBytes;
        StringBuilder scratch = new StringBuilder(512);
        for (MetricDatum d : data) {
            int bytes = datumSize(scratch, d, current.size() + 1);
            if (!current.isEmpty() && (current.size() == maxItems || size + bytes > maxBytes)) {
                out.add(new PutMetricDataRequest(namespace, current));
                current = new ArrayList<>();
                size = headerBytes;
                bytes = datumSize(scratch, d, 1);
            }
            if (headerBytes + bytes > maxBytes) {
                throw new IllegalArgumentException("metric " + d.metricName() + " alone encodes to " + (headerBytes
                        + bytes) + " bytes, more than " + maxBytes);
            }
            current.add(d);
            size += bytes;
        }
        if (!current.isEmpty()) {
            out.add(new PutMetricDataRequest(namespace, current));
        }
        return out;
    }

    private static int datumSize(StringBuilder scratch, MetricDatum d, int index) {
        scratch.setLength(0);
        appendDatum(scratch, d, index);
        return scratch.length();
    }

    private static void appendDatum(StringBuilder sb, MetricDatum d, int index) {
        String p = "&MetricData.member." + index + ".";
        sb.append(p).append("MetricName=");
        appendEncoded(sb, d.metricName());
        for (int j = 0; j < d.dimensions().size(); j++) {
            Dimension dim = d.dimensions().get(j);
            String dp = p + "Dimensions.member." + (j + 1) + ".";
            sb.append(dp).append("Name=");
            appendEncoded(sb, dim.name());
            sb.append(dp).append("Value=");
            appendEncoded(sb, dim.value());
        }
        sb.append(p).append("Timestamp=");
        appendEncoded(sb, d.timestamp().toString());
        StatisticSet s = d.statisticValues();
        sb.append(p).append("StatisticValues.SampleCount=").append(number(s.sampleCount()));
        sb.append(p).append("StatisticValues.Sum=").append(number(s.sum()));
        sb.append(p).append("StatisticValues.Minimum=").append(number(s.minimum()));
        sb.append(p).append("StatisticValues.Maximum=").append(number(s.maximum()));
        sb.append(p).append("Unit=");
        appendEncoded(sb, d.unit());
    }

    /** Whole numbers without a fraction ({@code 3}, not {@code 3.0}); others as Java prints doubles. */
    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return appendEncoded(new StringBuilder(), Double.toString(v)).toString();
    }

    static StringBuilder appendEncoded(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append(c);
            } else if (c < 0x80) {
                pct(sb, c);
            } else {
                int cp = s.codePointAt(i);
                if (Character.charCount(cp) == 2) {
                    i++;
                }
                for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    pct(sb, b & 0xFF);
                }
            }
        }
        return sb;
    }

    private static void pct(StringBuilder sb, int b) {
        sb.append('%').append(HEX[b >> 4]).append(HEX[b & 0xF]);
    }
}
