package io.runnel.producer.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.runnel.wire.auth.Credentials;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An EC2 instance metadata service (IMDSv2) serving one role's credentials, on a free loopback port:
 * {@code PUT /latest/api/token}, then with that token {@code GET /latest/meta-data/iam/security-credentials/} (the role
 * name) and {@code GET /latest/meta-data/iam/security-credentials/ROLE} (the credentials' JSON). Tests switch which
 * credentials it serves ({@link #serve}) and take it down ({@link #down}: every request answered 500) and up again.
 * Thread-safe.
 */
public final class FakeInstanceMetadata implements AutoCloseable {
    public static final String ROLE = "runnel-producer-role";
    private static final String TOKEN = "fake-imds-session-token";
    private static final String CREDENTIALS_PATH = "/latest/meta-data/iam/security-credentials/";

    private final HttpServer server;
    private volatile Credentials serving;
    private volatile boolean down;
    private final AtomicInteger credentialsServed = new AtomicInteger();
    private final AtomicInteger failuresServed = new AtomicInteger();

    /** Starts serving {@code initial}, which must carry a session token and an expiration. */
    public FakeInstanceMetadata(Credentials initial) throws IOException {
        serve(initial);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** What {@code AWS_EC2_METADATA_SERVICE_ENDPOINT} should say. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code credentials} from the next request on. */
    public void serve(Credentials credentials) {
        Objects.requireNonNull(credentials.sessionToken(), "sessionToken");
        Objects.requireNonNull(credentials.expiration(), "expiration");
        this.serving = credentials;
    }

    /** While true every request is answered HTTP 500. */
    public void down(boolean down) {
        this.down = down;
    }

    /** How many credentials documents were served. */
    public int credentialsServed() {
        return credentialsServed.get();
    }

    /** How many requests were answered 500 while {@link #down}. */
    public int failuresServed() {
        return failuresServed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (down) {
                failuresServed.incrementAndGet();
                respond(exchange, 500, "Internal Server Error");
            } else if (path.equals("/latest/api/token")) {
                if (!method.equals("PUT") || exchange.getRequestHeaders()
                        .getFirst("X-aws-ec2-metadata-token-ttl-seconds") == null) {
                    respond(exchange, 400, "a token is asked for with PUT and a TTL");
                } else {
                    respond(exchange, 200, TOKEN);
                }
            } else if (!TOKEN.equals(exchange.getRequestHeaders().getFirst("X-aws-ec2-metadata-token"))) {
                respond(exchange, 401, "Unauthorized");
            } else if (method.equals("GET") && path.equals(CREDENTIALS_PATH)) {
                respond(exchange, 200, ROLE);
            } else if (method.equals("GET") && path.equals(CREDENTIALS_PATH + ROLE)) {
                Credentials c = serving;
                credentialsServed.incrementAndGet();
                respond(exchange, 200, """
                        {
                          "Code" : "Success",
                          "LastUpdated" : "%s",
                          "Type" : "AWS-HMAC",
                          "AccessKeyId" : "%s",
                          "SecretAccessKey" : "%s",
                          "Token" : "%s",
                          "Expiration" : "%s"
                        }""".formatted(c.expiration().minusSeconds(6 * 3600), c.accessKeyId(),
                        c.secretAccessKey(), c.sessionToken(), c.expiration()));
            } else {
                respond(exchange, 404, "Not Found");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
