package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ProfileCredentialsProviderTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/producer";
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path home;
    private final TestClock clock = new TestClock();
    private final List<ProfileCredentialsProvider> providers = new ArrayList<>();



    @Test
    void indentedLinesUnderAnEmptyKeyAreItsSubProperties() throws Exception {
        Path file = home.resolve("ini");
        Files.writeString(file, "[services  x]\nkinesis =\n  endpoint_url = http://k:1\n  ; a comment\n"
                + "region = eu-west-1\n  endpoint_url = not-a-sub-property\nsts=\n\tendpoint_url=http://s:2\n"
                + "[other]\n  endpoint_url = elsewhere\n");
        assertThat(ProfileCredentialsProvider.sectionOrNull(file, "services x")).isEqualTo(Map.of(
                "kinesis", "", "kinesis.endpoint_url", "http://k:1", "region", "eu-west-1", "sts", "",
                "sts.endpoint_url", "http://s:2"));
    }

    @BeforeEach
    void reset() throws Exception {
        server.resetAll();
        Files.createDirectories(home.resolve(".aws"));
    }

    @AfterEach
    void closeProviders() {
        providers.forEach(ProfileCredentialsProvider::close);
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private void config(String text) throws Exception {
        Files.writeString(home.resolve(".aws/config"), text);
    }

    private void credentials(String text) throws Exception {
        Files.writeString(home.resolve(".aws/credentials"), text);
    }

    private ProfileCredentialsProvider provider(String profile, String... extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_ENDPOINT_URL_STS", base()));
        for (int i = 0; i < extraEnv.length; i += 2) {
            if (extraEnv[i + 1] == null) {
                env.remove(extraEnv[i]);
            } else {
                env.put(extraEnv[i], extraEnv[i + 1]);
            }
        }
        ProfileCredentialsProvider p = new ProfileCredentialsProvider(home.resolve(".aws/credentials"),
                home.resolve(".aws/config"), profile, env, clock, Duration.ofMillis(300), Runnable::run);
        providers.add(p);
        return p;
    }

    private static String assumeRoleAnswer(String key, Instant expiration) {
        return """
                <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleResult>
                    <AssumedRoleUser>
                      <Arn>arn:aws:sts::123456789012:assumed-role/producer/s</Arn>
                      <AssumedRoleId>ARO123EXAMPLE123:s</AssumedRoleId>
                    </AssumedRoleUser>
                    <Credentials>
                      <AccessKeyId>%1$s</AccessKeyId>
                      <SecretAccessKey>secret-%1$s</SecretAccessKey>
                      <SessionToken>token-%1$s</SessionToken>
                      <Expiration>%2$s</Expiration>
                    </Credentials>
                  </AssumeRoleResult>
                  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
                </AssumeRoleResponse>
                """.formatted(key, expiration);
    }

    private static void stsAnswers(int status, String xml) {
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/xml").withBody(xml)));
    }

    private static Map<String, String> form(ServeEvent e) {
        Map<String, String> out = new TreeMap<>();
        for (String pair : e.getRequest().getBodyAsString().split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static List<ServeEvent> requests() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events); // oldest first
        return events;
    }

    @Test
    void staticKeysStillWork() throws Exception {
        credentials("[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\naws_session_token = t\n");
        assertThat(provider("dev").resolveCredentials()).isEqualTo(Credentials.of("AKIDDEV", "s", "t"));
    }

    @Test
    void assumesTheRoleWithASignedRequestFromTheSourceProfile() throws Exception {
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
        config("""
                [profile app]
                role_arn = %s
                source_profile = base
                external_id = ext-42
                role_session_name = my session
                duration_seconds = 1800
                region = eu-central-1
                """.formatted(ROLE));
        Instant exp = clock.instant().plus(Duration.ofMinutes(30));
        stsAnswers(200, assumeRoleAnswer("ASIAAPP", exp));
        assertThat(provider("app").resolveCredentials())
                .isEqualTo(new Credentials("ASIAAPP", "secret-ASIAAPP", "token-ASIAAPP", exp));

        ServeEvent e = requests().get(0);
        assertThat(form(e)).isEqualTo(Map.of("Action", "AssumeRole", "Version", "2011-06-15", "RoleArn", ROLE,
                "RoleSessionName", "my session", "DurationSeconds", "1800", "ExternalId", "ext-42"));
        String auth = e.getRequest().getHeader("Authorization");
        assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=AKIDBASE/20261125/eu-central-1/sts/aws4_request, ")
                .contains("SignedHeaders=content-type;host;x-amz-date");
        assertThat(e.getRequest().getHeader("X-Amz-Date")).isEqualTo("20261125T000000Z");
        // The signature is the one our signer computes for what arrived (Jetty reports the charset upper-cased, so
        // the content type is the one sent).
        String host = e.getRequest().getHeader("Host");
        Map<String, String> expected = new SigV4Signer("eu-central-1", "sts").sign(new SignableRequest("POST", "/",
                null, List.of(Map.entry("Host", host), Map.entry("Content-Type",
                        "application/x-www-form-urlencoded; charset=utf-8")),
                ByteBuffer.wrap(e.getRequest().getBody())), Credentials.of("AKIDBASE", "base-secret"), clock.instant());
        assertThat(auth).isEqualTo(expected.get("Authorization"));
    }

    @Test
    void chainedProfilesAssumeEachRoleInTurnWithTheRegionFromTheEnvironment() throws Exception {
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
        config("""
                [profile middle]
                role_arn = arn:aws:iam::123456789012:role/middle
                source_profile = base
                [profile app]
                role_arn = %s
                source_profile = middle
                """.formatted(ROLE));
        stsAnswers(200, assumeRoleAnswer("ASIACHAIN", clock.instant().plus(Duration.ofHours(1))));
        assertThat(provider("app", "AWS_REGION", "ap-southeast-2").resolveCredentials().accessKeyId())
                .isEqualTo("ASIACHAIN");
        List<ServeEvent> r = requests();
        assertThat(r).hasSize(2);
        assertThat(form(r.get(0)).get("RoleArn")).isEqualTo("arn:aws:iam::123456789012:role/middle");
        assertThat(r.get(0).getRequest().getHeader("Authorization")).contains("Credential=AKIDBASE/")
                .contains("/ap-southeast-2/sts/aws4_request");
        assertThat(form(r.get(1)).get("RoleArn")).isEqualTo(ROLE);
        assertThat(form(r.get(1)).get("RoleSessionName")).isEqualTo("runnel-" + clock.millis());
        assertThat(form(r.get(1))).doesNotContainKeys("DurationSeconds", "ExternalId");
        assertThat(r.get(1).getRequest().getHeader("Authorization")).contains("Credential=ASIACHAIN/");
        assertThat(r.get(1).getRequest().getHeader("X-Amz-Security-Token")).isEqualTo("token-ASIACHAIN");
    }

    @Test
    void credentialsAreRefreshedAheadOfExpiryAndAnEditedProfileIsPickedUp() throws Exception {
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
        config("[profile app]\nrole_arn = " + ROLE + "\nsource_profile = base\n");
        stsAnswers(200, assumeRoleAnswer("K1", clock.instant().plus(Duration.ofHours(1))));
        ProfileCredentialsProvider p = provider("app");
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1");
        clock.advance(Duration.ofMinutes(30));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K1"); // cached
        assertThat(requests()).hasSize(1);
        stsAnswers(200, assumeRoleAnswer("K2", clock.instant().plus(Duration.ofHours(1))));
        clock.advance(Duration.ofMinutes(26)); // 4 minutes before expiry
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K2");
        assertThat(requests()).hasSize(2);

        credentials("[base]\naws_access_key_id = AKIDROTATED\naws_secret_access_key = s2\n");
        stsAnswers(200, assumeRoleAnswer("K3", clock.instant().plus(Duration.ofHours(1))));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("K3");
        assertThat(requests().get(2).getRequest().getHeader("Authorization")).contains("Credential=AKIDROTATED/");
    }

    @Test
    void stsErrorCodeIsSurfaced() throws Exception {
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
        config("[profile app]\nrole_arn = " + ROLE + "\nsource_profile = base\n");
        stsAnswers(403, """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>AccessDenied</Code>
                    <Message>User is not authorized to perform: sts:AssumeRole</Message></Error>
                  <RequestId>r-1</RequestId>
                </ErrorResponse>
                """);
        assertThatThrownBy(() -> provider("app").resolveCredentials()).isInstanceOfSatisfying(
                CredentialsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("AccessDenied");
                    assertThat(e).hasMessageContaining("profile 'app'").hasMessageContaining("AssumeRole")
                            .hasMessageContaining(ROLE).hasMessageContaining("not authorized")
                            .hasMessageContaining("request id r-1");
                });
    }

    @Test
    void invalidProfilesAreRefusedWithoutCallingSts() throws Exception {
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
        config("""
                [profile a]
                role_arn = %1$s
                source_profile = b
                [profile b]
                role_arn = %1$s
                source_profile = c
                [profile c]
                role_arn = %1$s
                source_profile = a
                [profile self]
                role_arn = %1$s
                source_profile = self
                [profile orphan]
                role_arn = %1$s
                source_profile = gone
                [profile both]
                role_arn = %1$s
                source_profile = base
                credential_source = Environment
                [profile neither]
                role_arn = %1$s
                [profile odd]
                role_arn = %1$s
                credential_source = Laptop
                [profile long]
                role_arn = %1$s
                source_profile = base
                duration_seconds = 99999
                """.formatted(ROLE));
        assertThatThrownBy(() -> provider("a").resolveCredentials()).hasMessageContaining("profile 'a'")
                .hasMessageContaining("cycle a -> b -> c -> a");
        assertThatThrownBy(() -> provider("self").resolveCredentials()).hasMessageContaining("cycle self -> self");
        assertThatThrownBy(() -> provider("orphan").resolveCredentials())
                .hasMessageContaining("profile 'orphan': source_profile 'gone' is not in");
        assertThatThrownBy(() -> provider("both").resolveCredentials())
                .hasMessageContaining("profile 'both': sets both source_profile and credential_source");
        assertThatThrownBy(() -> provider("neither").resolveCredentials()).hasMessageContaining("profile 'neither'")
                .hasMessageContaining("needs source_profile, credential_source or web_identity_token_file");
        assertThatThrownBy(() -> provider("odd").resolveCredentials()).hasMessageContaining("was Laptop");
        assertThatThrownBy(() -> provider("long").resolveCredentials()).hasMessageContaining("duration_seconds")
                .hasMessageContaining("99999");
        assertThat(requests()).isEmpty();
    }

    @Test
    void credentialSourceEnvironmentSignsWithTheEnvironmentKeys() throws Exception {
        config("[profile app]\nrole_arn = " + ROLE + "\ncredential_source = Environment\n");
        stsAnswers(200, assumeRoleAnswer("ASIAENV", clock.instant().plus(Duration.ofHours(1))));
        assertThat(provider("app", "AWS_ACCESS_KEY_ID", "AKIDENV", "AWS_SECRET_ACCESS_KEY", "s")
                .resolveCredentials().accessKeyId()).isEqualTo("ASIAENV");
        assertThat(requests().get(0).getRequest().getHeader("Authorization")).contains("Credential=AKIDENV/")
                .contains("/us-east-1/sts/aws4_request"); // no region: the global endpoint's
        assertThatThrownBy(() -> provider("app").resolveCredentials())
                .hasMessageContaining("profile 'app': no credentials to call AssumeRole with");
    }

    @Test
    void regionalEndpointWithoutOverride() throws Exception {
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
        config("[profile app]\nrole_arn = " + ROLE + "\nsource_profile = base\nregion = eu-west-3\n"
                + "credential_process = /never/run\n");
        // role_arn wins over credential_process; the unreachable endpoint shows which one was chosen.
        assertThatThrownBy(() -> provider("app", "AWS_ENDPOINT_URL_STS", null, "AWS_REGION", "us-west-2")
                .resolveCredentials()).hasMessageContaining("https://sts.eu-west-3.amazonaws.com");
    }

    @Test
    void credentialProcessWinsOverStaticKeys() throws Exception {
        Path out = home.resolve("out.json");
        Files.writeString(out, "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"p\"}");
        config("[profile tool]\ncredential_process = cat \"" + out + "\"\naws_access_key_id = AKIDSTATIC\n"
                + "aws_secret_access_key = s\n[profile slow]\ncredential_process = sh -c 'sleep 5'\n"
                + "[profile failing]\ncredential_process = sh -c 'echo denied >&2; exit 1'\n");
        assertThat(provider("tool").resolveCredentials()).isEqualTo(Credentials.of("AKIDPROC", "p"));
        assertThatThrownBy(() -> provider("slow").resolveCredentials()).hasMessageContaining("profile 'slow'")
                .hasMessageContaining("did not finish within 300 ms");
        assertThatThrownBy(() -> provider("failing").resolveCredentials()).hasMessageContaining("profile 'failing'")
                .hasMessageContaining("exited with 1").hasMessageContaining("denied");
    }

    @Test
    void aSourceProfileWithACredentialProcess() throws Exception {
        Path out = home.resolve("out.json");
        Files.writeString(out, "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"p\"}");
        config("[profile tool]\ncredential_process = cat " + out + "\n[profile app]\nrole_arn = " + ROLE
                + "\nsource_profile = tool\n");
        stsAnswers(200, assumeRoleAnswer("ASIAP", clock.instant().plus(Duration.ofHours(1))));
        assertThat(provider("app").resolveCredentials().accessKeyId()).isEqualTo("ASIAP");
        assertThat(requests().get(0).getRequest().getHeader("Authorization")).contains("Credential=AKIDPROC/");
    }

    @Test
    void webIdentityProfileExchangesTheTokenFromItsFile() throws Exception {
        Path token = home.resolve("token");
        Files.writeString(token, "header.payload.sig\n");
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n");
        config("[profile eks]\nrole_arn = " + ROLE + "\nweb_identity_token_file = " + token
                + "\nrole_session_name = pod-1\nsource_profile = base\n");
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        stsAnswers(200, """
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <Credentials>
                      <AccessKeyId>ASIAWEB</AccessKeyId><SecretAccessKey>w</SecretAccessKey>
                      <SessionToken>wt</SessionToken><Expiration>%s</Expiration>
                    </Credentials>
                  </AssumeRoleWithWebIdentityResult>
                </AssumeRoleWithWebIdentityResponse>
                """.formatted(exp));
        assertThat(provider("eks").resolveCredentials()).isEqualTo(new Credentials("ASIAWEB", "w", "wt", exp));
        ServeEvent e = requests().get(0);
        assertThat(form(e)).isEqualTo(Map.of("Action", "AssumeRoleWithWebIdentity", "Version", "2011-06-15",
                "RoleArn", ROLE, "RoleSessionName", "pod-1", "WebIdentityToken", "header.payload.sig"));
        assertThat(e.getRequest().getHeader("Authorization")).isNull(); // web identity wins over source_profile

        Files.delete(token);
        config("[profile eks]\nrole_arn = " + ROLE + "\nweb_identity_token_file = " + token + "\n");
        assertThatThrownBy(() -> provider("eks").resolveCredentials()).hasMessageContaining("profile 'eks'")
                .hasMessageContaining("cannot read web_identity_token_file");
    }

    @Test
    void theSdkAssumesTheSameRoleFromTheSameFiles() throws Exception {
        credentials("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = base-secret\n");
        config("[profile app]\nrole_arn = " + ROLE + "\nsource_profile = base\nrole_session_name = s1\n"
                + "external_id = ext\nduration_seconds = 900\nregion = eu-west-1\n");
        Instant exp = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        stsAnswers(200, assumeRoleAnswer("SAMEKEY", exp));
        Credentials ours = provider("app").resolveCredentials();
        software.amazon.awssdk.auth.credentials.AwsCredentials sdk;
        String previous = System.getProperty("aws.endpointUrlSts");
        System.setProperty("aws.endpointUrlSts", base());
        try (var p = software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.builder()
                .profileFile(software.amazon.awssdk.profiles.ProfileFile.aggregator()
                        .addFile(software.amazon.awssdk.profiles.ProfileFile.builder()
                                .content(home.resolve(".aws/config"))
                                .type(software.amazon.awssdk.profiles.ProfileFile.Type.CONFIGURATION).build())
                        .addFile(software.amazon.awssdk.profiles.ProfileFile.builder()
                                .content(home.resolve(".aws/credentials"))
                                .type(software.amazon.awssdk.profiles.ProfileFile.Type.CREDENTIALS).build())
                        .build())
                .profileName("app").build()) {
            sdk = p.resolveCredentials();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.endpointUrlSts");
            } else {
                System.setProperty("aws.endpointUrlSts", previous);
            }
        }
        assertThat(ours.accessKeyId()).isEqualTo(sdk.accessKeyId());
        assertThat(ours.expiration()).isEqualTo(sdk.expirationTime().orElseThrow());
        List<ServeEvent> r = requests();
        assertThat(r).hasSize(2);
        // The SDK for Java 2.x does not read duration_seconds (the AWS CLI does, and so do we); the rest is the same.
        Map<String, String> oursForm = form(r.get(0));
        assertThat(oursForm.remove("DurationSeconds")).isEqualTo("900");
        assertThat(oursForm).isEqualTo(form(r.get(1)));
        String scope = "Credential=AKIDBASE/";
        assertThat(r.get(1).getRequest().getHeader("Authorization")).contains(scope)
                .contains("/eu-west-1/sts/aws4_request");
        assertThat(r.get(0).getRequest().getHeader("Authorization")).contains(scope)
                .contains("/eu-west-1/sts/aws4_request");
    }
}
