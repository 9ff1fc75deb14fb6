package io.runnel.wire.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for one region and service ({@code kinesis}): adds {@code X-Amz-Date},
 * {@code X-Amz-Security-Token} (temporary credentials) and {@code Authorization} to a request.
 *
 * <p>Thread-safe. The derived signing key is cached for the current date, secret, region and service, so a request
 * costs one SHA-256 of its payload and two HMACs. The digests and MACs are kept per thread, the date's text per
 * second: a producer signs every request it sends, and looking an algorithm up or formatting a date cost more than
 * hashing a small body (benchmarks/README.md).
 */
public final class SigV4Signer {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });
    private static final ThreadLocal<Mac> HMAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    });
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String region;
    private final String service;
    private volatile SigningKey signingKey;
    private volatile AmzDate amzDate;

    private record SigningKey(String secret, String date, byte[] key) {
    }

    /** {@code X-Amz-Date}'s text for one second since the epoch. */
    private record AmzDate(long epochSecond, String text) {
    }

    /**
     * A signer for one credential scope.
     *
     * @param region  the region signed for, e.g. {@code us-east-1}
     * @param service the service signed for, e.g. {@code kinesis}
     * @throws NullPointerException when either is null
     */
    public SigV4Signer(String region, String service) {
        this.region = Objects.requireNonNull(region, "region");
        this.service = Objects.requireNonNull(service, "service");
    }

    /**
     * Signs {@code request}. Any {@code X-Amz-Date}, {@code X-Amz-Security-Token} or {@code Authorization} header it
     * carries is left out of the signature, replaced by the ones returned.
     *
     * @param request     what to sign; it must carry a {@code Host} header
     * @param credentials the keys to sign with
     * @param now         the signature's date and time
     * @return the headers to add, in order: {@code X-Amz-Date}, {@code X-Amz-Security-Token} when the credentials
     *         have a session token, {@code Authorization}
     */
    public Map<String, String> sign(SignableRequest request, Credentials credentials, Instant now) {
        String amzDate = amzDate(now);
        String date = amzDate.substring(0, 8);
        List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers());
        headers.removeIf(h -> h.getKey().equalsIgnoreCase("x-amz-date")
                || h.getKey().equalsIgnoreCase("x-amz-security-token")
                || h.getKey().equalsIgnoreCase("authorization"));
        headers.add(Map.entry("X-Amz-Date", amzDate));
        if (credentials.sessionToken() != null) {
            headers.add(Map.entry("X-Amz-Security-Token", credentials.sessionToken()));
        }
        SignableRequest withDate = new SignableRequest(request.method(), request.path(), request.rawQuery(), headers,
                request.payload());
        // once: the canonical request and the Authorization header both name the signed headers
        Map<String, String> canonicalHeaders = canonicalHeaders(withDate);
        String signedHeaders = String.join(";", canonicalHeaders.keySet());
        String canonical = canonicalRequest(withDate, canonicalHeaders, signedHeaders);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String toSign = stringToSign(amzDate, scope, canonical);
        String signature = hex(hmac(signingKey(credentials.secretAccessKey(), date), toSign));
        Map<String, String> out = new LinkedHashMap<>();
        out.put("X-Amz-Date", amzDate);
        if (credentials.sessionToken() != null) {
            out.put("X-Amz-Security-Token", credentials.sessionToken());
        }
        out.put("Authorization", ALGORITHM + " Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature);
        return out;
    }

    /**
     * The SigV4 canonical request (exposed for tests and debugging signature mismatches).
     *
     * @param request the request, which must already carry {@code X-Amz-Date}
     * @return method, canonical URI, query, headers, signed header names and payload hash, one per line
     */
    public static String canonicalRequest(SignableRequest request) {
        Map<String, String> canonicalHeaders = canonicalHeaders(request);
        return canonicalRequest(request, canonicalHeaders, String.join(";", canonicalHeaders.keySet()));
    }

    private static String canonicalRequest(SignableRequest request, Map<String, String> canonicalHeaders,
            String signedHeaders) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(request.method()).append('\n');
        sb.append(canonicalUri(request.path())).append('\n');
        sb.append(canonicalQuery(request.rawQuery())).append('\n');
        canonicalHeaders.forEach((k, v) -> sb.append(k).append(':').append(v).append('\n'));
        sb.append('\n');
        sb.append(signedHeaders).append('\n');
        sb.append(hex(sha256(request.payload())));
        return sb.toString();
    }

    /**
     * The SigV4 string to sign (exposed for tests and debugging signature mismatches).
     *
     * @param amzDate          the {@code X-Amz-Date} value, {@code yyyyMMdd'T'HHmmss'Z'}
     * @param scope            the credential scope, {@code date/region/service/aws4_request}
     * @param canonicalRequest the {@linkplain #canonicalRequest canonical request}
     * @return the algorithm, date, scope and canonical request hash, one per line
     */
    public static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n'
                + hex(sha256(ByteBuffer.wrap(canonicalRequest.getBytes(StandardCharsets.UTF_8))));
    }

    private static Map<String, String> canonicalHeaders(SignableRequest request) {
        TreeMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT).strip();
            String value = h.getValue() == null ? "" : singleSpaced(h.getValue().strip());
            out.merge(name, value, (a, b) -> a + "," + b);
        }
        return out;
    }

    /** Runs of spaces made one (SigV4's header value rule), without a regular expression: signed per request. */
    static String singleSpaced(String value) {
        int at = value.indexOf("  ");
        if (at < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length()).append(value, 0, at + 1);
        for (int i = at + 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != ' ' || value.charAt(i - 1) != ' ') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The path normalised (no empty, {@code .} or {@code ..} segments) and each segment percent-encoded. */
    static String canonicalUri(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!segments.isEmpty()) {
                    segments.remove(segments.size() - 1);
                }
                continue;
            }
            segments.add(s);
        }
        StringBuilder sb = new StringBuilder();
        for (String s : segments) {
            sb.append('/').append(encode(s));
        }
        if (sb.length() == 0 || (path.endsWith("/") && !segments.isEmpty())) {
            sb.append('/');
        }
        return sb.toString();
    }

    /** Query parameters decoded, re-encoded the SigV4 way and sorted by name, then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> params = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new String[] {encode(decode(name)), encode(decode(value))});
        }
        params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : params) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** RFC 3986 percent-encoding of UTF-8 bytes, leaving only unreserved characters. */
    static String encode(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(HEX[c >> 4])).append(Character.toUpperCase(HEX[c & 0xF]));
            }
        }
        return sb.toString();
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] out = new byte[s.length()];
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi >= 0 && lo >= 0) {
                    out[n++] = (byte) ((hi << 4) | lo);
                    i += 2;
                    continue;
                }
            }
            byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            for (byte b : raw) {
                out[n++] = b;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private byte[] signingKey(String secret, String date) {
        SigningKey k = signingKey;
        if (k != null && k.date.equals(date) && k.secret.equals(secret)) {
            return k.key;
        }
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        signingKey = new SigningKey(secret, date, key);
        return key;
    }

    /** {@code now} as {@code yyyyMMdd'T'HHmmss'Z'} (UTC), formatted once per second. */
    private String amzDate(Instant now) {
        long second = now.getEpochSecond();
        AmzDate d = amzDate;
        if (d == null || d.epochSecond != second) {
            amzDate = d = new AmzDate(second, format(LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC)));
        }
        return d.text;
    }

    private static String format(LocalDateTime t) {
        if (t.getYear() < 1 || t.getYear() > 9999) {
            throw new IllegalArgumentException("a SigV4 date has a four-digit year: " + t);
        }
        char[] out = new char[16];
        digits(out, 0, t.getYear(), 4);
        digits(out, 4, t.getMonthValue(), 2);
        digits(out, 6, t.getDayOfMonth(), 2);
        out[8] = 'T';
        digits(out, 9, t.getHour(), 2);
        digits(out, 11, t.getMinute(), 2);
        digits(out, 13, t.getSecond(), 2);
        out[15] = 'Z';
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        Mac mac = HMAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 refused its key", e);
        }
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(ByteBuffer payload) {
        MessageDigest d = SHA256.get();
        d.reset(); // a digest an exception interrupted may hold part of a payload
        d.update(payload.duplicate());
        return d.digest();
    }

    private static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }
}
