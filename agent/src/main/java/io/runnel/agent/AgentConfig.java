package io.runnel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.runnel.producer.config.ConfigKey;
import io.runnel.producer.config.ConfigKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
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
 * <p>A flow sends to a Kinesis stream ({@code kinesisStream}) or to a Firehose delivery stream
 * ({@code deliveryStream}). Every unknown key and bad value is reported at once, each with its JSON path, in one
 * {@link AgentConfigException}. Keys the Kinesis Agent knows that Runnel does not act on (CloudWatch's other keys,
 * thread pools) are accepted and named in {@link #ignored()}, for one warning at start. Immutable.
 *
 * @param checkpointFile   where file offsets are kept (see {@link #defaultCheckpointFile()})
 * @param endpoint         {@code kinesis.endpoint}, or null for the region's
 * @param firehoseEndpoint {@code firehose.endpoint}, or null for the region's
 * @param region           {@code kinesis.region}, or null (then the producer's Region / the environment); Firehose
 *                         flows are signed for it too
 * @param accessKeyId    {@code awsAccessKeyId}, or null for the default credential chain
 * @param secretKey      {@code awsSecretAccessKey}, or null
 * @param assumeRoleArn  {@code assumeRoleARN}: the flows sign with this role's credentials (STS AssumeRole with
 *                       the keys above, else the default chain), or null
 * @param assumeRoleExternalId {@code assumeRoleExternalId}, or null
 * @param stsEndpoint    {@code sts.endpoint} (with a scheme) when a role is assumed, or null for the region's
 * @param producer       producer properties (KPL names)
 * @param flows          at least one
 * @param ignored        JSON paths of accepted settings that are not acted on
 * @param emitMetrics    {@code cloudwatch.emitMetrics} (default true, as in the Kinesis Agent): the agent's own
 *                       metrics per destination go to CloudWatch (never to AWS for a local endpoint)
 * @param cloudwatchEndpoint {@code cloudwatch.endpoint} (with a scheme), or null for the region's
 * @param cloudwatchNamespace {@code cloudwatch.namespace}: where the agent's own metrics go (default
 *                           {@value #DEFAULT_NAMESPACE}, as the Kinesis Agent's)
 * @param checkpointIntervalMillis {@code checkpointIntervalMillis}: the checkpoint file is written at most this often
 *                       (and at a clean stop), when it moved (default {@value #DEFAULT_CHECKPOINT_INTERVAL_MILLIS}).
 *                       After a crash, what was acknowledged in the last interval is sent again.
 */
public record AgentConfig(Path checkpointFile, String endpoint, String firehoseEndpoint, String region,
        String accessKeyId, String secretKey, String assumeRoleArn, String assumeRoleExternalId, String stsEndpoint,
        Properties producer, List<Flow> flows, List<String> ignored, boolean emitMetrics, String cloudwatchEndpoint,
        String cloudwatchNamespace, long checkpointIntervalMillis) {

    /** The Kinesis Agent's namespace for its metrics. */
    public static final String DEFAULT_NAMESPACE = "AWSKinesisAgent";
    /**
     * How often a moving checkpoint is written unless the file says: each write is two fsyncs (the file, then its
     * directory for the rename), and at 100 ms they were a quarter of the agent's CPU tailing 5,000 lines/s.
     */
    public static final long DEFAULT_CHECKPOINT_INTERVAL_MILLIS = 1_000;
    /** The longest {@code checkpointIntervalMillis}: an hour. */
    static final long MAX_CHECKPOINT_INTERVAL_MILLIS = 3_600_000;

    /**
     * A configuration whose agent metrics go to the default namespace, {@value #DEFAULT_NAMESPACE}.
     *
     * @param checkpointFile       where file offsets are kept
     * @param endpoint             the Kinesis endpoint (with a scheme), or null for the region's
     * @param firehoseEndpoint     the Firehose endpoint (with a scheme), or null for the region's
     * @param region               the region, or null (then the producer's Region / the environment)
     * @param accessKeyId          the access key, or null for the default credential chain
     * @param secretKey            the secret key, or null
     * @param assumeRoleArn        the role the flows sign as, or null
     * @param assumeRoleExternalId the external ID for assuming that role, or null
     * @param stsEndpoint          the STS endpoint (with a scheme), or null for the region's
     * @param producer             producer properties (KPL names; copied)
     * @param flows                the flows (copied)
     * @param ignored              JSON paths of accepted settings that are not acted on (copied)
     * @param emitMetrics          whether the agent's own metrics go to CloudWatch
     * @param cloudwatchEndpoint   the CloudWatch endpoint (with a scheme), or null for the region's
     * @throws NullPointerException when {@code producer}, {@code flows} or {@code ignored} is null, or holds a null
     */
    public AgentConfig(Path checkpointFile, String endpoint, String firehoseEndpoint, String region,
            String accessKeyId, String secretKey, String assumeRoleArn, String assumeRoleExternalId, String stsEndpoint,
            Properties producer, List<Flow> flows, List<String> ignored, boolean emitMetrics,
            String cloudwatchEndpoint) {
        this(checkpointFile, endpoint, firehoseEndpoint, region, accessKeyId, secretKey, assumeRoleArn,
                assumeRoleExternalId, stsEndpoint, producer, flows, ignored, emitMetrics, cloudwatchEndpoint,
                DEFAULT_NAMESPACE);
    }

    /**
     * A configuration whose checkpoints are written every {@value #DEFAULT_CHECKPOINT_INTERVAL_MILLIS} ms at most.
     *
     * @param checkpointFile       where file offsets are kept
     * @param endpoint             the Kinesis endpoint (with a scheme), or null for the region's
     * @param firehoseEndpoint     the Firehose endpoint (with a scheme), or null for the region's
     * @param region               the region, or null (then the producer's Region / the environment)
     * @param accessKeyId          the access key, or null for the default credential chain
     * @param secretKey            the secret key, or null
     * @param assumeRoleArn        the role the flows sign as, or null
     * @param assumeRoleExternalId the external ID for assuming that role, or null
     * @param stsEndpoint          the STS endpoint (with a scheme), or null for the region's
     * @param producer             producer properties (KPL names; copied)
     * @param flows                the flows (copied)
     * @param ignored              JSON paths of accepted settings that are not acted on (copied)
     * @param emitMetrics          whether the agent's own metrics go to CloudWatch
     * @param cloudwatchEndpoint   the CloudWatch endpoint (with a scheme), or null for the region's
     * @param cloudwatchNamespace  where the agent's own metrics go in CloudWatch
     * @throws NullPointerException when {@code producer}, {@code flows} or {@code ignored} is null, or holds a null
     */
    public AgentConfig(Path checkpointFile, String endpoint, String firehoseEndpoint, String region,
            String accessKeyId, String secretKey, String assumeRoleArn, String assumeRoleExternalId, String stsEndpoint,
            Properties producer, List<Flow> flows, List<String> ignored, boolean emitMetrics,
            String cloudwatchEndpoint, String cloudwatchNamespace) {
        this(checkpointFile, endpoint, firehoseEndpoint, region, accessKeyId, secretKey, assumeRoleArn,
                assumeRoleExternalId, stsEndpoint, producer, flows, ignored, emitMetrics, cloudwatchEndpoint,
                cloudwatchNamespace, DEFAULT_CHECKPOINT_INTERVAL_MILLIS);
    }

    /** Where a record's partition key comes from. */
    public enum PartitionKeyOption {
        /** A random key, the same for each run of 64 consecutive records of a flow: they still spread evenly. */
        RANDOM,
        /** The hex MD5 of the record as read (before processing options): equal records go to the same shard. */
        DETERMINISTIC
    }

    /** Where reading starts in a file found at start-up without a checkpoint. */
    public enum InitialPosition {
        /** The file's first byte: everything it holds is sent. */
        START_OF_FILE,
        /** The file's end as found: only what is written to it afterwards is sent. */
        END_OF_FILE
    }

    /** What a flow's {@code stream} names. */
    public enum Destination {
        /** {@code kinesisStream}: records go through the producer (KPL aggregation as configured). */
        KINESIS_STREAM,
        /** {@code deliveryStream}: records go to Firehose with PutRecordBatch, one line (and its newline) each. */
        DELIVERY_STREAM
    }

    /**
     * One flow: files matching {@code filePattern} into {@code stream}.
     *
     * @param filePattern               absolute glob; wildcards in any segment but the root, not {@code **}
     * @param stream                    the Kinesis stream or Firehose delivery stream
     * @param destination               which of the two {@code stream} is
     * @param partitionKeyOption        RANDOM (default) or DETERMINISTIC (MD5 of the record); Kinesis only
     * @param initialPosition           END_OF_FILE (default, as the Kinesis Agent) or START_OF_FILE
     * @param multiLineStartPattern     a line matching it starts a record; null: every line is a record
     * @param fileFooterPattern         a record matching it (whole, trimmed) ends the file: it and the rest of what the
     *                                  file holds then are skipped; null: no footer
     * @param skipHeaderLines           lines skipped at the start of each file
     * @param truncatedRecordTerminator appended to a record cut at the record size limit
     * @param maxBufferAgeMillis        how long a record may wait to be sent (RecordMaxBufferedTime)
     * @param maxRecordBytes            the largest record; longer ones are cut
     * @param processing                data processing options, applied in order
     * @param maxBufferSizeRecords      records in one PutRecordBatch at most (1-500, default 500); Firehose only
     * @param maxBufferSizeBytes        data bytes in one PutRecordBatch at most (default and most 4 MiB); Firehose only
     * @param retryInitialBackoffMillis first wait before a failed put goes again (default 100); Firehose only
     * @param retryMaxBackoffMillis     longest wait between tries (default 10000); Firehose only
     * @param aggregatedRecordSizeBytes whole consecutive lines packed into one Firehose record up to this many bytes
     *                                  (newlines included; a longer line goes alone); 0: one line a record. Firehose
     *                                  flows without a multiLineStartPattern only, as in the Kinesis Agent
     */
    public record Flow(String filePattern, String stream, Destination destination,
            PartitionKeyOption partitionKeyOption, InitialPosition initialPosition, Pattern multiLineStartPattern,
            Pattern fileFooterPattern, int skipHeaderLines, String truncatedRecordTerminator, long maxBufferAgeMillis,
            int maxRecordBytes, List<Processing> processing, int maxBufferSizeRecords, long maxBufferSizeBytes,
            long retryInitialBackoffMillis, long retryMaxBackoffMillis, int aggregatedRecordSizeBytes) {
        /**
         * A flow as given, its processing options copied; nothing else is checked ({@link AgentConfig#parse} checks
         * what a file says).
         *
         * @param filePattern               absolute glob of the files to tail
         * @param stream                    the Kinesis stream or Firehose delivery stream
         * @param destination               which of the two {@code stream} is
         * @param partitionKeyOption        where partition keys come from; Kinesis only
         * @param initialPosition           where reading starts in a file without a checkpoint on the first run
         * @param multiLineStartPattern     a line matching it starts a record; null: every line is a record
         * @param fileFooterPattern         a record matching it ends the file; null: no footer
         * @param skipHeaderLines           lines skipped at the start of each file
         * @param truncatedRecordTerminator appended to a record cut at {@code maxRecordBytes}
         * @param maxBufferAgeMillis        how long a record may wait to be sent
         * @param maxRecordBytes            the largest record; longer ones are cut
         * @param processing                data processing options, applied in order (copied)
         * @param maxBufferSizeRecords      records in one PutRecordBatch at most; Firehose only
         * @param maxBufferSizeBytes        data bytes in one PutRecordBatch at most; Firehose only
         * @param retryInitialBackoffMillis first wait before a failed put goes again; Firehose only
         * @param retryMaxBackoffMillis     longest wait between tries; Firehose only
         * @param aggregatedRecordSizeBytes whole lines packed into one Firehose record up to this many bytes; 0: one
         *                                  line a record
         * @throws NullPointerException when {@code processing} is null or holds a null
         */
        public Flow {
            processing = List.copyOf(processing);
        }

        /**
         * A flow with one line (or multi-line record) a record: {@code aggregatedRecordSizeBytes} 0.
         *
         * @param filePattern               absolute glob of the files to tail
         * @param stream                    the Kinesis stream or Firehose delivery stream
         * @param destination               which of the two {@code stream} is
         * @param partitionKeyOption        where partition keys come from; Kinesis only
         * @param initialPosition           where reading starts in a file without a checkpoint on the first run
         * @param multiLineStartPattern     a line matching it starts a record; null: every line is a record
         * @param fileFooterPattern         a record matching it ends the file; null: no footer
         * @param skipHeaderLines           lines skipped at the start of each file
         * @param truncatedRecordTerminator appended to a record cut at {@code maxRecordBytes}
         * @param maxBufferAgeMillis        how long a record may wait to be sent
         * @param maxRecordBytes            the largest record; longer ones are cut
         * @param processing                data processing options, applied in order (copied)
         * @param maxBufferSizeRecords      records in one PutRecordBatch at most; Firehose only
         * @param maxBufferSizeBytes        data bytes in one PutRecordBatch at most; Firehose only
         * @param retryInitialBackoffMillis first wait before a failed put goes again; Firehose only
         * @param retryMaxBackoffMillis     longest wait between tries; Firehose only
         * @throws NullPointerException when {@code processing} is null or holds a null
         */
        public Flow(String filePattern, String stream, Destination destination,
                PartitionKeyOption partitionKeyOption, InitialPosition initialPosition, Pattern multiLineStartPattern,
                Pattern fileFooterPattern, int skipHeaderLines, String truncatedRecordTerminator,
                long maxBufferAgeMillis, int maxRecordBytes, List<Processing> processing, int maxBufferSizeRecords,
                long maxBufferSizeBytes, long retryInitialBackoffMillis, long retryMaxBackoffMillis) {
            this(filePattern, stream, destination, partitionKeyOption, initialPosition, multiLineStartPattern,
                    fileFooterPattern, skipHeaderLines, truncatedRecordTerminator, maxBufferAgeMillis, maxRecordBytes,
                    processing, maxBufferSizeRecords, maxBufferSizeBytes, retryInitialBackoffMillis,
                    retryMaxBackoffMillis, 0);
        }

        /**
         * A flow to a Kinesis stream without a footer, with the Kinesis Agent's defaults for the Firehose-only
         * settings.
         *
         * @param filePattern               absolute glob of the files to tail
         * @param stream                    the Kinesis stream
         * @param partitionKeyOption        where partition keys come from
         * @param initialPosition           where reading starts in a file without a checkpoint on the first run
         * @param multiLineStartPattern     a line matching it starts a record; null: every line is a record
         * @param skipHeaderLines           lines skipped at the start of each file
         * @param truncatedRecordTerminator appended to a record cut at {@code maxRecordBytes}
         * @param maxBufferAgeMillis        how long a record may wait to be sent
         * @param maxRecordBytes            the largest record; longer ones are cut
         * @param processing                data processing options, applied in order (copied)
         * @throws NullPointerException when {@code processing} is null or holds a null
         */
        public Flow(String filePattern, String stream, PartitionKeyOption partitionKeyOption,
                InitialPosition initialPosition, Pattern multiLineStartPattern, int skipHeaderLines,
                String truncatedRecordTerminator, long maxBufferAgeMillis, int maxRecordBytes,
                List<Processing> processing) {
            this(filePattern, stream, Destination.KINESIS_STREAM, partitionKeyOption, initialPosition,
                    multiLineStartPattern, null, skipHeaderLines, truncatedRecordTerminator, maxBufferAgeMillis,
                    maxRecordBytes, processing, FIREHOSE_MAX_BATCH_RECORDS, FIREHOSE_MAX_BATCH_BYTES, 100, 10_000);
        }

        /**
         * {@return a stable name for checkpoints, logs and the {@code flow} metric tag: {@code STREAM:PATTERN}, with
         * {@code firehose:} in front for a Firehose flow (a Kinesis flow's is what it was before Firehose flows)}
         */
        public String id() {
            return (destination == Destination.DELIVERY_STREAM ? "firehose:" : "") + stream + ":" + filePattern;
        }

        /** {@return whether the flow sends to a Firehose delivery stream} */
        public boolean toFirehose() {
            return destination == Destination.DELIVERY_STREAM;
        }
    }

    /**
     * A configuration as given, its lists and properties copied; nothing else is checked ({@link #parse} checks what a
     * file says).
     *
     * @param checkpointFile       where file offsets are kept
     * @param endpoint             the Kinesis endpoint (with a scheme), or null for the region's
     * @param firehoseEndpoint     the Firehose endpoint (with a scheme), or null for the region's
     * @param region               the region, or null (then the producer's Region / the environment)
     * @param accessKeyId          the access key, or null for the default credential chain
     * @param secretKey            the secret key, or null
     * @param assumeRoleArn        the role the flows sign as, or null
     * @param assumeRoleExternalId the external ID for assuming that role, or null
     * @param stsEndpoint          the STS endpoint (with a scheme), or null for the region's
     * @param producer             producer properties (KPL names; copied)
     * @param flows                the flows (copied)
     * @param ignored              JSON paths of accepted settings that are not acted on (copied)
     * @param emitMetrics          whether the agent's own metrics go to CloudWatch
     * @param cloudwatchEndpoint   the CloudWatch endpoint (with a scheme), or null for the region's
     * @param cloudwatchNamespace  where the agent's own metrics go in CloudWatch
     * @param checkpointIntervalMillis the checkpoint file is written at most this often, when it moved
     * @throws NullPointerException when {@code producer}, {@code flows} or {@code ignored} is null, or holds a null
     * @throws IllegalArgumentException when {@code checkpointIntervalMillis} is not from 1 to an hour
     */
    public AgentConfig {
        if (checkpointIntervalMillis < 1 || checkpointIntervalMillis > MAX_CHECKPOINT_INTERVAL_MILLIS) {
            throw new IllegalArgumentException("checkpointIntervalMillis must be between 1 and "
                    + MAX_CHECKPOINT_INTERVAL_MILLIS + ", was " + checkpointIntervalMillis);
        }
        flows = List.copyOf(flows);
        ignored = List.copyOf(ignored);
        Properties copy = new Properties();
        copy.putAll(producer);
        producer = copy;
    }

    private static final Set<String> TOP_LEVEL = Set.of("checkpointFile", "kinesis.endpoint", "kinesis.region",
            "firehose.endpoint", "awsAccessKeyId", "awsSecretAccessKey", "assumeRoleARN", "assumeRoleExternalId",
            "sts.endpoint", "flows", "producer", "cloudwatch.emitMetrics", "cloudwatch.endpoint",
            "cloudwatch.namespace", "checkpointIntervalMillis", "maxConnections", "connectionTimeoutMillis",
            "socketTimeoutMillis");
    /**
     * The Kinesis Agent's connection settings, and the producer properties they set (unless the {@code producer}
     * section sets them itself): the same limits, checked here so that an error names the agent's setting.
     */
    private static final Map<String, ConfigKey<Long>> CONNECTION_SETTINGS = Map.of(
            "maxConnections", ConfigKeys.MAX_CONNECTIONS, "connectionTimeoutMillis", ConfigKeys.CONNECT_TIMEOUT,
            "socketTimeoutMillis", ConfigKeys.REQUEST_TIMEOUT);
    /** Kinesis Agent settings accepted and not acted on (Runnel's producer has its own threads and metrics). */
    private static final Set<String> TOP_LEVEL_IGNORED = Set.of("checkpointTimeToLiveDays",
            "cloudwatch.metricsBufferTimeMillis", "cloudwatch.metricsQueueSize", "cloudwatch.tagInstance",
            "log.emitMetrics", "log.emitInternalMetrics", "log.statusReportingPeriodSeconds", "maxSendingThreads",
            "maxSendingThreadsPerCore", "sendingThreadsKeepAliveMillis", "sendingThreadsMaxQueueSize",
            "connectionTTLMillis", "useTcpKeepAlive", "useHttpGzip", "shutdownTimeoutMillis",
            "userDefinedCredentialsProvider.classname", "userDefinedCredentialsProvider.location");
    private static final Set<String> FLOW_KEYS = Set.of("filePattern", "kinesisStream", "deliveryStream",
            "partitionKeyOption", "initialPosition", "multiLineStartPattern", "skipHeaderLines",
            "truncatedRecordTerminator", "maxBufferAgeMillis", "dataProcessingOptions", "fileFooterPattern");
    /** Acted on by Firehose flows; a Kinesis flow's producer has its own batching and retries. */
    private static final Set<String> FIREHOSE_FLOW_KEYS = Set.of("maxBufferSizeRecords", "maxBufferSizeBytes",
            "retryInitialBackoffMillis", "retryMaxBackoffMillis", "aggregatedRecordSizeBytes");
    private static final Set<String> FLOW_IGNORED = Set.of("maxBufferSizeRecords", "maxBufferSizeBytes",
            "publishQueueCapacity", "waitOnFullPublishQueueMillis", "waitOnEmptyPublishQueueMillis",
            "waitOnFullRetryQueueMillis", "retryInitialBackoffMillis", "retryMaxBackoffMillis",
            "minTimeBetweenFilePollsMillis", "maxTimeBetweenFileTrackerRefreshMillis");
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final JsonNode NO_SETTINGS = new ObjectMapper().createObjectNode();
    /**
     * A Firehose flow's record limit: Firehose takes 1,000 KiB a record, and each line goes with its newline, so a
     * line is cut one byte short of that.
     */
    static final int FIREHOSE_MAX_LINE_BYTES = 1000 * 1024 - 1;
    static final int FIREHOSE_MAX_BATCH_RECORDS = 500;
    static final long FIREHOSE_MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /** Firehose's record limit, the most {@code aggregatedRecordSizeBytes} may be (the Kinesis Agent's range). */
    static final int FIREHOSE_MAX_RECORD_BYTES = 1000 * 1024;

    /**
     * Where checkpoints go when the file does not say: {@code /var/lib/runnel-agent/checkpoints.json} when that
     * directory exists or can be made, else {@code ~/.runnel/agent/checkpoints.json}. Both survive a reboot (the
     * Kinesis Agent's {@code /var/run} default does not, so it sends everything again).
     *
     * @return the checkpoint file's path (the file itself is not made)
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

    /**
     * Reads and checks a configuration file, as {@link #parse} does.
     *
     * @param file the {@code agent.json} file
     * @return the configuration
     * @throws AgentConfigException when the file cannot be read or is not JSON, or listing every problem in it
     */
    public static AgentConfig load(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new AgentConfigException(List.of(file + ": not readable JSON: " + e.getMessage()));
        }
        return parse(root);
    }

    /**
     * Checks a configuration given as JSON: every unknown key and bad value is reported at once. Without a
     * {@code checkpointFile}, {@link #defaultCheckpointFile()} is used (its directory may be made here).
     *
     * @param root the configuration's top-level object
     * @return the configuration
     * @throws AgentConfigException listing every problem, each with its JSON path
     */
    public static AgentConfig parse(JsonNode root) {
        List<String> errors = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        if (root == null || !root.isObject()) {
            throw new AgentConfigException(List.of("$: the configuration must be a JSON object"));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (TOP_LEVEL_IGNORED.contains(key)) {
                ignored.add("$." + key);
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
        String firehoseEndpoint = emptyIsUnset(root, "firehose.endpoint", errors);
        if (firehoseEndpoint != null && !firehoseEndpoint.contains("://")) {
            firehoseEndpoint = "https://" + firehoseEndpoint;
        }
        String region = emptyIsUnset(root, "kinesis.region", errors);
        String accessKey = emptyIsUnset(root, "awsAccessKeyId", errors);
        String secretKey = emptyIsUnset(root, "awsSecretAccessKey", errors);
        if ((accessKey == null) != (secretKey == null)) {
            errors.add("$.awsAccessKeyId / $.awsSecretAccessKey: give both or neither");
        }
        String roleArn = emptyIsUnset(root, "assumeRoleARN", errors);
        if (roleArn != null && !roleArn.startsWith("arn:")) {
            errors.add("$.assumeRoleARN: must be a role ARN (arn:aws:iam::ACCOUNT:role/NAME), was '" + roleArn + "'");
        }
        String externalId = emptyIsUnset(root, "assumeRoleExternalId", errors);
        if (externalId != null && roleArn == null) {
            errors.add("$.assumeRoleExternalId: needs assumeRoleARN");
        }
        String stsEndpoint = emptyIsUnset(root, "sts.endpoint", errors);
        if (stsEndpoint != null && roleArn == null) {
            ignored.add("$.sts.endpoint (no assumeRoleARN)");
            stsEndpoint = null;
        } else if (stsEndpoint != null && !stsEndpoint.contains("://")) {
            stsEndpoint = "https://" + stsEndpoint;
        }
        boolean emitMetrics = true;
        JsonNode emit = root.get("cloudwatch.emitMetrics");
        if (emit != null) {
            // The Kinesis Agent reads "true"/"false" strings as well as JSON booleans.
            if (emit.isBoolean() || emit.isTextual() && emit.asText().matches("(?i)true|false")) {
                emitMetrics = emit.isBoolean() ? emit.asBoolean() : Boolean.parseBoolean(emit.asText());
            } else {
                errors.add("$.cloudwatch.emitMetrics: must be true or false, was " + emit);
            }
        }
        String cloudwatchEndpoint = emptyIsUnset(root, "cloudwatch.endpoint", errors);
        if (cloudwatchEndpoint != null && !cloudwatchEndpoint.contains("://")) {
            cloudwatchEndpoint = "https://" + cloudwatchEndpoint;
        }
        String namespace = emptyIsUnset(root, "cloudwatch.namespace", errors);
        if (namespace == null) {
            namespace = DEFAULT_NAMESPACE;
        } else {
            // CloudWatch's rule, as the producer's MetricsNamespace checks it
            String problem = ConfigKeys.METRICS_NAMESPACE.check(namespace);
            if (problem != null) {
                errors.add("$.cloudwatch.namespace: " + problem + ", was '" + namespace + "'");
            }
        }
        long checkpointInterval = number(root, "checkpointIntervalMillis", "$", errors,
                DEFAULT_CHECKPOINT_INTERVAL_MILLIS, 1, MAX_CHECKPOINT_INTERVAL_MILLIS);
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
        for (Map.Entry<String, ConfigKey<Long>> e : CONNECTION_SETTINGS.entrySet()) {
            JsonNode v = root.get(e.getKey());
            ConfigKey<Long> k = e.getValue();
            if (v == null || producer.containsKey(k.name())) {
                continue; // a producer section's own value wins
            }
            try {
                producer.setProperty(k.name(), Long.toString(k.parse(v.isValueNode() ? v.asText() : "")));
            } catch (IllegalArgumentException bad) {
                errors.add("$." + e.getKey() + ": " + bad.getMessage() + " (the producer's " + k.name() + "), was "
                        + v);
            }
        }
        List<Flow> flows = new ArrayList<>();
        JsonNode list = root.get("flows");
        if (list == null || !list.isArray() || list.isEmpty()) {
            errors.add("$.flows: must be a non-empty list of flows");
        } else {
            for (int i = 0; i < list.size(); i++) {
                Flow f = flow(list.get(i), "$.flows[" + i + "]", errors, ignored);
                if (f != null) {
                    flows.add(f);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new AgentConfigException(errors);
        }
        return new AgentConfig(checkpoint, endpoint, firehoseEndpoint, region, accessKey, secretKey, roleArn,
                externalId, stsEndpoint, producer, flows, ignored, emitMetrics, cloudwatchEndpoint, namespace,
                checkpointInterval);
    }

    private static Flow flow(JsonNode node, String path, List<String> errors, List<String> ignored) {
        if (node == null || !node.isObject()) {
            errors.add(path + ": a flow must be an object");
            return null;
        }
        int before = errors.size();
        boolean firehose = node.has("deliveryStream");
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (firehose && FIREHOSE_FLOW_KEYS.contains(key)) {
                continue; // acted on below
            }
            if (firehose && key.equals("partitionKeyOption")) {
                ignored.add(path + "." + key + " (Firehose records have no partition key)");
            } else if (key.equals("aggregatedRecordSizeBytes")) {
                // The Kinesis Agent reads it for Firehose flows only; the producer's KPL aggregation packs Kinesis
                // records.
                ignored.add(path + "." + key + " (a Kinesis flow's records are packed by the producer's aggregation)");
            } else if (FLOW_IGNORED.contains(key)) {
                ignored.add(path + "." + key);
            } else if (!FLOW_KEYS.contains(key)) {
                errors.add(path + "." + key + ": unknown setting");
            }
        }
        String pattern = text(node, "filePattern", path, errors, null);
        if (pattern != null) {
            try {
                FilePattern.parse(pattern);
            } catch (IllegalArgumentException e) {
                errors.add(path + ".filePattern: " + e.getMessage() + ", was '" + pattern + "'");
            }
        }
        String stream = null;
        if (firehose && node.has("kinesisStream")) {
            errors.add(path + ": give kinesisStream (a Kinesis stream) or deliveryStream (a Firehose delivery"
                    + " stream), not both");
        } else if (firehose) {
            stream = text(node, "deliveryStream", path, errors, null);
        } else if (node.has("kinesisStream")) {
            stream = text(node, "kinesisStream", path, errors, null);
        } else {
            errors.add(path + ".kinesisStream: required (or deliveryStream, for a Firehose delivery stream)");
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
        // The Kinesis Agent compiles it with MULTILINE and takes an empty one as none.
        Pattern footer = null;
        JsonNode footerNode = node.get("fileFooterPattern");
        if (footerNode != null && !(footerNode.isTextual() && footerNode.asText().isEmpty())) {
            String footerText = text(node, "fileFooterPattern", path, errors, null);
            if (footerText != null) {
                try {
                    footer = Pattern.compile(footerText, Pattern.MULTILINE);
                } catch (PatternSyntaxException e) {
                    errors.add(path + ".fileFooterPattern: not a regular expression: " + e.getDescription());
                }
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
        // Kinesis flows leave these to the producer (its CollectionMaxCount, RecordTtl ...): accepted, not checked.
        JsonNode batching = firehose ? node : NO_SETTINGS;
        int batchRecords = (int) number(batching, "maxBufferSizeRecords", path, errors, FIREHOSE_MAX_BATCH_RECORDS, 1,
                FIREHOSE_MAX_BATCH_RECORDS);
        long batchBytes = number(batching, "maxBufferSizeBytes", path, errors, FIREHOSE_MAX_BATCH_BYTES, 1,
                FIREHOSE_MAX_BATCH_BYTES);
        long initialBackoff = number(batching, "retryInitialBackoffMillis", path, errors, 100, 1, 900_000);
        long maxBackoff = number(batching, "retryMaxBackoffMillis", path, errors, 10_000, 1, 900_000);
        int aggregated = (int) number(batching, "aggregatedRecordSizeBytes", path, errors, 0, 0,
                FIREHOSE_MAX_RECORD_BYTES);
        if (aggregated > 0 && multi != null) {
            // As the Kinesis Agent: records start at the pattern, and are not packed together.
            ignored.add(path + ".aggregatedRecordSizeBytes (not with multiLineStartPattern)");
            aggregated = 0;
        }
        if (maxBackoff < initialBackoff) {
            errors.add(path + ".retryMaxBackoffMillis: must not be below retryInitialBackoffMillis (" + initialBackoff
                    + "), was " + maxBackoff);
        }
        if (errors.size() > before || pattern == null || stream == null) {
            return null;
        }
        return new Flow(pattern, stream, firehose ? Destination.DELIVERY_STREAM : Destination.KINESIS_STREAM, pk,
                initial, multi, footer, skip, terminator, age, firehose ? FIREHOSE_MAX_LINE_BYTES : MAX_RECORD_BYTES,
                processing, batchRecords, batchBytes, initialBackoff, maxBackoff, aggregated);
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
