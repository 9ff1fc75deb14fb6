package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.runnel.wire.auth.SsoFixtures.ACCOUNT;
import static io.runnel.wire.auth.SsoFixtures.ROLE;
import static io.runnel.wire.auth.SsoFixtures.START_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS SDK for Java 2.x's {@code ProfileCredentialsProvider} (with its {@code sso} and {@code ssooidc} modules)
 * and ours read the same config and token cache and call the same fake portal and SSO-OIDC: they must send the same
 * requests, get the same credentials and fail on the same profiles. The SDK runs in a child JVM whose {@code HOME} is
 * the test's (it reads the cache under {@code $HOME}, and a test must not write to the real one).
 */
class SsoSdkCrossCheckTest {
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path home;
    private final Instant expiration = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** Runs the SDK over {@code home} in a child JVM; one output line per profile. */
    private Map<String, String> sdk(String... profiles) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", SdkProfileCredentialsMain.class.getName()));
        command.addAll(List.of(profiles));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.putAll(environment());
        env.put("HOME", home.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the SDK's JVM finished").isTrue();
        Map<String, String> byProfile = new TreeMap<>();
        out.lines().filter(l -> l.startsWith("OK ") || l.startsWith("ERR ")).forEach(l -> {
            String[] parts = l.split(" ", 3);
            byProfile.put(parts[1], parts[0] + " " + parts[2]);
        });
        return byProfile;
    }

    private Map<String, String> environment() {
        return Map.of("AWS_CONFIG_FILE", home.resolve(".aws/config").toString(),
                "AWS_SHARED_CREDENTIALS_FILE", home.resolve(".aws/credentials").toString(),
                "AWS_ENDPOINT_URL_SSO", base(), "AWS_ENDPOINT_URL_SSO_OIDC", base(),
                "AWS_EC2_METADATA_DISABLED", "true");
    }

    private String ours(String profile) {
        try (ProfileCredentialsProvider p = new ProfileCredentialsProvider(home.resolve(".aws/credentials"),
                home.resolve(".aws/config"), profile, new HashMap<>(environment()), Clock.systemUTC(),
                Duration.ofSeconds(5), Runnable::run, home.resolve(".aws/sso/cache"))) {
            Credentials c = p.resolveCredentials();
            assertThat(c.expiration()).isEqualTo(expiration);
            return "OK " + c.accessKeyId() + " " + c.secretAccessKey() + " " + c.sessionToken();
        }
    }

    /** What each request asked, without what differs by client (user agent, invocation ids, ...). */
    private static List<String> requests() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events);
        List<String> out = new ArrayList<>();
        for (ServeEvent e : events) {
            var r = e.getRequest();
            if (r.getMethod().getName().equals("POST")) {
                out.add("POST " + r.getUrl() + " " + new TreeMap<>(CredentialsDocuments.jsonFields(r.getBody(),
                        "body")));
            } else {
                out.add(r.getMethod().getName() + " " + r.getUrl().replaceAll("\\?.*", "") + " role_name="
                        + r.queryParameter("role_name").values() + " account_id="
                        + r.queryParameter("account_id").values() + " bearer="
                        + r.getHeader(SsoCredentialsProvider.TOKEN_HEADER));
            }
        }
        Collections.sort(out);
        return out;
    }

    @Test
    void theSdkAndWeGetTheSameCredentialsWithTheSameRequests() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), """
                [profile legacy]
                sso_start_url = %1$s
                sso_region = us-east-1
                sso_account_id = %2$s
                sso_role_name = %3$s
                [profile session]
                sso_session = corp
                sso_account_id = %2$s
                sso_role_name = %3$s
                [sso-session corp]
                sso_start_url = %1$s
                sso_region = eu-west-1
                [profile expired]
                sso_start_url = https://expired.awsapps.com/start
                sso_region = us-east-1
                sso_account_id = %2$s
                sso_role_name = %3$s
                [profile chained]
                role_arn = arn:aws:iam::123456789012:role/x
                source_profile = expired
                """.formatted(START_URL, ACCOUNT, ROLE));
        Instant now = Instant.now();
        SsoFixtures.cacheToken(home, START_URL, SsoFixtures.legacyToken("bearer-legacy", now.plusSeconds(3600)));
        String sessionCache = SsoFixtures.sessionToken("bearer-old", now.plus(Duration.ofMinutes(3)),
                now.plus(Duration.ofDays(30)));
        Path sessionFile = SsoFixtures.cacheToken(home, "corp", sessionCache);
        SsoFixtures.cacheToken(home, "https://expired.awsapps.com/start",
                SsoFixtures.legacyToken("bearer-expired", now.minusSeconds(60)));
        SsoFixtures.portalAnswers(server, "bearer-legacy", "ASIALEGACY", expiration);
        SsoFixtures.portalAnswers(server, "bearer-refreshed", "ASIASESSION", expiration);
        SsoFixtures.oidcAnswers(server, "bearer-refreshed", 28_800);

        Map<String, String> sdk = sdk("legacy", "session", "expired", "chained");
        List<String> sdkRequests = requests();
        Map<String, String> sdkCache = CredentialsDocuments.jsonFields(Files.readAllBytes(sessionFile), "cache");

        server.resetRequests();
        Files.writeString(sessionFile, sessionCache);
        assertThat(sdk).containsEntry("legacy", ours("legacy")).containsEntry("session", ours("session"));
        assertThat(sdk.get("legacy")).isEqualTo("OK ASIALEGACY secret-ASIALEGACY session-ASIALEGACY");
        assertThat(sdk.get("session")).isEqualTo("OK ASIASESSION secret-ASIASESSION session-ASIASESSION");
        // Both refuse the expired token (and the role whose source it is) before calling anything.
        assertThat(sdk.get("expired")).startsWith("ERR ");
        assertThat(sdk.get("chained")).startsWith("ERR ");
        assertThatThrownBy(() -> ours("expired")).hasMessageContaining("aws sso login --profile expired");
        assertThatThrownBy(() -> ours("chained")).hasMessageContaining("aws sso login --profile expired");
        assertThat(requests()).isEqualTo(sdkRequests).hasSize(3);

        // Both leave the refreshed token (and the rotated refresh token) in the cache, the rest as it was.
        Map<String, String> ourCache = CredentialsDocuments.jsonFields(Files.readAllBytes(sessionFile), "cache");
        ourCache.remove("expiresAt");
        sdkCache.remove("expiresAt");
        assertThat(ourCache).isEqualTo(sdkCache).containsEntry("accessToken", "bearer-refreshed")
                .containsEntry("refreshToken", "refresh-2");
    }
}
