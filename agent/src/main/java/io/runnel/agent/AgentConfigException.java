package io.runnel.agent;

import java.util.List;

/** A configuration the agent cannot run: every problem, each with the JSON path of its key. */
public final class AgentConfigException extends RuntimeException {
    private final List<String> problems;

    public AgentConfigException(List<String> problems) {
        super("agent configuration: " + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ":\n  "
                + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, starting with the JSON path of its key. */
    public List<String> problems() {
        return problems;
    }
}
