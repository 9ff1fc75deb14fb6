package io.runnel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The agent's configuration, read from a file in the Amazon Kinesis Agent's {@code agent.json} shape: top-level
 * settings and a list of {@code flows}, each tailing the files of one glob into one stream. Producer settings go in
 * an optional {@code producer} object under the KPL's property names.
 *
 * <p>Every unknown key and bad value is reported at once, each with its JSON path, in one {@link AgentConfigException}.
 * Keys the Kinesis Agent knows that Runnel does not act on (Firehose, CloudWatch, its thread pools) are accepted and
 * named in {@link #ignored()}, for one warning at start. Immutable.
 *
 * @param checkpointFile where file offsets are kept (see {@link #defaultCheckpointFile()})
 * @param endpoint       {@code kinesis.endpoint}, or null for the region's
 * @param region         {@code kinesis.region}, or null (then the producer's Region / the environment)
 * @param accessKeyId    {@code awsAccessKeyId}, or null for the default credential chain
 * @param secretKey      {@code awsSecretAccessKey}, or null
 * @param producer       producer properties (KPL names)
 * @param flows          at least one
 * @param ignored        JSON paths of accepted settings that are not acted on
 */
public record AgentConfig(Path checkpointFile, String endpoint, String region, String accessKeyId, String secretKey,
        Properties producer, List<Flow> flows, List<String> ignored) {

    /** Where a record's partition key comes from. */
    public enum PartitionKeyOption { RANDOM, DETERMINISTIC }

    /** Where reading starts in a file found at start-up without a checkpoint. */
    public enum InitialPosition { START_OF_FILE, END_OF_FILE }

    /**
     * One flow: files matching {@code filePattern} into {@code stream}.
     *
     * @param filePattern               absolute glob; wildcards only in the file name
     * @param stream                    the Kinesis stream
     * @param partitionKeyOption        RANDOM (default) or DETERMINISTIC (MD5 of the record)
     * @param initialPosition           END_OF_FILE (default, as the Kinesis Agent) or START_OF_FILE
     * @param multiLineStartPattern     a line matching it starts a record; null: every line is a record
     * @param skipHeaderLines           lines skipped at the start of each file
     * @param truncatedRecordTerminator appended to a record cut at the record size limit
     * @param maxBufferAgeMillis        how long a record may wait to be sent (RecordMaxBufferedTime)
     * @param maxRecordBytes            the largest record; longer ones are cut
     * @param processing                data processing options, applied in order
     */
    public record Flow(String filePattern, String stream, PartitionKeyOption partitionKeyOption,
            InitialPosition initialPosition, Pattern multiLineStartPattern, int skipHeaderLines,
            String truncatedRecordTerminator, long maxBufferAgeMillis, int maxRecordBytes,
            List<Processing> processing) {
        public Flow {
            processing = List.copyOf(processing);
        }

        /** A stable name for checkpoints and logs. */
        public String id() {
            return stream + ":" + filePattern;
        }
    }

    public AgentConfig {
        flows = List.copyOf(flows);
        ignored = List.copyOf(ignored);
        Properties copy = new Properties();
        copy.putAll(producer);
        producer = copy;
    }

    private static final Set<String> TOP_LEVEL = Set.of("checkpointFile", "kinesis.endpoint", "kinesis.region",
            "awsAccessKeyId", "awsSecretAccessKey", "flows", "producer");
    /** Kinesis Agent settings accepted and not acted on (Runnel's producer has its own threads and metrics). */
    private static final Set<String> TOP_LEVEL_IGNORED = Set.of("checkpointTimeToLiveDays", "firehose.endpoint",
            "cloudwatch.endpoint", "sts.endpoint", "cloudwatch.emitMetrics", "cloudwatch.namespace",
            "cloudwatch.metricsBufferTimeMillis", "cloudwatch.metricsQueueSize", "cloudwatch.tagInstance",
            "log.emitMetrics", "log.emitInternalMetrics", "log.statusReportingPeriodSeconds", "maxSendingThreads",
            "maxSendingThreadsPerCore", "sendingThreadsKeepAliveMillis", "sendingThreadsMaxQueueSize",
            "maxConnections", "connectionTimeoutMillis", "connectionTTLMillis", "socketTimeoutMillis",
            "useTcpKeepAlive", "useHttpGzip", "shutdownTimeoutMillis", "assumeRoleARN", "assumeRoleExternalId",
            "userDefinedCredentialsProvider.classname", "userDefinedCredentialsProvider.location");
    private static final Set<String> FLOW_KEYS = Set.of("filePattern", "kinesisStream", "partitionKeyOption",
            "initialPosition", "multiLineStartPattern", "skipHeaderLines", "truncatedRecordTerminator",
            "maxBufferAgeMillis", "dataProcessingOptions");
    private static final Set<String> FLOW_IGNORED = Set.of("maxBufferSizeRecords", "maxBufferSizeBytes",
            "publishQueueCapacity", "waitOnFullPublishQueueMillis", "waitOnEmptyPublishQueueMillis",
            "waitOnFullRetryQueueMillis", "retryInitialBackoffMillis", "retryMaxBackoffMillis",
            "minTimeBetweenFilePollsMillis", "maxTimeBetweenFileTrackerRefreshMillis", "fileFooterPattern");
    private static final Set<String> FIREHOSE_ONLY = Set.of("deliveryStream", "aggregatedRecordSizeBytes");
    static final int MAX_RECORD_BYTES = 1024 * 1024;

    /**
     * Where checkpoints go when the file does not say: {@code /var/lib/runnel-agent/checkpoints.json} when that
     * directory exists or can be made, else {@code ~/.runnel/agent/checkpoints.json}. Both survive a reboot (the
     * Kinesis Agent's {@code /var/run} default does not, so it sends everything again).
     */
    public static Path defaultCheckpointFile() {
        Path system = Path.of("/var/lib/runnel-agent");
        try {
            Files.createDirectories(system);
            if (Files.isWritable(system)) {
                return system.resolve("checkpoints.json");
            }
        } catch (IOException | SecurityException notAllowed) {
            // fall through to the user's home
        }
        return Path.of(System.getProperty("user.home"), ".runnel", "agent", "checkpoints.json");
    }

    /** Reads and checks a configuration file. */
    public static AgentConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AgentConfigException(List.of(file + ": not readable JSON: " + e.getMessage()));
        }
        return parse(root);
    }

    /** Checks a configuration given as JSON. */
    public static AgentConfig parse(JsonNode root) {
        List<String> errors = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Set<String> firehose = new LinkedHashSet<>();
        if (root == null || !root.isObject()) {
            throw new AgentConfigException(List.of("$: the configuration must be a JSON object"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (TOP_LEVEL_IGNORED.contains(key)) {
                (key.startsWith("firehose") ? firehose : ignored).add("$." + key);
            } else if (!TOP_LEVEL.contains(key)) {
                errors.add("$." + key + ": unknown setting");
            }
        }
        Path checkpoint = root.has("checkpointFile") ? Path.of(text(root, "checkpointFile", "$", errors, ""))
                : defaultCheckpointFile();
        // As the Kinesis Agent reads them (its own sample has "kinesis.endpoint": ""), an empty string is not set.
        String endpoint = emptyIsUnset(root, "kinesis.endpoint", errors);
        if (endpoint != null && !endpoint.contains("://")) {
            endpoint = "https://" + endpoint; // the Kinesis Agent takes a host name
        }
        String region = emptyIsUnset(root, "kinesis.region", errors);
        String accessKey = emptyIsUnset(root, "awsAccessKeyId", errors);
        String secretKey = emptyIsUnset(root, "awsSecretAccessKey", errors);
        if ((accessKey == null) != (secretKey == null)) {
            errors.add("$.awsAccessKeyId / $.awsSecretAccessKey: give both or neither");
        }
        Properties producer = new Properties();
        JsonNode p = root.get("producer");
        if (p != null) {
            if (!p.isObject()) {
                errors.add("$.producer: must be an object of producer properties (KPL names)");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isValueNode()) {
                        errors.add("$.producer." + e.getKey() + ": must be a string, number or boolean");
                    } else {
                        producer.setProperty(e.getKey(), e.getValue().asText());
                    }
                }
            }
        }
        List<Flow> flows = new ArrayList<>();
        JsonNode list = root.get("flows");
        if (list == null || !list.isArray() || list.isEmpty()) {
            errors.add("$.flows: must be a non-empty list of flows");
        } else {
            for (int i = 0; i < list.size(); i++) {
                Flow f = flow(list.get(i), "$.flows[" + i + "]", errors, ignored, firehose);
                if (f != null) {
                    flows.add(f);
                }
            }
        }
        if (!firehose.isEmpty()) {
            ignored.add("Firehose-only settings (Runnel sends to Kinesis Data Streams): " + String.join(", ", firehose));
        }
        if (!errors.isEmpty()) {
            throw new AgentConfigException(errors);
        }
        return new AgentConfig(checkpoint, endpoint, region, accessKey, secretKey, producer, flows, ignored);
    }

    private static Flow flow(JsonNode node, String path, List<String> errors, List<String> ignored,
            Set<String> firehose) {
        if (node == null || !node.isObject()) {
            errors.add(path + ": a flow must be an object");
            return null;
        }
        int before = errors.size();
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (FIREHOSE_ONLY.contains(key)) {
                firehose.add(path + "." + key);
            } else if (FLOW_IGNORED.contains(key)) {
                ignored.add(path + "." + key);
            } else if (!FLOW_KEYS.contains(key)) {
                errors.add(path + "." + key + ": unknown setting");
            }
        }
        String pattern = text(node, "filePattern", path, errors, null);
        if (pattern != null) {
            Path p = Path.of(pattern);
            if (!p.isAbsolute()) {
                errors.add(path + ".filePattern: must be an absolute path, was '" + pattern + "'");
            } else if (p.getParent() != null && hasGlob(p.getParent().toString())) {
                errors.add(path + ".filePattern: wildcards are supported in the file name only, was '" + pattern + "'");
            }
        }
        String stream = node.has("kinesisStream") ? text(node, "kinesisStream", path, errors, null) : null;
        if (stream == null && !node.has("kinesisStream")) {
            errors.add(path + ".kinesisStream: required" + (node.has("deliveryStream")
                    ? " (deliveryStream is Firehose, which Runnel does not send to)" : ""));
        }
        PartitionKeyOption pk = choice(node, "partitionKeyOption", path, errors, PartitionKeyOption.class,
                PartitionKeyOption.RANDOM);
        InitialPosition initial = choice(node, "initialPosition", path, errors, InitialPosition.class,
                InitialPosition.END_OF_FILE);
        Pattern multi = null;
        String multiText = optionalText(node, "multiLineStartPattern", path, errors);
        if (multiText != null) {
            try {
                multi = Pattern.compile(multiText);
            } catch (PatternSyntaxException e) {
                errors.add(path + ".multiLineStartPattern: not a regular expression: " + e.getDescription());
            }
        }
        int skip = (int) number(node, "skipHeaderLines", path, errors, 0, 0, Integer.MAX_VALUE);
        String terminator = node.has("truncatedRecordTerminator")
                ? text(node, "truncatedRecordTerminator", path, errors, "\n") : "\n";
        long age = number(node, "maxBufferAgeMillis", path, errors, 60_000, 1_000, 900_000);
        List<Processing> processing = new ArrayList<>();
        JsonNode options = node.get("dataProcessingOptions");
        if (options != null) {
            if (!options.isArray()) {
                errors.add(path + ".dataProcessingOptions: must be a list");
            } else {
                for (int i = 0; i < options.size(); i++) {
                    Processing proc = Processing.parse(options.get(i), path + ".dataProcessingOptions[" + i + "]",
                            errors);
                    if (proc != null) {
                        processing.add(proc);
                    }
                }
            }
        }
        if (errors.size() > before || pattern == null || stream == null) {
            return null;
        }
        return new Flow(pattern, stream, pk, initial, multi, skip, terminator, age, MAX_RECORD_BYTES, processing);
    }

    static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    static String text(JsonNode node, String key, String path, List<String> errors, String fallback) {
        JsonNode v = node.get(key);
        if (v == null) {
            errors.add(path + "." + key + ": required");
            return fallback;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            errors.add(path + "." + key + ": must be a non-empty string, was " + v);
            return fallback;
        }
        return v.asText();
    }

    static String optionalText(JsonNode node, String key, String path, List<String> errors) {
        return node.has(key) ? text(node, key, path, errors, null) : null;
    }

    /** A top-level string setting that may be absent or empty (both: null, the default applies). */
    private static String emptyIsUnset(JsonNode root, String key, List<String> errors) {
        JsonNode v = root.get(key);
        return v != null && v.isTextual() && v.asText().isEmpty() ? null : optionalText(root, key, "$", errors);
    }

    static long number(JsonNode node, String key, String path, List<String> errors, long fallback, long min,
            long max) {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        long value;
        if (v.isIntegralNumber()) {
            value = v.asLong();
        } else if (v.isTextual() && v.asText().matches("-?\\d{1,18}")) {
            value = Long.parseLong(v.asText());
        } else {
            errors.add(path + "." + key + ": must be a whole number, was " + v);
            return fallback;
        }
        if (value < min || value > max) {
            errors.add(path + "." + key + ": must be between " + min + " and " + max + ", was " + value);
            return fallback;
        }
        return value;
    }

    static <E extends Enum<E>> E choice(JsonNode node, String key, String path, List<String> errors, Class<E> type,
            E fallback) {
        JsonNode v = node.get(key);
        if (v == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (v.isTextual() && e.name().equals(v.asText())) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name());
        }
        errors.add(path + "." + key + ": must be one of " + names + ", was " + v);
        return fallback;
    }
}
