package io.runnel.agent;

import java.util.List;

/** A configuration the agent cannot run: every problem, each with the JSON path of its key. */
public final class AgentConfigException extends RuntimeException {
    /** Each problem, starting with the JSON path of its key; unmodifiable. */
    private final List<String> problems;

    /**
     * An exception whose message lists every problem, one a line.
     *
     * @param problems every problem found, each starting with the JSON path of its key (copied)
     * @throws NullPointerException when {@code problems} or one of them is null
     */
    public AgentConfigException(List<String> problems) {
        super("agent configuration: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** {@return each problem, starting with the JSON path of its key (unmodifiable)} */
    public List<String> problems() {
        return problems;
    }
}
