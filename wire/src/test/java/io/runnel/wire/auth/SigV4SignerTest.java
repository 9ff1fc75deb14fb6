package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published AWS SigV4 test-suite vectors (region us-east-1, service "service", 20150830T123600Z, key
 * AKIDEXAMPLE): each request must sign to the suite's Authorization header.
 */
class SigV4SignerTest {
    private static final Instant VECTOR_TIME = Instant.parse("2015-08-30T12:36:00Z");
    private static final Credentials EXAMPLE = Credentials.of("AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final String SCOPE = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

    static List<Arguments> vectors() {
        return List.of(
                Arguments.of("get-vanilla", "GET", "/", null, List.of(), "",
                        "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
                Arguments.of("get-unreserved", "GET",
                        "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", null, List.of(), "",
                        "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
                Arguments.of("get-slashes", "GET", "//example//", null, List.of(), "",
                        "host;x-amz-date", "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
                Arguments.of("get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1", List.of(),
                        "", "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
                Arguments.of("get-vanilla-query-order-value", "GET", "/", "Param1=value2&Param1=value1", List.of(),
                        "", "host;x-amz-date", "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
                Arguments.of("get-vanilla-utf8-query", "GET", "/", "%E1%88%B4=bar", List.of(), "",
                        "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
                Arguments.of("get-header-value-order", "GET", "/", null,
                        List.of(Map.entry("My-Header1", "value4"), Map.entry("My-Header1", "value1"),
                                Map.entry("My-Header1", "value3"), Map.entry("My-Header1", "value2")), "",
                        "host;my-header1;x-amz-date",
                        "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
                Arguments.of("get-header-key-duplicate", "GET", "/", null,
                        List.of(Map.entry("My-Header1", "value2"), Map.entry("My-Header1", "value2"),
                                Map.entry("My-Header1", "value1")), "",
                        "host;my-header1;x-amz-date",
                        "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
                Arguments.of("get-header-value-trim", "GET", "/", null,
                        List.of(Map.entry("My-Header1", " value1"), Map.entry("My-Header2", "\"a   b   c\"")), "",
                        "host;my-header1;my-header2;x-amz-date",
                        "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
                Arguments.of("post-x-www-form-urlencoded", "POST", "/", null,
                        List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")), "Param1=value1",
                        "content-type;host;x-amz-date",
                        "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void signsThePublishedVectors(String name, String method, String path, String query,
            List<Map.Entry<String, String>> extraHeaders, String body, String signedHeaders, String signature) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(Map.entry("Host", "example.amazonaws.com"));
        headers.addAll(extraHeaders);
        SignableRequest request = new SignableRequest(method, path, query, headers,
                ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
        Map<String, String> added = new SigV4Signer("us-east-1", "service").sign(request, EXAMPLE, VECTOR_TIME);
        assertThat(added.get("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(added.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=" + SCOPE + ", SignedHeaders="
                + signedHeaders + ", Signature=" + signature);
    }

    @Test
    void sessionTokenIsSignedAndAdded() {
        String token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
        SignableRequest request = new SignableRequest("GET", "/", null,
                List.of(Map.entry("Host", "example.amazonaws.com")), ByteBuffer.allocate(0));
        Map<String, String> added = new SigV4Signer("us-east-1", "service").sign(request,
                Credentials.of("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", token), VECTOR_TIME);
        assertThat(added.get("X-Amz-Security-Token")).isEqualTo(token);
        assertThat(added.get("Authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=" + SCOPE
                + ", SignedHeaders=host;x-amz-date;x-amz-security-token, "
                + "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    }

    @Test
    void canonicalPiecesFollowTheSuite() {
        assertThat(SigV4Signer.canonicalUri("/example space/")).isEqualTo("/example%20space/");
        assertThat(SigV4Signer.canonicalUri("/\u1234")).isEqualTo("/%E1%88%B4");
        assertThat(SigV4Signer.canonicalUri("/example/..")).isEqualTo("/");
        assertThat(SigV4Signer.canonicalUri("/./")).isEqualTo("/");
        assertThat(SigV4Signer.canonicalUri("")).isEqualTo("/");
        assertThat(SigV4Signer.canonicalQuery("b&a=1")).isEqualTo("a=1&b=");
        assertThat(SigV4Signer.canonicalQuery("q=a+b")).isEqualTo("q=a%2Bb");
        assertThat(SigV4Signer.canonicalQuery("Param-3=Value3&Param=Value2&-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                + "abcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"))
                .startsWith("-._~0123456789");
    }

    @Test
    void headerValuesHaveTheirRunsOfSpacesMadeOne() {
        assertThat(SigV4Signer.singleSpaced("value1")).isEqualTo("value1");
        assertThat(SigV4Signer.singleSpaced("a  b   c d")).isEqualTo("a b c d");
        assertThat(SigV4Signer.singleSpaced("a \t  b")).isEqualTo("a \t b"); // only spaces, as the rule says
        assertThat(SigV4Signer.singleSpaced("a  ")).isEqualTo("a ");
    }

    @Test
    void payloadPositionDoesNotMove() {
        ByteBuffer payload = ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8));
        new SigV4Signer("us-east-1", "kinesis").sign(new SignableRequest("POST", "/", null,
                List.of(Map.entry("Host", "h")), payload), EXAMPLE, VECTOR_TIME);
        assertThat(payload.position()).isZero();
    }

    @Test
    void theDateIsUtcAndItsYearHasFourDigits() {
        DateTimeFormatter reference = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        SigV4Signer signer = new SigV4Signer("us-east-1", "kinesis");
        Random random = new Random(11);
        List<Instant> instants = new ArrayList<>(List.of(Instant.parse("2000-01-01T00:00:00Z"),
                Instant.parse("2024-02-29T23:59:59.999Z"), Instant.parse("1970-01-01T00:00:00Z"),
                Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59Z")));
        for (int i = 0; i < 1000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE), random.nextInt(1_000_000_000)));
        }
        for (Instant now : instants) {
            assertThat(signer.sign(request("x"), EXAMPLE, now).get("X-Amz-Date")).as("%s", now)
                    .isEqualTo(reference.format(now));
        }
        assertThatThrownBy(() -> signer.sign(request("x"), EXAMPLE, Instant.parse("+10000-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("four-digit year");
    }

    /**
     * One signer kept for many requests (its date and signing key cached, its digests per thread), from several
     * threads at once, signs each request as a signer made for it alone.
     */
    @Test
    void aSignerSharedAcrossSecondsDaysAndThreadsSignsAsAFreshOne() throws Exception {
        SigV4Signer shared = new SigV4Signer("eu-west-1", "kinesis");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                done.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    Instant now = Instant.parse("2026-12-05T23:59:50Z");
                    for (int i = 0; i < 500; i++) {
                        now = now.plusMillis(random.nextInt(3000)); // across seconds, and midnight
                        byte[] body = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(100_000)];
                        random.nextBytes(body);
                        Credentials creds = Credentials.of("AKID", random.nextInt(8) == 0 ? "rotated" : "secret");
                        SignableRequest request = new SignableRequest("POST", "/", null,
                                List.of(Map.entry("Host", "kinesis.eu-west-1.amazonaws.com")), ByteBuffer.wrap(body));
                        assertThat(shared.sign(request, creds, now)).as("thread %d request %d", seed, i)
                                .isEqualTo(new SigV4Signer("eu-west-1", "kinesis").sign(request, creds, now));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static SignableRequest request(String body) {
        return new SignableRequest("POST", "/", null, List.of(Map.entry("Host", "h")),
                ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }
}
