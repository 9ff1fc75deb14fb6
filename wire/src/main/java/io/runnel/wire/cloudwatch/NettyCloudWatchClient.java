package io.runnel.wire.cloudwatch;

import io.runnel.wire.Endpoint;
import io.runnel.wire.TransportOptions;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.ThrottlingException;
import io.runnel.wire.internal.HttpResult;
import io.runnel.wire.internal.SignedClientBuilder;
import io.runnel.wire.internal.SignedPostClient;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The CloudWatch client over Netty: PutMetricData encoded by {@link QueryEncoder}, signed with SigV4 for the service
 * {@value #SIGNING_SERVICE}, sent over a small pool of keep-alive connections (TLS through the JDK, through a proxy and
 * trusting extra CAs as {@link TransportOptions} say).
 *
 * <p>Errors come back as the service's error code: {@code Throttling} as a retryable {@link ThrottlingException},
 * 5xx as retryable {@link KinesisServiceException}s, other 4xx (e.g. {@code AccessDenied},
 * {@code InvalidParameterValue}) as non-retryable ones. Futures complete on the {@link Builder#callbackExecutor
 * callback executor} when one is set, else on a Netty event loop (then keep callbacks short). Thread-safe.
 */
public final class NettyCloudWatchClient implements CloudWatchClient {
    /** The service name in SigV4 credential scopes. */
    public static final String SIGNING_SERVICE = "monitoring";

    private final SignedPostClient http;

    private NettyCloudWatchClient(Builder b) {
        this.http = new SignedPostClient(b, SIGNING_SERVICE);
    }

    /** @return a builder; an endpoint must be set before {@link Builder#build()} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The public CloudWatch endpoint of a region: {@code https://monitoring[-fips].<region>.amazonaws.com}
     * ({@code .amazonaws.com.cn} in China).
     *
     * @param region the region, like {@code us-east-1}
     * @param fips   whether to use the FIPS 140 endpoint
     * @return the endpoint, signed for {@code region}
     * @throws IllegalArgumentException when the region is not like {@code us-east-1}
     */
    public static Endpoint regionalEndpoint(String region, boolean fips) {
        String suffix = region != null && region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return Endpoint.of("https://" + (fips ? "monitoring-fips." : "monitoring.") + region + "." + suffix, region);
    }

    /** @return where requests go */
    public Endpoint endpoint() {
        return http.endpoint();
    }

    @Override
    public CompletableFuture<Void> putMetricData(PutMetricDataRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            byte[] body = QueryEncoder.encode(request);
            if (body.length > QueryEncoder.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("PutMetricData body is " + body.length + " bytes, more than "
                        + QueryEncoder.MAX_PAYLOAD_BYTES);
            }
            return http.post(QueryEncoder.CONTENT_TYPE, null, out -> out.write(body), NettyCloudWatchClient::check);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Void check(HttpResult r) {
        if (r.status() / 100 == 2) {
            return null;
        }
        throw error(r.status(), r.body(), r.headers().get("x-amzn-RequestId"));
    }

    /**
     * The exception for a Query-protocol error answer ({@code <ErrorResponse><Error><Code>...}); a body that is not
     * one (a proxy's page) gives the status as the code.
     */
    static KinesisServiceException error(int status, byte[] body, String requestIdHeader) {
        String code = null;
        String message = null;
        String requestId = requestIdHeader;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(body));
            NodeList errors = doc.getElementsByTagNameNS("*", "Error");
            if (errors.getLength() > 0) {
                code = childText((Element) errors.item(0), "Code");
                message = childText((Element) errors.item(0), "Message");
            }
            String id = childText(doc.getDocumentElement(), "RequestId");
            if (id != null) {
                requestId = id;
            }
        } catch (Exception notXml) {
            // Not a CloudWatch error document: the status and an excerpt say what there is.
        }
        if (code == null) {
            String excerpt = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
            return KinesisServiceException.of("HTTP" + status, "CloudWatch answered HTTP " + status
                    + (excerpt.isEmpty() ? "" : ": " + excerpt), status, requestId);
        }
        String text = "CloudWatch PutMetricData failed: " + code + (message == null ? "" : ": " + message);
        if (code.equals("Throttling") || code.equals("ThrottlingException")) {
            return new ThrottlingException(text, status, requestId);
        }
        return KinesisServiceException.of(code, text, status, requestId);
    }

    private static String childText(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }

    @Override
    public void close() {
        http.close();
    }

    /** Builds a {@link NettyCloudWatchClient}; validates each setting as it is set. */
    public static final class Builder extends SignedClientBuilder<Builder> {
        private Builder() {
            // One PutMetricData a minute or so: two connections and a short queue are plenty.
            super(new Defaults(2, 64, Duration.ofSeconds(10), 1024 * 1024, 1));
        }

        /**
         * A new client; it opens connections as requests need them, and owns its event loop group unless one was set.
         *
         * @return the client, to {@linkplain NettyCloudWatchClient#close() close} when done
         * @throws IllegalStateException when no endpoint was set ({@link #regionalEndpoint} or {@link Endpoint#of}),
         *                               or minConnections exceeds maxConnections
         */
        public NettyCloudWatchClient build() {
            checkComplete("NettyCloudWatchClient.regionalEndpoint(...) or Endpoint.of(...)");
            return new NettyCloudWatchClient(this);
        }
    }
}
