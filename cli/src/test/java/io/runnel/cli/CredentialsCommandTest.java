package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CredentialsCommandTest {
    @TempDir
    Path home;

    private record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) {
        CredentialsCommand command = new CredentialsCommand();
        command.environment = env;
        command.systemProperties = new Properties();
        command.home = home;
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void saysWhichSourceAnsweredWithTheKeyMasked() {
        Run r = run(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE12345678", "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_REGION", "eu-west-1", "AWS_EC2_METADATA_DISABLED", "true"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("source        EnvironmentCredentialsProvider",
                "access key id AKIA***********5678", "session token none", "expires       never",
                "region        eu-west-1 (AWS_REGION)").doesNotContain("secret");
    }

    @Test
    void aNamedProfileIsUsed() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[other]\naws_access_key_id = AKIAOTHERPROFILE0001\n"
                + "aws_secret_access_key = s\naws_session_token = t\n");
        Run r = run(Map.of("AWS_EC2_METADATA_DISABLED", "true"), "--profile", "other", "--region", "us-west-2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ProfileCredentialsProvider (profile other)", "AKIA************0001",
                "session token yes", "us-west-2 (--region)");
    }

    @Test
    void withNothingFoundEachSourceSaysWhy() {
        Run r = run(Map.of("AWS_EC2_METADATA_DISABLED", "true"));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("no credentials: no AWS credentials found").contains("AWS_ACCESS_KEY_ID");
    }

    @Test
    void masksShortKeysWhole() {
        assertThat(CredentialsCommand.mask("ABCD")).isEqualTo("****");
        assertThat(CredentialsCommand.mask("ABCDEFGHIJ")).isEqualTo("ABCD**GHIJ");
    }
}
