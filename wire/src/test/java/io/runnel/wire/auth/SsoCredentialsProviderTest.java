package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.runnel.wire.auth.SsoFixtures.ACCOUNT;
import static io.runnel.wire.auth.SsoFixtures.ROLE;
import static io.runnel.wire.auth.SsoFixtures.START_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SSO profiles through {@link ProfileCredentialsProvider}: the token cache, the portal, role chaining, errors. */
class SsoCredentialsProviderTest {
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path home;
    private final TestClock clock = new TestClock();
    private final List<ProfileCredentialsProvider> providers = new ArrayList<>();

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

    private ProfileCredentialsProvider provider(String profile, String... extraEnv) {
        Map<String, String> env = new HashMap<>(Map.of("AWS_ENDPOINT_URL_SSO", base(),
                "AWS_ENDPOINT_URL_SSO_OIDC", base(), "AWS_ENDPOINT_URL_STS", base()));
        for (int i = 0; i < extraEnv.length; i += 2) {
            if (extraEnv[i + 1] == null) {
                env.remove(extraEnv[i]);
            } else {
                env.put(extraEnv[i], extraEnv[i + 1]);
            }
        }
        ProfileCredentialsProvider p = new ProfileCredentialsProvider(home.resolve(".aws/credentials"),
                home.resolve(".aws/config"), profile, env, clock, Duration.ofMillis(300), Runnable::run,
                home.resolve(".aws/sso/cache"));
        providers.add(p);
        return p;
    }

    private static List<ServeEvent> requests() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        Collections.reverse(events); // oldest first
        return events;
    }

    @Test
    void legacyProfileSendsTheCachedTokenToGetRoleCredentials() throws Exception {
        config("[profile dev]\nsso_start_url = " + START_URL + "\nsso_region = us-east-1\nsso_account_id = "
                + ACCOUNT + "\nsso_role_name = " + ROLE + "\nregion = eu-west-1\n");
        SsoFixtures.cacheToken(home, START_URL, SsoFixtures.legacyToken("bearer-1", clock.instant().plusSeconds(3600)));
        Instant exp = clock.instant().plus(Duration.ofHours(1));
        SsoFixtures.portalAnswers(server, "bearer-1", "ASIASSO", exp);

        assertThat(provider("dev").resolveCredentials())
                .isEqualTo(new Credentials("ASIASSO", "secret-ASIASSO", "session-ASIASSO", exp));
        ServeEvent e = requests().get(0);
        assertThat(e.getRequest().getMethod().getName()).isEqualTo("GET");
        assertThat(e.getRequest().getUrl()).isEqualTo(SsoCredentialsProvider.PATH + "?role_name=" + ROLE
                + "&account_id=" + ACCOUNT);
        assertThat(e.getRequest().getHeader("Authorization")).isNull(); // a bearer token, not a signature
    }

    @Test
    void ssoSessionProfileReadsTheTokenKeyedByTheSessionNameAndCachesTheCredentials() throws Exception {
        config("""
                [profile dev]
                sso_session = corp
                sso_account_id = %s
                sso_role_name = %s
                [sso-session corp]
                sso_start_url = %s
                sso_region = eu-west-1
                sso_registration_scopes = sso:account:access
                """.formatted(ACCOUNT, ROLE, START_URL));
        SsoFixtures.cacheToken(home, "corp", SsoFixtures.sessionToken("bearer-s", clock.instant().plusSeconds(3600),
                clock.instant().plus(Duration.ofDays(90))));
        SsoFixtures.portalAnswers(server, "bearer-s", "ASIAS1", clock.instant().plus(Duration.ofHours(1)));
        ProfileCredentialsProvider p = provider("dev");
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("ASIAS1");
        clock.advance(Duration.ofMinutes(30));
        assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("ASIAS1");
        assertThat(requests()).hasSize(1); // cached until due
    }

    @Test
    void anSsoProfileIsASourceProfileForARole() throws Exception {
        config("""
                [profile sso]
                sso_start_url = %s
                sso_region = us-east-1
                sso_account_id = %s
                sso_role_name = %s
                [profile app]
                role_arn = arn:aws:iam::123456789012:role/app
                source_profile = sso
                region = eu-central-1
                """.formatted(START_URL, ACCOUNT, ROLE));
        SsoFixtures.cacheToken(home, START_URL, SsoFixtures.legacyToken("bearer-1", clock.instant().plusSeconds(3600)));
        SsoFixtures.portalAnswers(server, "bearer-1", "ASIASSO", clock.instant().plus(Duration.ofHours(1)));
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("""
                <AssumeRoleResponse><AssumeRoleResult><Credentials>
                  <AccessKeyId>ASIAAPP</AccessKeyId><SecretAccessKey>s</SecretAccessKey>
                  <SessionToken>t</SessionToken><Expiration>%s</Expiration>
                </Credentials></AssumeRoleResult></AssumeRoleResponse>
                """.formatted(clock.instant().plus(Duration.ofHours(1))))));
        assertThat(provider("app").resolveCredentials().accessKeyId()).isEqualTo("ASIAAPP");
        List<ServeEvent> r = requests();
        assertThat(r).hasSize(2);
        assertThat(r.get(1).getRequest().getHeader("Authorization")).contains("Credential=ASIASSO/")
                .contains("/eu-central-1/sts/aws4_request");
        assertThat(r.get(1).getRequest().getHeader("X-Amz-Security-Token")).isEqualTo("session-ASIASSO");
    }

    @Test
    void ssoWinsOverRoleArnAndStaticKeysAsInTheSdk() throws Exception {
        config("[profile dev]\nsso_start_url = " + START_URL + "\nsso_region = us-east-1\nsso_account_id = "
                + ACCOUNT + "\nsso_role_name = " + ROLE + "\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n"
                + "aws_access_key_id = AKID\naws_secret_access_key = s\n");
        SsoFixtures.cacheToken(home, START_URL, SsoFixtures.legacyToken("bearer-1", clock.instant().plusSeconds(3600)));
        SsoFixtures.portalAnswers(server, "bearer-1", "ASIASSO", clock.instant().plus(Duration.ofHours(1)));
        assertThat(provider("dev").resolveCredentials().accessKeyId()).isEqualTo("ASIASSO");
    }

    @Test
    void aMissingOrExpiredTokenSaysToSignInWithoutCallingThePortal() throws Exception {
        config("[profile dev]\nsso_start_url = " + START_URL + "\nsso_region = us-east-1\nsso_account_id = "
                + ACCOUNT + "\nsso_role_name = " + ROLE + "\n");
        assertThatThrownBy(() -> provider("dev").resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("profile 'dev': no SSO token for " + START_URL)
                .hasMessageContaining("run `aws sso login --profile dev`");
        SsoFixtures.cacheToken(home, START_URL, SsoFixtures.legacyToken("old", clock.instant().minusSeconds(1)));
        assertThatThrownBy(() -> provider("dev").resolveCredentials()).hasMessageContaining("expired at")
                .hasMessageContaining("run `aws sso login --profile dev`");
        assertThat(requests()).isEmpty();
    }

    @Test
    void aRefusedTokenAndOtherPortalErrorsAreReportedWithTheirType() throws Exception {
        config("[profile dev]\nsso_start_url = " + START_URL + "\nsso_region = us-east-1\nsso_account_id = "
                + ACCOUNT + "\nsso_role_name = " + ROLE + "\n");
        SsoFixtures.cacheToken(home, START_URL, SsoFixtures.legacyToken("revoked", clock.instant().plusSeconds(600)));
        server.stubFor(get(urlPathEqualTo(SsoCredentialsProvider.PATH)).willReturn(aResponse().withStatus(401)
                .withHeader("x-amzn-ErrorType", "UnauthorizedException:http://internal.amazon.com/coral/x/")
                .withBody("{\"message\":\"Session token not found or invalid\"}")));
        assertThatThrownBy(() -> provider("dev").resolveCredentials()).isInstanceOfSatisfying(
                CredentialsException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("UnauthorizedException");
                    assertThat(e).hasMessageContaining("profile 'dev': SSO GetRoleCredentials for role Producer")
                            .hasMessageContaining("HTTP 401: UnauthorizedException: Session token not found")
                            .hasMessageContaining("run `aws sso login --profile dev`");
                });
        server.stubFor(get(urlPathEqualTo(SsoCredentialsProvider.PATH)).willReturn(aResponse().withStatus(403)
                .withHeader("x-amzn-ErrorType", "ForbiddenException")
                .withBody("{\"message\":\"No access\"}")));
        assertThatThrownBy(() -> provider("dev").resolveCredentials())
                .hasMessageContaining("HTTP 403: ForbiddenException: No access").hasMessageNotContaining("sso login");
    }

    @Test
    void incompleteSsoProfilesNameWhatIsMissing() throws Exception {
        config("""
                [profile half]
                sso_start_url = %1$s
                sso_account_id = 1
                [profile nosession]
                sso_session = gone
                sso_account_id = 1
                sso_role_name = r
                [profile thin]
                sso_session = thin
                sso_account_id = 1
                sso_role_name = r
                [sso-session thin]
                sso_region = us-east-1
                [profile clash]
                sso_session = corp
                sso_region = us-west-2
                sso_account_id = 1
                sso_role_name = r
                [sso-session corp]
                sso_start_url = %1$s
                sso_region = eu-west-1
                """.formatted(START_URL));
        assertThatThrownBy(() -> provider("half").resolveCredentials())
                .hasMessageContaining("profile 'half': an SSO profile needs sso_role_name, sso_region");
        assertThatThrownBy(() -> provider("nosession").resolveCredentials())
                .hasMessageContaining("sso_session 'gone' has no [sso-session gone] section");
        assertThatThrownBy(() -> provider("thin").resolveCredentials())
                .hasMessageContaining("[sso-session thin]").hasMessageContaining("needs sso_start_url and sso_region");
        assertThatThrownBy(() -> provider("clash").resolveCredentials())
                .hasMessageContaining("sso_region (us-west-2) differs from [sso-session corp]'s (eu-west-1)");
        assertThat(requests()).isEmpty();
    }
}
