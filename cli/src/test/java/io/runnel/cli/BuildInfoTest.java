package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BuildInfoTest {
    private static final String VERSION_LINE = "runnel [0-9][^ ]* \\((commit [0-9a-f]{7,40}|unknown commit)\\)";

    @Test
    void versionOptionPrintsVersionAndCommitOnOneLine() {
        StringWriter out = new StringWriter();
        CommandLine cli = RunnelCli.commandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("--version");

        assertThat(exit).isZero();
        assertThat(out.toString()).matches(VERSION_LINE + "\\R");
    }

    @Test
    void theBuiltResourceCarriesTheProjectVersion() {
        // Maven filtered the resource before the tests ran: the version is the pom's, not the fallback.
        assertThat(BuildInfo.load().version()).isNotEqualTo("development").doesNotContain("${");
    }

    @Test
    void describesTheCommit() {
        BuildInfo info = BuildInfo.from(properties("1.2.3", "0123456789ab"));

        assertThat(info.describe()).isEqualTo("runnel 1.2.3 (commit 0123456789ab)").matches(VERSION_LINE);
    }

    @Test
    void aBuildWithoutGitPrintsUnknownCommit() {
        // buildnumber-maven-plugin's revisionOnScmFailure, when git or the repository is missing (a source tarball).
        assertThat(BuildInfo.from(properties("1.2.3", "unknown")).describe())
                .isEqualTo("runnel 1.2.3 (unknown commit)").matches(VERSION_LINE);
        // And what filtering leaves when the property was never set at all.
        assertThat(BuildInfo.from(properties("1.2.3", "${buildNumber}")).commit()).isNull();
    }

    @Test
    void noResourceAtAllIsADevelopmentBuild() {
        assertThat(BuildInfo.from(new Properties()).describe()).isEqualTo("runnel development (unknown commit)");
    }

    private static Properties properties(String version, String commit) {
        Properties p = new Properties();
        p.setProperty("version", version);
        p.setProperty("commit", commit);
        return p;
    }
}
