package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HelpTest {
    /**
     * picocli formats descriptions with String.format: a lone '%' in a description does not fail the build, it prints a
     * warning on stderr each time --help runs and shows the text unformatted. Render every command's help with stderr
     * captured and require silence.
     */
    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringBuilder usage = new StringBuilder();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine root = RunnelCli.commandLine();
            usage.append(root.getUsageMessage());
            for (Map.Entry<String, CommandLine> sub : root.getSubcommands().entrySet()) {
                usage.append(sub.getValue().getUsageMessage());
            }
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(usage.toString()).contains("loadgen").contains("29.7 %").doesNotContain("%n");
    }
}
