package io.runnel.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code runnel} command: a pure-Java Kinesis producer's tools. */
@Command(name = "runnel", mixinStandardHelpOptions = true, versionProvider = RunnelCli.Version.class,
        description = "Runnel: a pure-Java, high-throughput Kinesis producer with a bundled Kinesis-compatible "
                + "backend.",
        subcommands = {DemoCommand.class, BackendCommand.class, LoadgenCommand.class, AgentCommand.class,
            CredentialsCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class RunnelCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@return the command line with every subcommand (tests use it to parse without exiting)} */
    public static CommandLine commandLine() {
        return new CommandLine(new RunnelCli());
    }

    /**
     * Runs the command {@code args} name and exits with its status (0 on success, picocli's codes otherwise).
     *
     * @param args the command line, e.g. {@code loadgen --records 1000}
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The version and the git commit this jar was built from ({@link BuildInfo}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.load().describe()};
        }
    }
}
