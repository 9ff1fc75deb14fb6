package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsProvidersTest {
    @TempDir
    Path home;

    @Test
    void environmentVariables() {
        Credentials c = new EnvironmentCredentialsProvider(Map.of("AWS_ACCESS_KEY_ID", "AKID",
                "AWS_SECRET_ACCESS_KEY", "s3cr3t-value", "AWS_SESSION_TOKEN", "t0ken-value")).resolveCredentials();
        assertThat(c).isEqualTo(new Credentials("AKID", "s3cr3t-value", "t0ken-value", null));
        assertThat(c.toString()).contains("AKID").doesNotContain("s3cr3t-value").doesNotContain("t0ken-value");
        assertThatThrownBy(() -> new EnvironmentCredentialsProvider(Map.of("AWS_ACCESS_KEY_ID", "AKID"))
                .resolveCredentials()).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void profilesFromCredentialsAndConfigFiles() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), """
                # comment
                [default]
                aws_access_key_id = DEFAULTKEY
                aws_secret_access_key = defaultsecret ; trailing comment

                [dev]
                aws_access_key_id=DEVKEY
                aws_secret_access_key=devsecret
                aws_session_token=devtoken
                """);
        Files.writeString(home.resolve(".aws/config"), """
                [profile ops]
                region = eu-west-1
                aws_access_key_id = OPSKEY
                aws_secret_access_key = opssecret
                """);
        assertThat(new ProfileCredentialsProvider(Map.of(), home).resolveCredentials())
                .isEqualTo(Credentials.of("DEFAULTKEY", "defaultsecret"));
        assertThat(new ProfileCredentialsProvider(Map.of("AWS_PROFILE", "dev"), home).resolveCredentials())
                .isEqualTo(Credentials.of("DEVKEY", "devsecret", "devtoken"));
        assertThat(new ProfileCredentialsProvider(Map.of("AWS_PROFILE", "ops"), home).resolveCredentials())
                .isEqualTo(Credentials.of("OPSKEY", "opssecret"));
        assertThatThrownBy(() -> new ProfileCredentialsProvider(Map.of("AWS_PROFILE", "nope"), home)
                .resolveCredentials()).hasMessageContaining("profile 'nope'").hasMessageContaining("credentials");
        Path elsewhere = home.resolve("other-credentials");
        Files.writeString(elsewhere, "[default]\naws_access_key_id=X\naws_secret_access_key=Y\n");
        assertThat(new ProfileCredentialsProvider(Map.of("AWS_SHARED_CREDENTIALS_FILE", elsewhere.toString()), home)
                .resolveCredentials().accessKeyId()).isEqualTo("X");
    }

    @Test
    void chainTakesTheFirstAndExplainsWhenNoneHasAny() {
        CredentialsProvider none1 = () -> {
            throw new CredentialsException("first: nothing");
        };
        CredentialsProvider none2 = () -> {
            throw new CredentialsException("second: nothing either");
        };
        assertThat(new DefaultCredentialsProvider(List.of(none1, CredentialsProvider.of(Credentials.of("A", "B"))))
                .resolveCredentials().accessKeyId()).isEqualTo("A");
        assertThatThrownBy(() -> new DefaultCredentialsProvider(List.of(none1, none2)).resolveCredentials())
                .hasMessageContaining("first: nothing").hasMessageContaining("second: nothing either");
    }

    private static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void refreshesAheadOfExpiryAndSurvivesAFailedRefreshWhileValid() {
        MutableClock clock = new MutableClock();
        AtomicInteger calls = new AtomicInteger();
        boolean[] fail = {false};
        RefreshingCredentialsProvider provider = new RefreshingCredentialsProvider(() -> {
            if (fail[0]) {
                throw new IllegalStateException("sts down");
            }
            int n = calls.incrementAndGet();
            return new Credentials("K" + n, "S", "T", clock.now.plus(Duration.ofMinutes(60)));
        }, Duration.ofMinutes(5), clock);
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("K1");
        clock.now = clock.now.plus(Duration.ofMinutes(54));
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("K1");
        clock.now = clock.now.plus(Duration.ofMinutes(1)); // 5 minutes before expiry
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("K2");
        fail[0] = true;
        clock.now = clock.now.plus(Duration.ofMinutes(56));
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("K2"); // still valid for 4 minutes
        clock.now = clock.now.plus(Duration.ofMinutes(5));
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("sts down");
        assertThat(calls).hasValue(2);
    }
}
