package io.runnel.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code runnel completion bash|zsh}: a completion script for every command and option, generated from the picocli
 * model, so it can never fall behind the commands.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Prints a shell completion script for runnel's commands and options.",
            "bash: source <(runnel completion bash), or save it as /etc/bash_completion.d/runnel.",
            "zsh: source <(runnel completion zsh) in ~/.zshrc; it is the bash script, which loads zsh's compinit and "
                + "bashcompinit (autoload -U +X bashcompinit && bashcompinit) to run there."})
public final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", completionCandidates = Shells.class,
            description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        if (!Shells.NAMES.contains(shell)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "SHELL must be one of " + Shells.NAMES + ", was " + shell);
        }
        spec.commandLine().getOut().print(script(spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The completion script for {@code root} (the {@code runnel} command), for bash and, through bashcompinit, zsh. */
    static String script(CommandLine root) {
        return AutoComplete.bash(root.getCommandName(), root);
    }

    /** The shells {@code SHELL} completes to. */
    public static final class Shells extends ArrayList<String> {
        static final List<String> NAMES = List.of("bash", "zsh");

        /** The shells, for picocli to list as the parameter's candidates. */
        public Shells() {
            super(NAMES);
        }
    }
}
