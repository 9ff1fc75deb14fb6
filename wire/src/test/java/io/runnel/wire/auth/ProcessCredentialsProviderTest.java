package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessCredentialsProviderTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock();
    private ProcessCredentialsProvider provider;

    @AfterEach
    void close() {
        if (provider != null) {
            provider.close();
        }
    }

    private ProcessCredentialsProvider provider(String command, Duration timeout) {
        provider = new ProcessCredentialsProvider("dev", command, timeout, clock, Runnable::run);
        return provider;
    }

    private Path json(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void splitsLikePosixShlex() {
        assertThat(ProcessCredentialsProvider.split("  /usr/bin/tool  --profile dev\t-x ")).containsExactly(
                "/usr/bin/tool", "--profile", "dev", "-x");
        assertThat(ProcessCredentialsProvider.split("tool 'a b' \"c \\\"d\\\" \\e\" f\\ g a\"b c\"d '' \"\""))
                .containsExactly("tool", "a b", "c \"d\" \\e", "f g", "ab cd", "", "");
        assertThat(ProcessCredentialsProvider.split("tool $HOME *.json a|b >out")).containsExactly("tool", "$HOME",
                "*.json", "a|b", ">out");
        assertThat(ProcessCredentialsProvider.split("'it''s' \"x\\$y\"")).containsExactly("its", "x$y");
        assertThat(ProcessCredentialsProvider.split("   ")).isEmpty();
        assertThatThrownBy(() -> ProcessCredentialsProvider.split("tool 'open")).hasMessageContaining("quotation");
        assertThatThrownBy(() -> ProcessCredentialsProvider.split("tool \"open")).hasMessageContaining("quotation");
        assertThatThrownBy(() -> ProcessCredentialsProvider.split("tool \\")).hasMessageContaining("backslash");
    }

    @Test
    void longTermCredentialsFromTheOutputRunTheCommandOnce() throws Exception {
        Path file = json("creds one.json", """
                {"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "secret"}
                """);
        provider("cat '" + file + "'", Duration.ofSeconds(10));
        assertThat(provider.resolveCredentials()).isEqualTo(Credentials.of("AKIDPROC", "secret"));
        Files.delete(file);
        clock.advance(Duration.ofDays(30));
        assertThat(provider.resolveCredentials()).isEqualTo(Credentials.of("AKIDPROC", "secret"));
    }

    @Test
    void temporaryCredentialsAreRefreshedAheadOfExpiration() throws Exception {
        Instant expiration = clock.instant().plus(Duration.ofHours(1));
        Path file = json("creds.json", document("AKID1", expiration));
        provider("cat " + file, Duration.ofSeconds(10));
        Credentials first = provider.resolveCredentials();
        assertThat(first).isEqualTo(new Credentials("AKID1", "secret-AKID1", "token-AKID1", expiration));

        Files.writeString(file, document("AKID2", expiration.plus(Duration.ofHours(1))));
        clock.advance(Duration.ofMinutes(30));
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKID1"); // cached
        clock.advance(Duration.ofMinutes(26)); // 4 minutes before expiry: prefetched (on this thread here)
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("AKID2");
    }

    private static String document(String key, Instant expiration) {
        return "{\"Version\": 1, \"AccessKeyId\": \"" + key + "\", \"SecretAccessKey\": \"secret-" + key
                + "\", \"SessionToken\": \"token-" + key + "\", \"Expiration\": \"" + expiration + "\"}";
    }

    @Test
    void aNonZeroExitNamesTheProfileTheExitCodeAndTheStandardError() {
        provider("sh -c 'echo \"token expired, run sso login\" >&2; exit 3'", Duration.ofSeconds(10));
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("profile 'dev'").hasMessageContaining("exited with 3")
                .hasMessageContaining("token expired, run sso login");
    }

    @Test
    void badOutputIsRefused() throws Exception {
        provider("cat " + json("a", "not json"), Duration.ofSeconds(10));
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining("profile 'dev'")
                .hasMessageContaining("not valid JSON");
        provider.close();
        provider("cat " + json("b", "{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\"}"),
                Duration.ofSeconds(10));
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining("Version must be 1, was 2");
        provider.close();
        provider("cat " + json("c", "{\"Version\": 1, \"AccessKeyId\": \"A\"}"), Duration.ofSeconds(10));
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining("SecretAccessKey");
        provider.close();
        provider("cat " + json("d", "{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"s\","
                + " \"Expiration\": \"tomorrow\"}"), Duration.ofSeconds(10));
        assertThatThrownBy(provider::resolveCredentials).hasMessageContaining("Expiration is not an ISO-8601 time");
    }

    @Test
    void aCommandThatRunsTooLongIsKilled() {
        provider("sh -c 'echo starting >&2; sleep 5'", Duration.ofMillis(300));
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("profile 'dev'").hasMessageContaining("did not finish within 300 ms");
    }

    @Test
    void aCommandThatCannotStartOrIsEmptyIsReported() {
        provider("/no/such/credential-helper --x", Duration.ofSeconds(10));
        assertThatThrownBy(provider::resolveCredentials)
                .hasMessageContaining("cannot start /no/such/credential-helper");
        assertThatThrownBy(() -> new ProcessCredentialsProvider("dev", "  ", Duration.ofSeconds(1), clock, null))
                .hasMessageContaining("credential_process is empty");
        assertThatThrownBy(() -> new ProcessCredentialsProvider("dev", "tool 'x", Duration.ofSeconds(1), clock, null))
                .hasMessageContaining("profile 'dev'").hasMessageContaining("quotation");
    }
}
