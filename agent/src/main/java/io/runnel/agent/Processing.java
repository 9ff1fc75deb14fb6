package io.runnel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One of a flow's {@code dataProcessingOptions}, applied to each record (text, without its line end) before it is
 * sent: {@code SINGLELINE} (a multi-line record's lines joined, trimmed), {@code CSVTOJSON} and {@code LOGTOJSON}
 * (the Kinesis Agent's log formats). A line a parser does not recognise is sent unchanged, never dropped, and
 * counted ({@link #unmatched()}). Thread-safe except for that counter's exactness.
 */
public abstract class Processing {
    private static final ObjectMapper JSON = new ObjectMapper();
    private long unmatched;

    /** The record after this option. */
    public abstract String apply(String record);

    /** Records this option could not parse (sent unchanged). */
    public long unmatched() {
        return unmatched;
    }

    void countUnmatched() {
        unmatched++;
    }

    /** The formats of LOGTOJSON: a pattern and the field names of its groups. */
    enum LogFormat {
        COMMONAPACHELOG("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"([^\"]*)\" (\\d{3}|-) (\\S+)$",
                "host", "ident", "authuser", "datetime", "request", "response", "bytes"),
        COMBINEDAPACHELOG("^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"([^\"]*)\" (\\d{3}|-) (\\S+) \"([^\"]*)\" \"([^\"]*)\"$",
                "host", "ident", "authuser", "datetime", "request", "response", "bytes", "referrer", "agent"),
        APACHEERRORLOG("^\\[([^\\]]+)\\] \\[([^\\]]+)\\] (?:\\[client ([^\\]]+)\\] )?(.*)$",
                "timestamp", "module", "client", "message"),
        SYSLOG("^(\\w{3} [ \\d]\\d \\d{2}:\\d{2}:\\d{2}) (\\S+) ([^:\\[\\s]+)(?:\\[(\\d+)\\])?: (.*)$",
                "timestamp", "hostname", "program", "processid", "message"),
        RFC3339SYSLOG("^(\\d{4}-\\d{2}-\\d{2}T\\S+) (\\S+) ([^:\\[\\s]+)(?:\\[(\\d+)\\])?: (.*)$",
                "timestamp", "hostname", "program", "processid", "message");

        final Pattern pattern;
        final List<String> fields;

        LogFormat(String regex, String... fields) {
            this.pattern = Pattern.compile(regex);
            this.fields = List.of(fields);
        }
    }

    static Processing parse(JsonNode node, String path, List<String> errors) {
        if (node == null || !node.isObject()) {
            errors.add(path + ": must be an object with an optionName");
            return null;
        }
        String name = node.has("optionName") ? node.get("optionName").asText() : null;
        if (name == null) {
            errors.add(path + ".optionName: required");
            return null;
        }
        Set<String> allowed = switch (name) {
            case "SINGLELINE" -> Set.of("optionName", "parseOptions");
            case "CSVTOJSON" -> Set.of("optionName", "customFieldNames", "delimiter", "jsonFormat");
            case "LOGTOJSON" -> Set.of("optionName", "logFormat", "matchPattern", "customFieldNames", "jsonFormat");
            default -> null;
        };
        if (allowed == null) {
            errors.add(path + ".optionName: '" + name + "' is not supported (SINGLELINE, CSVTOJSON, LOGTOJSON are)");
            return null;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                errors.add(path + "." + key + ": unknown setting for " + name);
            }
        }
        boolean pretty = node.has("jsonFormat") && "PRETTYPRINT".equals(node.get("jsonFormat").asText());
        List<String> custom = names(node.get("customFieldNames"), path + ".customFieldNames", errors);
        return switch (name) {
            case "SINGLELINE" -> new SingleLine();
            case "CSVTOJSON" -> {
                if (custom == null || custom.isEmpty()) {
                    errors.add(path + ".customFieldNames: required for CSVTOJSON");
                    yield null;
                }
                String delimiter = node.has("delimiter") ? node.get("delimiter").asText() : ",";
                if (delimiter.isEmpty()) {
                    errors.add(path + ".delimiter: must not be empty");
                    yield null;
                }
                yield new CsvToJson(custom, delimiter, pretty);
            }
            default -> {
                String formatName = node.has("logFormat") ? node.get("logFormat").asText() : null;
                LogFormat format = null;
                for (LogFormat f : LogFormat.values()) {
                    if (f.name().equals(formatName)) {
                        format = f;
                    }
                }
                if (format == null) {
                    errors.add(path + ".logFormat: must be one of " + List.of(LogFormat.values()) + ", was "
                            + formatName);
                    yield null;
                }
                Pattern pattern = format.pattern;
                if (node.has("matchPattern")) {
                    try {
                        pattern = Pattern.compile(node.get("matchPattern").asText());
                    } catch (PatternSyntaxException e) {
                        errors.add(path + ".matchPattern: not a regular expression: " + e.getDescription());
                        yield null;
                    }
                }
                yield new LogToJson(pattern, custom != null ? custom : format.fields, pretty);
            }
        };
    }

    private static List<String> names(JsonNode node, String path, List<String> errors) {
        if (node == null) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(path + ": must be a list of names");
            return null;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String write(ObjectNode node, boolean pretty) {
        try {
            return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)
                    : JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class SingleLine extends Processing {
        @Override
        public String apply(String record) {
            if (record.indexOf('\n') < 0) {
                return record.strip();
            }
            StringBuilder b = new StringBuilder(record.length());
            for (String line : record.split("\r?\n")) {
                String t = line.strip();
                if (!t.isEmpty()) {
                    if (b.length() > 0) {
                        b.append(' ');
                    }
                    b.append(t);
                }
            }
            return b.toString();
        }
    }

    static final class CsvToJson extends Processing {
        private final List<String> fields;
        private final String delimiter;
        private final boolean pretty;

        CsvToJson(List<String> fields, String delimiter, boolean pretty) {
            this.fields = List.copyOf(fields);
            this.delimiter = delimiter;
            this.pretty = pretty;
        }

        @Override
        public String apply(String record) {
            String[] values = record.split(Pattern.quote(delimiter), -1);
            ObjectNode out = JSON.createObjectNode();
            for (int i = 0; i < fields.size(); i++) {
                out.put(fields.get(i), i < values.length ? values[i] : null);
            }
            if (values.length != fields.size()) {
                countUnmatched();
            }
            return write(out, pretty);
        }
    }

    static final class LogToJson extends Processing {
        private final Pattern pattern;
        private final List<String> fields;
        private final boolean pretty;

        LogToJson(Pattern pattern, List<String> fields, boolean pretty) {
            this.pattern = pattern;
            this.fields = List.copyOf(fields);
            this.pretty = pretty;
        }

        @Override
        public String apply(String record) {
            Matcher m = pattern.matcher(record);
            if (!m.matches()) {
                countUnmatched();
                return record;
            }
            ObjectNode out = JSON.createObjectNode();
            for (int i = 0; i < fields.size() && i < m.groupCount(); i++) {
                String v = m.group(i + 1);
                if (v != null) {
                    out.put(fields.get(i), v);
                }
            }
            return write(out, pretty);
        }
    }
}
