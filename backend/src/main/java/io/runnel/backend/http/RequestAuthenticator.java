package io.runnel.backend.http;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.SigV4Signer;
import io.runnel.wire.auth.SignableRequest;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.KinesisServiceException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Checks a request's SigV4 signature against the key pair, among those the backend was started with, whose access key
 * id it names, and refuses with the error types Kinesis uses: missing or malformed Authorization
 * ({@code MissingAuthenticationTokenException}, {@code IncompleteSignatureException}), an unknown key, or a session
 * token other than the one a held pair carries ({@code UnrecognizedClientException}), a wrong signature
 * ({@code InvalidSignatureException}), a date more than 5 minutes off ({@code InvalidSignatureException}, "Signature
 * expired" or "Signature not yet current", as Kinesis words them; its answers carry a {@code Date} header, which
 * clients correct their clocks by). A held pair
 * without a session token accepts requests with any token (or none), so long-term keys stand in for temporary ones.
 * Accepted requests are counted per access key id ({@link #acceptedByAccessKey()}). Thread-safe.
 */
public final class RequestAuthenticator {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** How far from the service's clock a signing time may be (Kinesis: 5 minutes either way). */
    static final long MAX_SKEW_MILLIS = 5 * 60 * 1000L;

    private static final String INVALID_TOKEN = "The security token included in the request is invalid.";

    private final Map<String, Credentials> byAccessKey;
    private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();

    /**
     * An authenticator accepting requests signed with one key pair.
     *
     * @param credentials the key pair
     * @throws NullPointerException when {@code credentials} is null
     */
    public RequestAuthenticator(Credentials credentials) {
        this(List.of(Objects.requireNonNull(credentials, "credentials")));
    }

    /**
     * @param pairs the key pairs requests may be signed with (at least one)
     * @throws IllegalArgumentException when there is none, or two share an access key id
     */
    public RequestAuthenticator(Collection<Credentials> pairs) {
        Map<String, Credentials> map = new LinkedHashMap<>();
        for (Credentials c : Objects.requireNonNull(pairs, "pairs")) {
            Objects.requireNonNull(c, "credentials");
            if (map.putIfAbsent(c.accessKeyId(), c) != null) {
                throw new IllegalArgumentException("access key id " + c.accessKeyId() + " is given twice");
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("at least one key pair is needed");
        }
        this.byAccessKey = Map.copyOf(map);
    }

    /**
     * {@return how many requests each access key id signed that were accepted, sorted by key id; a snapshot}
     */
    public Map<String, Long> acceptedByAccessKey() {
        Map<String, Long> out = new TreeMap<>();
        accepted.forEach((key, n) -> out.put(key, n.sum()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Verifies {@code request}; returns normally when its signature is good, and counts it for its access key id.
     *
     * @param request the request, with its whole body (the signature covers the body's hash)
     * @param now     the time now, compared with the request's {@code X-Amz-Date}
     * @throws KinesisServiceException with the error code Kinesis answers with (see above) when the request is
     *                                 refused
     */
    public void verify(FullHttpRequest request, Instant now) {
        String auth = request.headers().get("Authorization");
        if (auth == null || auth.isBlank()) {
            throw error(ErrorCodes.MISSING_AUTHENTICATION_TOKEN, 400, "Missing Authentication Token");
        }
        if (!auth.startsWith("AWS4-HMAC-SHA256 ")) {
            throw error(ErrorCodes.INCOMPLETE_SIGNATURE, 400, "Authorization header requires the AWS4-HMAC-SHA256"
                    + " algorithm.");
        }
        String credential = part(auth, "Credential=");
        String signedHeaders = part(auth, "SignedHeaders=");
        String signature = part(auth, "Signature=");
        if (credential == null || signedHeaders == null || signature == null) {
            throw error(ErrorCodes.INCOMPLETE_SIGNATURE, 400, "Authorization header requires 'Credential',"
                    + " 'SignedHeaders' and 'Signature' parameters. Authorization=" + auth);
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw error(ErrorCodes.INCOMPLETE_SIGNATURE, 400, "Credential must have the form"
                    + " KEY/DATE/REGION/SERVICE/aws4_request, was " + credential);
        }
        Credentials credentials = byAccessKey.get(scope[0]);
        if (credentials == null) {
            throw error(ErrorCodes.UNRECOGNIZED_CLIENT, 400, INVALID_TOKEN);
        }
        String token = request.headers().get("X-Amz-Security-Token");
        if (credentials.sessionToken() != null && (token == null || !MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), credentials.sessionToken().getBytes(StandardCharsets.UTF_8)))) {
            throw error(ErrorCodes.UNRECOGNIZED_CLIENT, 400, INVALID_TOKEN);
        }
        String amzDate = request.headers().get("X-Amz-Date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(Objects.requireNonNull(amzDate), AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException | NullPointerException e) {
            throw error(ErrorCodes.INCOMPLETE_SIGNATURE, 400, "X-Amz-Date header is missing or malformed: "
                    + amzDate);
        }
        if (signedAt.toEpochMilli() < now.toEpochMilli() - MAX_SKEW_MILLIS) {
            throw error(ErrorCodes.INVALID_SIGNATURE, 400, "Signature expired: " + amzDate + " is now earlier than "
                    + amzDate(now.minusMillis(MAX_SKEW_MILLIS)) + " (" + amzDate(now) + " - 5 min.)");
        }
        if (signedAt.toEpochMilli() > now.toEpochMilli() + MAX_SKEW_MILLIS) {
            throw error(ErrorCodes.INVALID_SIGNATURE, 400, "Signature not yet current: " + amzDate + " is still later"
                    + " than " + amzDate(now.plusMillis(MAX_SKEW_MILLIS)) + " (" + amzDate(now) + " + 5 min.)");
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : signedHeaders.split(";")) {
            if (name.equals("x-amz-date") || name.equals("x-amz-security-token")) {
                continue; // the signer adds them back
            }
            List<String> values = request.headers().getAll(name);
            if (values.isEmpty()) {
                throw error(ErrorCodes.INCOMPLETE_SIGNATURE, 400, "Signed header " + name + " is missing.");
            }
            values.forEach(v -> headers.add(Map.entry(name, v)));
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        int q = request.uri().indexOf('?');
        SignableRequest signable = new SignableRequest(request.method().name(), uri.path(),
                q < 0 ? null : request.uri().substring(q + 1), headers, request.content().nioBuffer());
        Credentials effective = token == null ? credentials
                : new Credentials(credentials.accessKeyId(), credentials.secretAccessKey(), token, null);
        String expected = new SigV4Signer(scope[2], scope[3]).sign(signable, effective, signedAt).get("Authorization");
        String expectedSignature = part(expected, "Signature=");
        if (!MessageDigest.isEqual(signature.getBytes(StandardCharsets.US_ASCII),
                expectedSignature.getBytes(StandardCharsets.US_ASCII))) {
            throw error(ErrorCodes.INVALID_SIGNATURE, 400, "The request signature we calculated does not match the"
                    + " signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        accepted.computeIfAbsent(credentials.accessKeyId(), k -> new LongAdder()).increment();
    }

    private static String part(String auth, String key) {
        int i = auth.indexOf(key);
        if (i < 0) {
            return null;
        }
        int end = auth.indexOf(',', i);
        return auth.substring(i + key.length(), end < 0 ? auth.length() : end).trim();
    }

    private static KinesisServiceException error(String code, int status, String message) {
        return KinesisServiceException.of(code, message, status, null);
    }

    private static String amzDate(Instant t) {
        return AMZ_DATE.format(t.atOffset(ZoneOffset.UTC));
    }
}
