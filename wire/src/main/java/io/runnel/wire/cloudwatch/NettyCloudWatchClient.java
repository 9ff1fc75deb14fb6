package io.runnel.wire.cloudwatch;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import io.runnel.wire.Endpoint;
import io.runnel.wire.TransportOptions;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.ThrottlingException;
import io.runnel.wire.internal.HttpResult;
import io.runnel.wire.internal.HttpTransport;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * {@code InvalidParameterValue}) as non-retryable ones. Futures complete on a Netty event loop; keep callbacks short.
 * Thread-safe.
 */
public final class NettyCloudWatchClient implements CloudWatchClient {
    /** The service name in SigV4 credential scopes. */
    public static final String SIGNING_SERVICE = "monitoring";
    private static final String USER_AGENT = "runnel/0.1.0";

    private final Endpoint endpoint;
    private final CredentialsProvider credentials;
    private final boolean ownsCredentials;
    private final SigV4Signer signer;
    private final HttpTransport transport;
    private final Clock clock;

    private NettyCloudWatchClient(Builder b) {
        this.endpoint = b.endpoint;
        this.ownsCredentials = b.credentials == null;
        this.credentials = ownsCredentials ? new DefaultCredentialsProvider(System.getenv(), System.getProperties(),
                java.nio.file.Path.of(System.getProperty("user.home")), Clock.systemUTC(), b.options) : b.credentials;
        this.signer = new SigV4Signer(endpoint.region(), SIGNING_SERVICE);
        this.clock = b.clock;
        this.transport = new HttpTransport(new HttpTransport.Settings(endpoint.host(), endpoint.port(),
                endpoint.isTls(), b.trustAllCertificates, 2, 64, b.connectTimeout, b.requestTimeout,
                Duration.ofSeconds(60), 1024 * 1024, 1, 0, b.options), null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The public CloudWatch endpoint of a region: {@code https://monitoring[-fips].<region>.amazonaws.com}
     * ({@code .amazonaws.com.cn} in China).
     *
     * @throws IllegalArgumentException when the region is not like {@code us-east-1}
     */
    public static Endpoint regionalEndpoint(String region, boolean fips) {
        String suffix = region != null && region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return Endpoint.of("https://" + (fips ? "monitoring-fips." : "monitoring.") + region + "." + suffix, region);
    }

    public Endpoint endpoint() {
        return endpoint;
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
            Credentials creds = credentials.resolveCredentials();
            List<Map.Entry<String, String>> headers = new ArrayList<>(8);
            headers.add(Map.entry("Host", endpoint.hostHeader()));
            headers.add(Map.entry("Content-Type", QueryEncoder.CONTENT_TYPE));
            Map<String, String> auth = signer.sign(new SignableRequest("POST", "/", null, headers,
                    ByteBuffer.wrap(body)), creds, clock.instant());
            auth.forEach((k, v) -> headers.add(Map.entry(k, v)));
            headers.add(Map.entry("User-Agent", USER_AGENT));
            ByteBuf buf = Unpooled.wrappedBuffer(body);
            return transport.execute(HttpMethod.POST, "/", headers, buf).thenApply(NettyCloudWatchClient::check);
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
        transport.close();
        if (ownsCredentials) {
            credentials.close();
        }
    }

    /** Builds a {@link NettyCloudWatchClient}; validates each setting as it is set. */
    public static final class Builder {
        private Endpoint endpoint;
        private CredentialsProvider credentials;
        private TransportOptions options = TransportOptions.DEFAULT;
        private Duration connectTimeout = Duration.ofSeconds(6);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private boolean trustAllCertificates;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Where to send requests (required): {@link #regionalEndpoint} or {@link Endpoint#of}. */
        public Builder endpoint(Endpoint endpoint) {
            this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
            return this;
        }

        /**
         * Credentials to sign with; default: a {@link DefaultCredentialsProvider}, closed with the client. A provider
         * passed here is not closed by the client.
         */
        public Builder credentialsProvider(CredentialsProvider credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
            return this;
        }

        /** Proxy and extra CA certificates (default: direct, the JDK's trust store). */
        public Builder transportOptions(TransportOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** TCP connect timeout (default 6 s). */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /** From sending a request to its whole answer (default 10 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /** Skip TLS certificate and host name verification (local endpoints only). */
        public Builder trustAllCertificates(boolean trustAll) {
            this.trustAllCertificates = trustAll;
            return this;
        }

        /** The clock signatures are dated with (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }

        /** @throws IllegalStateException when no endpoint was set */
        public NettyCloudWatchClient build() {
            if (endpoint == null) {
                throw new IllegalStateException("endpoint is required: NettyCloudWatchClient.regionalEndpoint(...)"
                        + " or Endpoint.of(...)");
            }
            return new NettyCloudWatchClient(this);
        }
    }
}
