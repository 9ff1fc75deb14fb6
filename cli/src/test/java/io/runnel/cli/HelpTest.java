package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
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

    /**
     * Every option that has a default says what it is in its --help text, for every command at every depth: in the
     * project's style, "(default: ${DEFAULT-VALUE})" or the default named in words ("on (default) or off"). Flags,
     * required options and options without a value when not given (null, an empty list) are exempt. picocli's own
     * showDefaultValues is not used: it would add a second "Default:" line under descriptions that already say it.
     */
    @Test
    void everyOptionWithADefaultShowsItInHelp() {
        List<String> missing = new ArrayList<>();
        checkDefaults(RunnelCli.commandLine(), missing);
        assertThat(missing).isEmpty();
    }

    private static void checkDefaults(CommandLine command, List<String> missing) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        List<String> path = new ArrayList<>(List.of(spec.qualifiedName(" ").split(" ")));
        path.remove(0); // the root's name; the rest is what the user types
        path.add("--help");
        CommandLine root = RunnelCli.commandLine();
        StringWriter out = new StringWriter();
        root.setOut(new PrintWriter(out, true));
        assertThat(root.execute(path.toArray(String[]::new))).as(String.join(" ", path)).isZero();
        String help = out.toString();
        for (CommandLine.Model.OptionSpec option : spec.options()) {
            String shown = defaultShown(option);
            if (shown == null) {
                continue;
            }
            String text = optionText(help, option);
            if (!text.toLowerCase(Locale.ROOT).contains("default") || !text.contains(shown)) {
                missing.add(spec.qualifiedName() + " " + option.longestName() + " (default " + shown + "): " + text);
            }
        }
        for (CommandLine sub : command.getSubcommands().values()) {
            checkDefaults(sub, missing);
        }
    }

    /** What the option is when not given, as --help should show it; null when there is nothing to show. */
    private static String defaultShown(CommandLine.Model.OptionSpec option) {
        if (option.required() || option.arity().max() == 0 || option.usageHelp() || option.versionHelp()
                || option.hidden()) {
            return null;
        }
        Object value = option.defaultValue() != null ? option.defaultValue() : option.initialValue();
        if (value == null || value instanceof Collection<?> c && c.isEmpty() || value instanceof Map<?, ?> m
                && m.isEmpty()) {
            return null;
        }
        return option.defaultValueString(true);
    }

    /** The option's rows in a usage message: from the row naming it to the next option's row. */
    private static String optionText(String help, CommandLine.Model.OptionSpec option) {
        List<String> lines = help.lines().toList();
        // picocli puts an option's names at column 2 ("  -h, --help") or 6 ("      --records=<records>"); its
        // description's continuation lines are indented further.
        Pattern row = Pattern.compile("^(  -\\w[, ]|      --\\w).*");
        Pattern names = Pattern.compile("(^|, )" + Pattern.quote(option.longestName()) + "([=\\s\\[]|$)");
        StringBuilder text = new StringBuilder();
        boolean in = false;
        for (String line : lines) {
            boolean optionRow = row.matcher(line).matches();
            if (optionRow) {
                in = names.matcher(line.strip()).find();
            } else if (!line.startsWith(" ")) {
                in = false; // a section heading ("Commands:")
            }
            if (in) {
                text.append(line.strip()).append(' ');
            }
        }
        return text.toString().replaceAll("\\s+", " ").strip();
    }
}
