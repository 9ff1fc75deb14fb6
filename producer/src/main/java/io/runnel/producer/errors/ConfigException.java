package io.runnel.producer.errors;

import java.util.List;

/**
 * A producer configuration that cannot be used. It lists every problem found, each naming the property and the
 * value, so one attempt shows everything to fix.
 */
public final class ConfigException extends ProducerException {
    private static final long serialVersionUID = 1L;

    // @serial exclude: javadoc 17 reports every component of a serializable record as uncommented, whatever its
    // @param (later javadocs do not); a record's serialized form is its components, documented here.
    /**
     * One problem.
     *
     * @param key   the property name (KPL spelling), or several joined with {@code /} for a rule between them
     * @param value the offending value as given, or null
     * @param problem what is wrong
     * @serial exclude
     */
    public record Problem(String key, String value, String problem) implements java.io.Serializable {
        /** {@return the problem as the exception's message lists it: {@code key=value: problem}} */
        @Override
        public String toString() {
            return key + (value == null ? "" : "=" + value) + ": " + problem;
        }
    }

    /** Every problem, in the order found. */
    private final List<Problem> problems;

    /**
     * An exception whose message lists every problem, one a line.
     *
     * @param problems every problem found, in order (copied)
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public ConfigException(List<Problem> problems) {
        super(message(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    private static String message(List<Problem> problems) {
        StringBuilder sb = new StringBuilder("invalid producer configuration (").append(problems.size())
                .append(problems.size() == 1 ? " problem)" : " problems)");
        for (Problem p : problems) {
            sb.append("\n  - ").append(p);
        }
        return sb.toString();
    }

    /** {@return every problem, in the order found (an immutable list)} */
    public List<Problem> problems() {
        return problems;
    }

    /** {@return the property of the first problem} */
    public String key() {
        return problems.get(0).key();
    }

    /** {@return the value of the first problem, or null} */
    public String value() {
        return problems.get(0).value();
    }
}
