package io.runnel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Locale;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One of a flow's {@code dataProcessingOptions}, applied to each record (text, without its line end) before it is
 * sent: {@code SINGLELINE} (a multi-line record's lines trimmed and joined), {@code CSVTOJSON} and {@code LOGTOJSON}
 * (the Kinesis Agent's log formats), {@code ADDMETADATA} (the record as {@code data} in a JSON object with the
 * configured {@code metadata} and a {@code ts}), {@code ADDEC2METADATA} (the instance's identity merged into a JSON
 * record) and {@code ADDBRACKETS} (the record, with its line end, between curly braces). Thread-safe except for the
 * exactness of the {@link #unmatched()} counter.
 *
 * <p>Records an option cannot handle go as the Kinesis Agent's {@code AbstractParser} and
 * {@code AgentDataConverterChain} send them: a line {@code LOGTOJSON}'s format does not match is skipped, not sent,
 * and the options after it are not applied ({@link #apply} returns null); a record an option fails on
 * ({@code ADDEC2METADATA} given a record that is no JSON object: {@link ConversionFailed}) goes raw, as it was read,
 * without any option applied. Both are counted ({@link #unmatched()}).
 *
 * <p>The line end: the Kinesis Agent hands each option the record with its newline and most options end their output
 * with one; here records travel without it and {@link #chain} puts it back for Firehose flows. {@code ADDBRACKETS} is
 * the exception: its closing brace comes after the newline, so from there on the newline is part of the text.
 */
public abstract class Processing {
    static final ObjectMapper JSON = new ObjectMapper();
    private long unmatched;

    /**
     * Applies this option to one record. The agent calls it on its own thread ({@code runnel-agent}), one record at a
     * time, in the flow's order.
     *
     * @param record the record's text as read (without its line end) or as the option before this one left it
     * @return the record after this option, or null when the record is not to be sent ({@code LOGTOJSON}: a line its
     *         format does not match)
     * @throws ConversionFailed when the option cannot handle the record: it then goes raw
     */
    public abstract String apply(String record);

    /**
     * An option could not convert a record, which then goes as it was read (the Kinesis Agent's
     * {@code DataConversionException}). No stack trace: it is an expected outcome, counted.
     */
    public static final class ConversionFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ConversionFailed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The record after this option, in a chain: {@code lineEndOutside} says whether the record's newline is still
     * outside its text (only {@code ADDBRACKETS} cares, and moves it inside).
     */
    String apply(String record, boolean lineEndOutside) {
        return apply(record);
    }

    /** Whether this option moves the record's newline into its text ({@code ADDBRACKETS}). */
    boolean movesLineEndInside() {
        return false;
    }

    /**
     * A record through a flow's options, in order, as the Kinesis Agent's chain of converters makes it.
     *
     * @param record      the record's text; a cut record may already end in its terminator {@code \n}
     * @param withLineEnd whether the record goes with its newline (Firehose flows): then it is appended unless the
     *                    text already carries it
     * @return what to send, or null when an option skipped the record
     */
    static String chain(List<Processing> options, String record, boolean withLineEnd) {
        String out = record;
        boolean lineEndOutside = !record.endsWith("\n");
        for (Processing p : options) {
            String next;
            try {
                next = p.apply(out, lineEndOutside);
            } catch (ConversionFailed e) {
                p.countUnmatched();
                out = record; // raw, as read, and the options after this one are not applied
                lineEndOutside = !record.endsWith("\n");
                break;
            }
            if (next == null) {
                return null; // skipped: the options after this one see nothing
            }
            if (p.movesLineEndInside()) {
                lineEndOutside = false;
            } else if (!next.equals(out)) {
                // the Kinesis Agent's converters end what they make with a newline
                lineEndOutside = !next.endsWith("\n");
            }
            out = next;
        }
        return withLineEnd && lineEndOutside ? out + "\n" : out;
    }

    /**
     * {@return the records this option could not handle (skipped, or sent raw) since it was made; counted on the
     * agent's thread without synchronization, so a read from another thread may lag}
     */
    public long unmatched() {
        return unmatched;
    }

    void countUnmatched() {
        unmatched++;
    }

    /**
     * The formats of LOGTOJSON, with the Kinesis Agent's patterns (its {@code PatternConstants}) and field names, so
     * that the same lines match and give the same groups. A field whose group did not take part in the match is
     * {@code null}; in the Apache formats a field that is just {@code -} (Apache's "not known") is {@code null} too,
     * as the Kinesis Agent's {@code ApacheLogParser} writes it, while the syslog formats keep it
     * ({@code SysLogParser}).
     */
    enum LogFormat {
        COMMONAPACHELOG(true, Patterns.COMMON_APACHE + ".*",
                "host", "ident", "authuser", "datetime", "request", "response", "bytes"),
        COMBINEDAPACHELOG(true, Patterns.COMBINED_APACHE + ".*",
                "host", "ident", "authuser", "datetime", "request", "response", "bytes", "referer", "agent"),
        APACHEERRORLOG(true, Patterns.APACHE_ERROR,
                "timestamp", "module", "severity", "processid", "threadid", "client", "message"),
        SYSLOG(false, Patterns.syslog(Patterns.SYSLOG_TIMESTAMP),
                "timestamp", "hostname", "program", "processid", "message"),
        RFC3339SYSLOG(false, Patterns.syslog(Patterns.RFC3339),
                "timestamp", "hostname", "program", "processid", "message");

        /** Whether a field that is exactly {@code -} is written as null (the Apache formats, custom pattern or not). */
        final boolean dashIsNull;
        final Pattern pattern;
        final List<String> fields;

        LogFormat(boolean dashIsNull, String regex, String... fields) {
            this.dashIsNull = dashIsNull;
            this.pattern = Pattern.compile(regex);
            this.fields = List.of(fields);
        }
    }

    /** The building blocks of the LOGTOJSON patterns (grok-style names, as in the Kinesis Agent). */
    private static final class Patterns {
        static final String INT = "(?:[+-]?[0-9]+)";
        static final String POSINT = "(?:[1-9][0-9]*)";
        static final String NONNEGINT = "(?:[0-9]+)";
        static final String WORD = "\\w+";
        static final String NOQUOTE = "[^\"]+";
        static final String IP = "(?:[\\d.]+)";
        static final String HOSTNAME = "(?:[\\w-]+(?:\\.[\\w-]+)*(?:\\.?|\\b))";
        static final String IPORHOST = "(?:" + HOSTNAME + "|" + IP + ")";
        static final String URIHOST = "(?:" + IPORHOST + "(?::" + POSINT + ")?)";
        static final String USER = "(?:[a-zA-Z0-9._-]+)";
        static final String MONTHDAY = "(?:0[1-9]|[12][0-9]|3[01]|[1-9])";
        static final String DAY = "(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?"
                + "|Sun(?:day)?)";
        static final String MONTH = "\\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?"
                + "|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\b";
        static final String YEAR = "(?:[1-9]\\d*)";
        static final String TIME = "(?:(?:2[0123]|[01]?[0-9]):[0-5][0-9]:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)";
        static final String HTTPDATE = "(?:" + MONTHDAY + "/" + MONTH + "/" + YEAR + ":" + TIME + "\\s" + INT + ")";
        static final String ERROR_TIMESTAMP = "(?:" + DAY + "\\s+" + MONTH + "\\s+" + MONTHDAY + "\\s+" + TIME
                + "\\s+" + YEAR + ")";
        static final String SYSLOG_TIMESTAMP = "(?:" + MONTH + "\\s+" + MONTHDAY + "\\s+" + TIME + ")";
        static final String RFC3339 = "(?:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?"
                + "(?:Z|[-+]\\d{2}:\\d{2}))";
        /** A facility such as {@code <4.6>}; the separator is any character there too. */
        static final String FACILITY = "<" + NONNEGINT + "." + NONNEGINT + ">";

        static final String COMMON_APACHE = "^(" + IPORHOST + ") (" + USER + ") (" + USER + ") \\[(" + HTTPDATE
                + ")\\] \"(" + NOQUOTE + ")\" (" + INT + "|-) (" + INT + "|-)";
        static final String COMBINED_APACHE = COMMON_APACHE + " \"(" + NOQUOTE + ")\" \"(" + NOQUOTE + ")\"";
        /** Apache 2.4's error log: {@code [time] [module:severity] [pid N:tid M] [client host:port] message}. */
        static final String APACHE_ERROR = "^\\[(" + ERROR_TIMESTAMP + ")\\] \\[(?:(" + WORD + "):)?(" + WORD + ")\\] "
                + "\\[pid (" + NONNEGINT + ")(?::tid (" + NONNEGINT + "))?\\] \\[client (" + URIHOST + ")\\] (.*)";

        static String syslog(String timestamp) {
            return "^(" + timestamp + ") (?:" + FACILITY + " )?(" + USER + ") ([\\w._/%-]+)(?:\\[(" + POSINT
                    + ")\\])?: (.*)";
        }
    }

    static Processing parse(JsonNode node, String path, List<String> errors) {
        return parse(node, path, errors, AddEc2Metadata.Source.system());
    }

    /** As {@link #parse(JsonNode, String, List)}, with where {@code ADDEC2METADATA} gets its metadata and time. */
    static Processing parse(JsonNode node, String path, List<String> errors, AddEc2Metadata.Source ec2) {
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
            case "ADDMETADATA" -> Set.of("optionName", "timestamp", "metadata", "jsonFormat");
            // logFormat, matchPattern, customFieldNames: the Kinesis Agent reads them for this option
            // and never uses them
            case "ADDEC2METADATA" -> Set.of("optionName", "metadataTTL", "jsonFormat", "logFormat", "matchPattern",
                    "customFieldNames");
            case "ADDBRACKETS" -> Set.of("optionName");
            default -> null;
        };
        if (allowed == null) {
            errors.add(path + ".optionName: '" + name + "' is not supported (SINGLELINE, CSVTOJSON, LOGTOJSON,"
                    + " ADDMETADATA, ADDEC2METADATA, ADDBRACKETS are)");
            return null;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!allowed.contains(key)) {
                errors.add(path + "." + key + ": unknown setting for " + name);
            }
        }
        JsonNode format = node.get("jsonFormat");
        if (format != null && !(format.isTextual() && Set.of("COMPACT", "PRETTYPRINT").contains(format.asText()))) {
            errors.add(path + ".jsonFormat: must be one of [COMPACT, PRETTYPRINT], was " + format);
        }
        boolean pretty = format != null && "PRETTYPRINT".equals(format.asText());
        List<String> custom = names(node.get("customFieldNames"), path + ".customFieldNames", errors);
        return switch (name) {
            case "SINGLELINE" -> {
                List<String> parseOptions = names(node.get("parseOptions"), path + ".parseOptions", errors);
                if (parseOptions == null) {
                    yield node.has("parseOptions") ? null : new SingleLine(false, false);
                }
                for (String o : parseOptions) {
                    if (!o.equals("NO_TRIM") && !o.equals("ESCAPE_NEW_LINE")) {
                        errors.add(path + ".parseOptions: must hold only NO_TRIM and ESCAPE_NEW_LINE, was '" + o + "'");
                        yield null;
                    }
                }
                yield new SingleLine(parseOptions.contains("NO_TRIM"), parseOptions.contains("ESCAPE_NEW_LINE"));
            }
            case "ADDBRACKETS" -> new AddBrackets();
            case "ADDMETADATA" -> {
                boolean timestamp = false;
                JsonNode t = node.get("timestamp");
                if (t != null) {
                    // The Kinesis Agent takes the string "true" (any case) and treats every other string as false;
                    // a JSON boolean works here too, anything else is an error rather than a silent false.
                    String v = t.isTextual() || t.isBoolean() ? t.asText().toLowerCase(Locale.ROOT) : "";
                    if (!v.equals("true") && !v.equals("false")) {
                        errors.add(path + ".timestamp: must be \"true\" or \"false\", was " + t);
                        yield null;
                    }
                    timestamp = v.equals("true");
                }
                yield new AddMetadata(node.get("metadata"), timestamp, pretty, ec2.clock());
            }
            case "ADDEC2METADATA" -> {
                if (node.has("logFormat") && logFormat(node.get("logFormat").asText()) == null) {
                    errors.add(path + ".logFormat: must be one of " + List.of(LogFormat.values()) + ", was "
                            + node.get("logFormat"));
                    yield null;
                }
                long ttl = AgentConfig.number(node, "metadataTTL", path, errors,
                        AddEc2Metadata.DEFAULT_TTL.toSeconds(), 1, Integer.MAX_VALUE);
                yield new AddEc2Metadata(java.time.Duration.ofSeconds(ttl), pretty, ec2);
            }
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
                Pattern split;
                try {
                    split = Pattern.compile(delimiter); // a regular expression, as String.split takes it there
                } catch (PatternSyntaxException e) {
                    errors.add(path + ".delimiter: not a regular expression: " + e.getDescription());
                    yield null;
                }
                yield new CsvToJson(custom, split, pretty);
            }
            default -> {
                String formatName = node.has("logFormat") ? node.get("logFormat").asText() : null;
                LogFormat logFormat = logFormat(formatName);
                if (logFormat == null) {
                    errors.add(path + ".logFormat: must be one of " + List.of(LogFormat.values()) + ", was "
                            + formatName);
                    yield null;
                }
                Pattern pattern = logFormat.pattern;
                if (node.has("matchPattern")) {
                    try {
                        pattern = Pattern.compile(node.get("matchPattern").asText());
                    } catch (PatternSyntaxException e) {
                        errors.add(path + ".matchPattern: not a regular expression: " + e.getDescription());
                        yield null;
                    }
                    if (custom == null) { // the Kinesis Agent refuses this at start too
                        errors.add(path + ".customFieldNames: required with matchPattern");
                        yield null;
                    }
                } else if (custom != null && custom.size() != logFormat.fields.size()) {
                    errors.add(path + ".customFieldNames: " + logFormat + " has " + logFormat.fields.size()
                            + " fields " + logFormat.fields + ", " + custom.size() + " names given (for other fields,"
                            + " give a matchPattern)");
                    yield null;
                }
                yield new LogToJson(pattern, custom != null ? custom : logFormat.fields, logFormat.dashIsNull, pretty);
            }
        };
    }

    private static LogFormat logFormat(String name) {
        for (LogFormat f : LogFormat.values()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
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

    static String write(ObjectNode node, boolean pretty) {
        try {
            return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node)
                    : JSON.writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code SINGLELINE}, byte for byte as the Kinesis Agent's {@code SingleLineDataConverter}: the record (with its
     * newline) split at each {@code \n}, trailing empty parts dropped ({@code String.split}), each part trimmed
     * ({@code String.trim}, unless {@code parseOptions} holds {@code NO_TRIM}), joined with nothing between them
     * (with {@code ESCAPE_NEW_LINE}: the three characters {@code \\n}, what its Java literal {@code "\\\\n"} is),
     * then a newline, which here the chain puts back.
     */
    static final class SingleLine extends Processing {
        static final String ESCAPED_NEW_LINE = "\\\\n";
        private final boolean noTrim;
        private final boolean escapeNewLine;

        SingleLine(boolean noTrim, boolean escapeNewLine) {
            this.noTrim = noTrim;
            this.escapeNewLine = escapeNewLine;
        }

        @Override
        public String apply(String record) {
            return apply(record, true);
        }

        @Override
        String apply(String record, boolean lineEndOutside) {
            String[] lines = (lineEndOutside ? record + "\n" : record).split("\n");
            if (!noTrim) {
                for (int i = 0; i < lines.length; i++) {
                    lines[i] = lines[i].trim();
                }
            }
            return String.join(escapeNewLine ? ESCAPED_NEW_LINE : "", lines);
        }
    }

    static final class CsvToJson extends Processing {
        private final List<String> fields;
        private final Pattern delimiter;
        private final boolean pretty;

        CsvToJson(List<String> fields, Pattern delimiter, boolean pretty) {
            this.fields = List.copyOf(fields);
            this.delimiter = delimiter;
            this.pretty = pretty;
        }

        @Override
        public String apply(String record) {
            // As the Kinesis Agent's CSVToJSONDataConverter: String.split(delimiter), so the delimiter is a regular
            // expression and trailing empty columns are dropped (they become null, as missing ones do).
            String[] values = delimiter.split(record);
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

    /**
     * {@code LOGTOJSON}, as the Kinesis Agent's {@code LogToJSONDataConverter} with its {@code ApacheLogParser} or
     * {@code SysLogParser}: every field, in order, a string or {@code null} (see {@link LogFormat}).
     */
    static final class LogToJson extends Processing {
        private final Pattern pattern;
        private final List<String> fields;
        private final boolean dashIsNull;
        private final boolean pretty;

        LogToJson(Pattern pattern, List<String> fields, boolean dashIsNull, boolean pretty) {
            this.pattern = pattern;
            this.fields = List.copyOf(fields);
            this.dashIsNull = dashIsNull;
            this.pretty = pretty;
        }

        @Override
        public String apply(String record) {
            // The Kinesis Agent's parsers throw LogParsingException when the whole record does not match, or when the
            // pattern's groups are not the fields; LogToJSONDataConverter then returns null and AbstractParser skips
            // the record.
            Matcher m = pattern.matcher(record);
            if (!m.matches() || m.groupCount() != fields.size()) {
                countUnmatched();
                return null;
            }
            ObjectNode out = JSON.createObjectNode();
            for (int i = 0; i < fields.size(); i++) {
                String v = m.group(i + 1);
                out.put(fields.get(i), dashIsNull && "-".equals(v) ? null : v);
            }
            return write(out, pretty);
        }
    }

    /**
     * {@code ADDMETADATA}: {@code {"ts":"<UTC time>","metadata":<the configured value>,"data":"<record>"}}, with
     * {@code ts} only when {@code timestamp} is true, in that order, as the Kinesis Agent's
     * {@code AddMetadataConverter} writes it (Jackson, compact unless {@code jsonFormat} is {@code PRETTYPRINT}).
     */
    static final class AddMetadata extends Processing {
        /** The Kinesis Agent's {@code yyyy-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC. */
        static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
                .withZone(ZoneOffset.UTC);
        private final JsonNode metadata; // null: written as null, as the Kinesis Agent does without one
        private final boolean timestamp;
        private final boolean pretty;
        private final Clock clock;

        AddMetadata(JsonNode metadata, boolean timestamp, boolean pretty, Clock clock) {
            this.metadata = metadata == null ? null : metadata.deepCopy();
            this.timestamp = timestamp;
            this.pretty = pretty;
            this.clock = clock;
        }

        @Override
        public String apply(String record) {
            // The Kinesis Agent drops one trailing newline from the data (here: a cut record's terminator).
            String data = record.endsWith("\n") ? record.substring(0, record.length() - 1) : record;
            ObjectNode out = JSON.createObjectNode();
            if (timestamp) {
                out.put("ts", TS.format(clock.instant()));
            }
            out.set("metadata", metadata == null ? null : metadata.deepCopy());
            out.put("data", data);
            return write(out, pretty);
        }
    }

    /**
     * {@code ADDBRACKETS}: the record between {@code {} and {@code }}, as the Kinesis Agent's
     * {@code BracketsDataConverter} does — per record, around the record as it stands with its newline (so
     * {@code hello} becomes <code>{hello\n}</code>), whatever the record holds; it does not join records into a JSON
     * array.
     */
    static final class AddBrackets extends Processing {
        @Override
        public String apply(String record) {
            return apply(record, true);
        }

        @Override
        String apply(String record, boolean lineEndOutside) {
            return "{" + record + (lineEndOutside ? "\n" : "") + "}";
        }

        @Override
        boolean movesLineEndInside() {
            return true;
        }
    }
}
