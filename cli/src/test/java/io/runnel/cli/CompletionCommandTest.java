package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompletionCommandTest {
    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = RunnelCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theBashScriptNamesEveryCommandAndTheirOptions() {
        Run r = run("completion", "bash");
        assertThat(r.exit()).as(r.err()).isZero();
        CommandLine root = RunnelCli.commandLine();
        assertThat(root.getSubcommands().keySet()).contains("demo", "backend", "loadgen", "agent", "credentials",
                "completion", "help");
        assertThat(r.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_runnel")
                .contains(root.getSubcommands().keySet())
                .contains("--records", "--data-dir", "--create-stream", "--config", "--profile", "--version");
        for (CommandLine sub : root.getSubcommands().values()) {
            for (CommandLine.Model.OptionSpec option : sub.getCommandSpec().options()) {
                assertThat(r.out()).as(sub.getCommandName()).contains(option.longestName());
            }
        }
    }

    @Test
    void zshGetsTheSameScriptWhichLoadsBashcompinitThere() {
        Run zsh = run("completion", "zsh");
        assertThat(zsh.exit()).as(zsh.err()).isZero();
        assertThat(zsh.out()).isEqualTo(run("completion", "bash").out()).contains("bashcompinit");
    }

    @Test
    void anUnknownShellIsAUsageError() {
        Run r = run("completion", "fish");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("SHELL must be one of [bash, zsh], was fish");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void bashAcceptsTheScript(@TempDir Path dir) throws IOException, InterruptedException {
        Path bash = Path.of("/bin/bash");
        assumeThat(Files.isExecutable(bash)).as("bash installed").isTrue();
        Path script = dir.resolve("runnel.bash");
        Files.writeString(script, run("completion", "bash").out(), StandardCharsets.UTF_8);
        Process p = new ProcessBuilder(bash.toString(), "-n", script.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
