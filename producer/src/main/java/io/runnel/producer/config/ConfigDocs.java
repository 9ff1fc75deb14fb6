package io.runnel.producer.config;

/** Renders the table of producer properties in docs/configuration.md from {@link ConfigKeys}. */
public final class ConfigDocs {
    /** The marker the generated table in docs/configuration.md starts after. */
    public static final String BEGIN = "<!-- config-table:begin -->";
    /** The marker the generated table in docs/configuration.md ends before. */
    public static final String END = "<!-- config-table:end -->";

    private ConfigDocs() {
    }

    /** {@return the Markdown table: a header, then one row per property of {@link ConfigKeys#ALL}, in order} */
    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("| Property | Default | Values | Runnel | What it does |\n");
        sb.append("|---|---|---|---|---|\n");
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            String def = String.valueOf(k.defaultValue());
            sb.append("| `").append(k.name()).append("` | ").append(def.isEmpty() ? "(empty)" : "`" + def + "`")
                    .append(" | ").append(k.range()).append(" | ").append(switch (k.support()) {
                        case SUPPORTED -> "yes";
                        case NATIVE_ONLY -> "KPL daemon only";
                    }).append(" | ").append(k.doc().replace("|", "\\|")).append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Prints the table to standard output, to paste between the markers: {@code java ... ConfigDocs}.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.print(render());
    }
}
