package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class DefaultCredentialsProviderTest {
    @RegisterExtension
    static final WireMockExtension server = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path home;
    private final TestClock clock = new TestClock();
    private Instant expiration;



    @BeforeEach
    void reset() {
        server.resetAll();
        expiration = clock.instant().plus(Duration.ofHours(1));
    }

    private String base() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private static String json(String key, Instant exp) {
        return "{\"AccessKeyId\":\"" + key + "\",\"SecretAccessKey\":\"s\",\"Token\":\"t\",\"Expiration\":\"" + exp
                + "\"}";
    }

    /** Every source configured, each giving a different access key id. */
    private void everySourceConfigured(Map<String, String> env, Properties props) throws Exception {
        props.setProperty("aws.accessKeyId", "FROM_SYSTEM_PROPERTIES");
        props.setProperty("aws.secretAccessKey", "s");
        env.put("AWS_ACCESS_KEY_ID", "FROM_ENVIRONMENT");
        env.put("AWS_SECRET_ACCESS_KEY", "s");
        Path token = home.resolve("web-identity-token");
        Files.writeString(token, "jwt");
        env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
        env.put("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/r");
        env.put("AWS_ENDPOINT_URL_STS", base() + "/sts");
        server.stubFor(post(urlEqualTo("/sts")).willReturn(aResponse().withBody("<AssumeRoleWithWebIdentityResponse>"
                + "<AssumeRoleWithWebIdentityResult><Credentials><AccessKeyId>FROM_WEB_IDENTITY</AccessKeyId>"
                + "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>" + expiration
                + "</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
                + "</AssumeRoleWithWebIdentityResponse>")));
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"),
                "[default]\naws_access_key_id=FROM_PROFILE\naws_secret_access_key=s\n");
        env.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", base() + "/container");
        server.stubFor(get(urlEqualTo("/container")).willReturn(aResponse().withBody(json("FROM_CONTAINER",
                expiration))));
        env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", base() + "/imds");
        server.stubFor(put(urlEqualTo("/imds/latest/api/token")).willReturn(aResponse().withBody("tok")));
        server.stubFor(get(urlEqualTo("/imds/latest/meta-data/iam/security-credentials/"))
                .willReturn(aResponse().withBody("role")));
        server.stubFor(get(urlEqualTo("/imds/latest/meta-data/iam/security-credentials/role"))
                .willReturn(aResponse().withBody(json("FROM_INSTANCE_PROFILE", expiration))));
    }

    private String resolve(Map<String, String> env, Properties props) {
        try (DefaultCredentialsProvider p = new DefaultCredentialsProvider(env, props, home, clock)) {
            return p.resolveCredentials().accessKeyId();
        }
    }

    @Test
    void theChainIsTheSdkV2Order() {
        try (DefaultCredentialsProvider p = new DefaultCredentialsProvider(Map.of(), new Properties(), home, clock)) {
            assertThat(p.chain()).extracting(Object::getClass).containsExactly(
                    SystemPropertyCredentialsProvider.class, EnvironmentCredentialsProvider.class,
                    WebIdentityCredentialsProvider.class, ProfileCredentialsProvider.class,
                    ContainerCredentialsProvider.class, InstanceProfileCredentialsProvider.class);
        }
    }

    @Test
    void eachSourceWinsOverTheOnesAfterIt() throws Exception {
        Map<String, String> env = new HashMap<>();
        Properties props = new Properties();
        everySourceConfigured(env, props);
        assertThat(resolve(env, props)).isEqualTo("FROM_SYSTEM_PROPERTIES");
        props.clear();
        assertThat(resolve(env, props)).isEqualTo("FROM_ENVIRONMENT");
        env.remove("AWS_ACCESS_KEY_ID");
        assertThat(resolve(env, props)).isEqualTo("FROM_WEB_IDENTITY");
        env.remove("AWS_ROLE_ARN");
        assertThat(resolve(env, props)).isEqualTo("FROM_PROFILE");
        Files.delete(home.resolve(".aws/credentials"));
        assertThat(resolve(env, props)).isEqualTo("FROM_CONTAINER");
        env.remove("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        assertThat(resolve(env, props)).isEqualTo("FROM_INSTANCE_PROFILE");
        assertThat(paths()).containsExactly("/sts", "/container", "/imds/latest/api/token",
                "/imds/latest/meta-data/iam/security-credentials/",
                "/imds/latest/meta-data/iam/security-credentials/role");
    }

    @Test
    void noCredentialsListsEverySourceAndOnlyInstanceMetadataIsAsked() {
        Map<String, String> env = Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", base() + "/imds");
        server.stubFor(put(urlEqualTo("/imds/latest/api/token")).willReturn(aResponse().withBody("tok")));
        server.stubFor(get(urlEqualTo("/imds/latest/meta-data/iam/security-credentials/"))
                .willReturn(aResponse().withStatus(404)));
        assertThatThrownBy(() -> resolve(env, new Properties())).isInstanceOfSatisfying(CredentialsException.class,
                e -> {
                    assertThat(e.getMessage()).startsWith("no AWS credentials found: ")
                            .contains("system properties: aws.accessKeyId is not set")
                            .contains("environment: AWS_ACCESS_KEY_ID is not set")
                            .contains("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set")
                            .contains("profile 'default'")
                            .contains("container: neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
                            .contains("instance profile: no IAM role is attached");
                    assertThat(e.getSuppressed()).hasSize(6);
                });
        assertThat(paths()).allMatch(p -> p.startsWith("/imds/"));
    }

    @Test
    void withInstanceMetadataDisabledNothingIsAsked() {
        assertThatThrownBy(() -> resolve(Map.of("AWS_EC2_METADATA_DISABLED", "true",
                "AWS_EC2_METADATA_SERVICE_ENDPOINT", base()), new Properties()))
                .isInstanceOf(CredentialsException.class)
                .hasMessageContaining("instance profile: AWS_EC2_METADATA_DISABLED is true");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void theProviderThatAnsweredIsAskedFirstUntilItFails() {
        AtomicInteger firstCalls = new AtomicInteger();
        boolean[] secondFails = {false};
        CredentialsProvider first = () -> {
            firstCalls.incrementAndGet();
            throw new CredentialsException("first: nothing");
        };
        CredentialsProvider second = () -> {
            if (secondFails[0]) {
                throw new CredentialsException("second: gone");
            }
            return Credentials.of("SECOND", "s");
        };
        CredentialsProvider third = () -> Credentials.of("THIRD", "s");
        DefaultCredentialsProvider chain = new DefaultCredentialsProvider(List.of(first, second, third));
        assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("SECOND");
        assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("SECOND");
        assertThat(firstCalls).hasValue(1);
        secondFails[0] = true;
        assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("THIRD");
        assertThat(firstCalls).hasValue(2);
        assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("THIRD");
        assertThat(firstCalls).hasValue(2);
    }

    @Test
    void closeClosesEveryProvider() {
        List<String> closed = new ArrayList<>();
        class Closing implements CredentialsProvider {
            private final String name;

            Closing(String name) {
                this.name = name;
            }

            @Override
            public Credentials resolveCredentials() {
                return Credentials.of(name, "s");
            }

            @Override
            public void close() {
                closed.add(name);
            }
        }
        new DefaultCredentialsProvider(List.of(new Closing("a"), new Closing("b"))).close();
        assertThat(closed).containsExactly("a", "b");
    }

    private static List<String> paths() {
        List<ServeEvent> events = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events.stream().map(e -> e.getRequest().getUrl()).toList();
    }
}
