package io.runnel.backend.store;

import io.runnel.wire.model.ChannelDescription;
import io.runnel.wire.model.ChannelLoggingConfiguration;
import io.runnel.wire.model.ChannelStreamConfiguration;
import io.runnel.wire.model.ChannelStreamDescription;
import io.runnel.wire.model.CloudWatchLogs;
import io.runnel.wire.model.CreateChannelRequest;
import io.runnel.wire.model.DeadLetterQueueS3Configuration;
import io.runnel.wire.model.RecordConfiguration;
import io.runnel.wire.model.S3DestinationConfiguration;
import io.runnel.wire.model.S3StorageConfiguration;
import io.runnel.wire.model.S3TablesConfiguration;
import io.runnel.wire.model.S3TablesDestinationConfiguration;
import io.runnel.wire.model.StreamFilter;
import io.runnel.wire.model.UpdateChannelRequest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kinesis channels (CreateChannel, DescribeChannel, ListChannels, UpdateChannel, DeleteChannel): their
 * configuration, state and tags, kept in the data directory ({@code channels.json}). A channel is CREATING for the
 * store's transition time, then ACTIVE; UpdateChannel makes it UPDATING and DeleteChannel DELETING for the same time
 * (a DELETING channel is gone afterwards). Nothing is delivered: the S3 or S3 Tables destination is stored and
 * described, never written to.
 *
 * <p>The five calls share the account's limit of 5 per second; a call over it is refused with
 * LimitExceededException.
 */
public final class ChannelStore {
    /** Channel control calls allowed per second and account. */
    public static final int CONTROL_CALLS_PER_SECOND = 5;
    /** Channels ListChannels returns at most per page (and by default). */
    public static final int MAX_LIST_RESULTS = 100;

    private static final Pattern CHANNEL_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/\\S{1,1024}");
    private static final Set<String> RECORD_FORMATS = Set.of("GSR_JSON", "JSON", "STRING", "BYTE_ARRAY");
    private static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "INTELLIGENT_TIERING", "GLACIER_IR");
    private static final Set<String> S3_COMPRESSION = Set.of("NONE", "GZIP", "ZSTD");
    private static final Set<String> TABLES_COMPRESSION = Set.of("NONE", "ZSTD", "SNAPPY");
    private static final Set<String> TRANSFORMS = Set.of("TIME_HOUR");
    private static final int MAX_SOURCE_STREAMS = 1;
    private static final int MAX_TAGS = 50;
    private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** A channel: its description without status, tags, and the times its status changes. */
    static final class Channel {
        ChannelDescription config; // channelStatus and channelStatusReason null
        final Map<String, String> tags;
        final long creationMillis;
        final long activeAtMillis;
        String busyStatus; // UPDATING or DELETING while now < busyUntilMillis (DELETING: gone afterwards)
        long busyUntilMillis;

        Channel(ChannelDescription config, Map<String, String> tags, long creationMillis, long activeAtMillis,
                String busyStatus, long busyUntilMillis) {
            this.config = config;
            this.tags = new TreeMap<>(tags);
            this.creationMillis = creationMillis;
            this.activeAtMillis = activeAtMillis;
            this.busyStatus = busyStatus;
            this.busyUntilMillis = busyUntilMillis;
        }

        String status(long now) {
            if (busyStatus != null && (now < busyUntilMillis || "DELETING".equals(busyStatus))) {
                return busyStatus;
            }
            return now < activeAtMillis ? "CREATING" : "ACTIVE";
        }

        boolean gone(long now) {
            return "DELETING".equals(busyStatus) && now >= busyUntilMillis;
        }

        ChannelDescription describe(long now) {
            ChannelDescription c = config;
            return new ChannelDescription(c.channelName(), c.channelARN(), c.channelId(), status(now), null,
                    c.channelCreationTimestamp(), c.serviceExecutionRoleARN(), c.streamConfigurationList(),
                    c.s3DestinationConfiguration(), c.s3TablesDestinationConfiguration(), c.encryptionConfiguration(),
                    c.loggingConfiguration());
        }

        String destinationType() {
            return config.s3DestinationConfiguration() != null ? "S3" : "S3_TABLES";
        }
    }

    private final StoreSettings settings;
    private final TimeSource time;
    private final StreamStore streams;
    private final DataDirectory data; // null: memory only
    private final Map<String, Channel> channels = new TreeMap<>(); // by name; guarded by this
    private final ArrayDeque<Long> recentCalls = new ArrayDeque<>(); // nanos; guarded by this
    private final SecureRandom ids = new SecureRandom();

    ChannelStore(StoreSettings settings, TimeSource time, StreamStore streams, DataDirectory data) {
        this.settings = settings;
        this.time = time;
        this.streams = streams;
        this.data = data;
        if (data != null) {
            long now = time.millis();
            for (Channel c : data.loadChannels()) {
                if (!c.gone(now)) {
                    channels.put(c.config.channelName(), c);
                }
            }
        }
    }

    /**
     * The ARN of a channel, whether or not it exists.
     *
     * @param name the channel's name
     * @return its ARN in this store's region and account
     */
    public String arnOf(String name) {
        return "arn:aws:kinesis:" + settings.region() + ":" + settings.accountId() + ":channel/" + name;
    }

    // ---------------------------------------------------------------- the five calls

    /**
     * CreateChannel: a CREATING channel reading on-demand streams, with its tags.
     *
     * @param r the request
     * @return the new channel as DescribeChannel shows it
     * @throws StoreException LimitExceededException over 5 calls per second, ValidationException or
     *                        InvalidArgumentException for a bad configuration or a stream that is not on-demand,
     *                        ResourceNotFoundException for an unknown stream, ResourceInUseException when the name is
     *                        taken
     */
    public synchronized ChannelDescription create(CreateChannelRequest r) {
        throttle();
        String name = r.channelName();
        if (name == null || !CHANNEL_NAME.matcher(name).matches()) {
            throw validation(name, "channelName", "Member must satisfy regular expression pattern: "
                    + CHANNEL_NAME.pattern());
        }
        String role = r.serviceExecutionRoleARN();
        if (role == null || !ROLE_ARN.matcher(role).matches()) {
            throw validation(role, "serviceExecutionRoleARN", "Member must satisfy regular expression pattern: "
                    + ROLE_ARN.pattern());
        }
        List<ChannelStreamConfiguration> sources = r.streamConfigurationList();
        if (sources == null || sources.isEmpty() || sources.size() > MAX_SOURCE_STREAMS) {
            throw StoreException.validation("1 validation error detected: Value at 'streamConfigurationList' failed"
                    + " to satisfy constraint: Member must have length between 1 and " + MAX_SOURCE_STREAMS);
        }
        if ((r.s3DestinationConfiguration() == null) == (r.s3TablesDestinationConfiguration() == null)) {
            throw StoreException.invalid("Exactly one of S3DestinationConfiguration and"
                    + " S3TablesDestinationConfiguration must be provided.");
        }
        checkS3(r.s3DestinationConfiguration());
        checkS3Tables(r.s3TablesDestinationConfiguration());
        if (r.encryptionConfiguration() != null) {
            if (!"KMS".equals(r.encryptionConfiguration().encryptionType())) {
                throw validation(r.encryptionConfiguration().encryptionType(), "encryptionConfiguration.encryptionType",
                        "Member must satisfy enum value set: [KMS]");
            }
            if (r.encryptionConfiguration().keyId() == null || r.encryptionConfiguration().keyId().isEmpty()) {
                throw StoreException.invalid("KeyId is required when EncryptionType is KMS.");
            }
        }
        checkLogs(r.loggingConfiguration() == null ? null : r.loggingConfiguration().cloudWatchLogs(),
                "loggingConfiguration.cloudWatchLogs");
        Map<String, String> tags = r.tags() == null ? Map.of() : r.tags();
        if (!tags.isEmpty()) {
            StreamStore.checkTags("CreateChannel", tags, MAX_TAGS);
        }
        long now = time.millis();
        List<ChannelStreamDescription> described = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (ChannelStreamConfiguration source : sources) {
            if (source == null || source.streamARN() == null) {
                throw StoreException.validation("1 validation error detected: Value null at"
                        + " 'streamConfigurationList.member.streamARN' failed to satisfy constraint: Member must not"
                        + " be null");
            }
            if (!seen.add(source.streamARN())) {
                throw StoreException.invalid("Stream " + source.streamARN() + " is listed more than once.");
            }
            RecordConfiguration rc = source.recordConfiguration();
            if (rc != null) {
                enumValue(rc.recordFormatType(), RECORD_FORMATS, "recordConfiguration.recordFormatType");
                if ("GSR_JSON".equals(rc.recordFormatType()) && rc.gSRSchemaARN() == null) {
                    throw StoreException.invalid("GSRSchemaARN is required for RecordFormatType GSR_JSON.");
                }
            }
            StreamState stream = streams.stream(null, source.streamARN());
            if (stream.mode() != StreamState.Mode.ON_DEMAND) {
                throw StoreException.invalid("Stream " + stream.name() + " under account " + settings.accountId()
                        + " is in PROVISIONED mode; a channel reads ON_DEMAND streams only.");
            }
            described.add(new ChannelStreamDescription(stream.arn(), Instant.ofEpochMilli(stream.creationMillis()),
                    rc));
        }
        Channel existing = channels.get(name);
        if (existing != null && !existing.gone(now)) {
            throw StoreException.inUse("Channel " + name + " under account " + settings.accountId()
                    + " already exists.");
        }
        ChannelDescription config = new ChannelDescription(name, arnOf(name), newId(), null, null,
                Instant.ofEpochMilli(now), role, List.copyOf(described), r.s3DestinationConfiguration(),
                r.s3TablesDestinationConfiguration(), r.encryptionConfiguration(), r.loggingConfiguration());
        Channel channel = new Channel(config, tags, now, now + settings.transitionMillis(), null, 0);
        channels.put(name, channel);
        persist();
        return channel.describe(now);
    }

    /**
     * DescribeChannel.
     *
     * @param arn the channel's ARN
     * @return its configuration and status now
     * @throws StoreException LimitExceededException over 5 calls per second, ValidationException or
     *                        InvalidArgumentException for a malformed ARN, ResourceNotFoundException for an unknown
     *                        channel
     */
    public synchronized ChannelDescription describe(String arn) {
        throttle();
        return find(arn).describe(time.millis());
    }

    /** A page of ListChannels: channels in name order after {@code afterName}, and whether more remain. */
    public record Page(List<io.runnel.wire.model.ChannelSummary> channels, boolean more) {
    }

    /**
     * ListChannels: channels (all of them, or those reading the filter's stream) in name order after
     * {@code afterName}, at most {@code maxResults} (1-100, default 100).
     *
     * @param filter     null or empty for all channels, else one filter naming a stream ARN
     * @param maxResults channels per page, or null for 100
     * @param afterName  the last name of the previous page, or null for the first page
     * @return the page
     * @throws StoreException LimitExceededException over 5 calls per second, ValidationException for a bad
     *                        {@code maxResults} or filter
     */
    public synchronized Page list(List<StreamFilter> filter, Integer maxResults, String afterName) {
        throttle();
        int max = maxResults == null ? MAX_LIST_RESULTS : maxResults;
        if (max < 1 || max > MAX_LIST_RESULTS) {
            throw validation(maxResults, "maxResults", "Member must have value between 1 and " + MAX_LIST_RESULTS);
        }
        if (filter != null && filter.size() > 1) {
            throw StoreException.validation("1 validation error detected: Value at 'streamFilter' failed to satisfy"
                    + " constraint: Member must have length less than or equal to 1");
        }
        StreamFilter f = filter == null || filter.isEmpty() ? null : filter.get(0);
        if (f != null && f.streamARN() == null) {
            throw validation(null, "streamFilter.member.streamARN", "Member must not be null");
        }
        long now = time.millis();
        purge(now);
        List<io.runnel.wire.model.ChannelSummary> page = new ArrayList<>();
        boolean more = false;
        for (Channel c : channels.values()) {
            if (afterName != null && c.config.channelName().compareTo(afterName) <= 0) {
                continue;
            }
            if (f != null && c.config.streamConfigurationList().stream().noneMatch(s -> s.streamARN()
                    .equals(f.streamARN()) && (f.streamCreationTimestamp() == null
                            || f.streamCreationTimestamp().equals(s.streamCreationTimestamp())))) {
                continue;
            }
            if (page.size() == max) {
                more = true;
                break;
            }
            page.add(new io.runnel.wire.model.ChannelSummary(c.config.channelName(), c.config.channelARN(),
                    c.config.channelId(), c.status(now), null, c.config.channelCreationTimestamp(),
                    c.destinationType(), c.config.streamConfigurationList().stream()
                            .map(s -> new io.runnel.wire.model.ChannelStreamIdentifier(s.streamARN(),
                                    s.streamCreationTimestamp()))
                            .toList()));
        }
        return new Page(page, more);
    }

    /**
     * UpdateChannel: the data freshness of the channel's destination (of its own type only) and its CloudWatch Logs
     * settings; an ACTIVE channel is UPDATING afterwards for the transition time.
     *
     * @param r the request
     * @return the channel as DescribeChannel shows it afterwards
     * @throws StoreException LimitExceededException over 5 calls per second, ResourceNotFoundException for an
     *                        unknown channel, ResourceInUseException when it is not ACTIVE, ValidationException or
     *                        InvalidArgumentException for a bad configuration
     */
    public synchronized ChannelDescription update(UpdateChannelRequest r) {
        throttle();
        Channel c = find(r.channelARN());
        if (r.s3DestinationConfiguration() == null && r.s3TablesDestinationConfiguration() == null
                && r.loggingConfiguration() == null) {
            throw StoreException.invalid("UpdateChannel needs S3DestinationConfiguration,"
                    + " S3TablesDestinationConfiguration or LoggingConfiguration.");
        }
        ChannelDescription d = c.config;
        S3DestinationConfiguration s3 = d.s3DestinationConfiguration();
        S3TablesDestinationConfiguration tables = d.s3TablesDestinationConfiguration();
        if (r.s3DestinationConfiguration() != null) {
            if (s3 == null) {
                throw StoreException.invalid("Channel " + d.channelName() + " has no S3 destination.");
            }
            Integer fresh = r.s3DestinationConfiguration().dataFreshnessInSeconds();
            checkFreshness(fresh, "s3DestinationConfiguration.dataFreshnessInSeconds");
            s3 = new S3DestinationConfiguration(fresh == null ? s3.dataFreshnessInSeconds() : fresh,
                    s3.deadLetterQueueS3Configuration(), s3.storageConfiguration());
        }
        if (r.s3TablesDestinationConfiguration() != null) {
            if (tables == null) {
                throw StoreException.invalid("Channel " + d.channelName() + " has no S3 Tables destination.");
            }
            Integer fresh = r.s3TablesDestinationConfiguration().dataFreshnessInSeconds();
            checkFreshness(fresh, "s3TablesDestinationConfiguration.dataFreshnessInSeconds");
            tables = new S3TablesDestinationConfiguration(fresh == null ? tables.dataFreshnessInSeconds() : fresh,
                    tables.deadLetterQueueS3Configuration(), tables.s3TablesConfigurationList());
        }
        ChannelLoggingConfiguration logging = d.loggingConfiguration();
        if (r.loggingConfiguration() != null && r.loggingConfiguration().cloudWatchLogs() != null) {
            CloudWatchLogs in = r.loggingConfiguration().cloudWatchLogs();
            CloudWatchLogs old = logging == null || logging.cloudWatchLogs() == null
                    ? new CloudWatchLogs(null, null, null) : logging.cloudWatchLogs();
            CloudWatchLogs merged = new CloudWatchLogs(in.enabled() != null ? in.enabled() : old.enabled(),
                    in.logGroupName() != null ? in.logGroupName() : old.logGroupName(),
                    in.logStreamName() != null ? in.logStreamName() : old.logStreamName());
            checkLogs(merged, "loggingConfiguration.cloudWatchLogs");
            logging = new ChannelLoggingConfiguration(merged);
        }
        long now = time.millis();
        String status = c.status(now);
        if (!"ACTIVE".equals(status)) {
            throw StoreException.inUse("Channel " + d.channelName() + " under account " + settings.accountId()
                    + " not ACTIVE, instead in state " + status);
        }
        c.config = new ChannelDescription(d.channelName(), d.channelARN(), d.channelId(), null, null,
                d.channelCreationTimestamp(), d.serviceExecutionRoleARN(), d.streamConfigurationList(), s3, tables,
                d.encryptionConfiguration(), logging);
        c.busyStatus = "UPDATING";
        c.busyUntilMillis = now + settings.transitionMillis();
        persist();
        return c.describe(now);
    }

    /**
     * DeleteChannel: the channel is DELETING for the transition time, then gone; deleting it again is a no-op.
     *
     * @param arn the channel's ARN
     * @throws StoreException LimitExceededException over 5 calls per second, ValidationException or
     *                        InvalidArgumentException for a malformed ARN, ResourceNotFoundException for an unknown
     *                        channel
     */
    public synchronized void delete(String arn) {
        throttle();
        Channel c = find(arn);
        if ("DELETING".equals(c.busyStatus)) {
            return;
        }
        c.busyStatus = "DELETING";
        c.busyUntilMillis = time.millis() + settings.transitionMillis();
        persist();
    }

    /**
     * The tags a channel was created with (not counted against the call limit).
     *
     * @param arn the channel's ARN
     * @return its tags, immutable
     * @throws StoreException ValidationException or InvalidArgumentException for a malformed ARN,
     *                        ResourceNotFoundException for an unknown channel
     */
    public synchronized Map<String, String> tags(String arn) {
        return Map.copyOf(find(arn).tags);
    }

    // ---------------------------------------------------------------- helpers

    /** Counts a channel control call; refuses the sixth within one second (monotonic clock). */
    private void throttle() {
        long now = time.nanos();
        while (!recentCalls.isEmpty() && now - recentCalls.peekFirst() >= 1_000_000_000L) {
            recentCalls.pollFirst();
        }
        if (recentCalls.size() >= CONTROL_CALLS_PER_SECOND) {
            throw StoreException.limit("Rate exceeded for channel operations of account " + settings.accountId()
                    + ": at most " + CONTROL_CALLS_PER_SECOND + " per second.");
        }
        recentCalls.addLast(now);
    }

    private Channel find(String arn) {
        if (arn == null || arn.isEmpty() || arn.length() > 2048) {
            throw validation(arn, "channelARN", "Member must have length between 1 and 2048");
        }
        String prefix = arnOf("");
        if (!arn.matches("arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:channel/.+")) {
            throw StoreException.invalid("ChannelARN " + arn + " is not a valid Kinesis channel ARN.");
        }
        long now = time.millis();
        purge(now);
        Channel c = arn.startsWith(prefix) ? channels.get(arn.substring(prefix.length())) : null;
        if (c == null) {
            throw StoreException.notFound("Channel " + arn + " under account " + settings.accountId()
                    + " not found.");
        }
        return c;
    }

    /** Drops channels whose deletion has finished. */
    private void purge(long now) {
        if (channels.values().removeIf(c -> c.gone(now))) {
            persist();
        }
    }

    private void persist() {
        if (data != null) {
            data.saveChannels(List.copyOf(channels.values()));
        }
    }

    private String newId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = i == 20 ? '-' : ID_CHARS[ids.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private static StoreException validation(Object value, String member, String constraint) {
        return StoreException.validation("1 validation error detected: Value " + (value == null ? "null"
                : "'" + value + "'") + " at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    private static void enumValue(String value, Set<String> allowed, String member) {
        if (value != null && !allowed.contains(value)) {
            throw validation(value, member, "Member must satisfy enum value set: " + new java.util.TreeSet<>(allowed));
        }
    }

    private static void required(Object value, String member) {
        if (value == null || value instanceof String s && s.isEmpty()) {
            throw validation(null, member, "Member must not be null");
        }
    }

    private static void checkFreshness(Integer seconds, String member) {
        if (seconds != null && seconds < 0) {
            throw validation(seconds, member, "Member must have value greater than or equal to 0");
        }
    }

    private static void checkDeadLetter(DeadLetterQueueS3Configuration dlq, String member) {
        if (dlq != null) {
            required(dlq.bucketARN(), member + ".bucketARN");
        }
    }

    private static void checkS3(S3DestinationConfiguration s3) {
        if (s3 == null) {
            return;
        }
        checkFreshness(s3.dataFreshnessInSeconds(), "s3DestinationConfiguration.dataFreshnessInSeconds");
        checkDeadLetter(s3.deadLetterQueueS3Configuration(),
                "s3DestinationConfiguration.deadLetterQueueS3Configuration");
        S3StorageConfiguration storage = s3.storageConfiguration();
        required(storage, "s3DestinationConfiguration.storageConfiguration");
        required(storage.bucketARN(), "s3DestinationConfiguration.storageConfiguration.bucketARN");
        enumValue(storage.storageClass(), STORAGE_CLASSES,
                "s3DestinationConfiguration.storageConfiguration.storageClass");
        enumValue(storage.compressionType(), S3_COMPRESSION,
                "s3DestinationConfiguration.storageConfiguration.compressionType");
    }

    private static void checkS3Tables(S3TablesDestinationConfiguration t) {
        if (t == null) {
            return;
        }
        String m = "s3TablesDestinationConfiguration";
        checkFreshness(t.dataFreshnessInSeconds(), m + ".dataFreshnessInSeconds");
        checkDeadLetter(t.deadLetterQueueS3Configuration(), m + ".deadLetterQueueS3Configuration");
        if (t.s3TablesConfigurationList() == null || t.s3TablesConfigurationList().isEmpty()) {
            throw validation(null, m + ".s3TablesConfigurationList", "Member must have length greater than or"
                    + " equal to 1");
        }
        for (S3TablesConfiguration table : t.s3TablesConfigurationList()) {
            String tm = m + ".s3TablesConfigurationList.member";
            required(table, tm);
            required(table.tableBucketARN(), tm + ".tableBucketARN");
            required(table.namespace(), tm + ".namespace");
            required(table.tableName(), tm + ".tableName");
            enumValue(table.compressionType(), TABLES_COMPRESSION, tm + ".compressionType");
            if (table.partitionSpec() != null && table.partitionSpec().partitionFields() != null) {
                for (var field : table.partitionSpec().partitionFields()) {
                    required(field, tm + ".partitionSpec.partitionFields.member");
                    enumValue(field.transform(), TRANSFORMS, tm + ".partitionSpec.partitionFields.member.transform");
                    required(field.sourceName(), tm + ".partitionSpec.partitionFields.member.sourceName");
                }
            }
        }
    }

    private static void checkLogs(CloudWatchLogs logs, String member) {
        if (logs != null && Boolean.TRUE.equals(logs.enabled()) && logs.logGroupName() == null) {
            throw StoreException.invalid("LogGroupName is required when CloudWatch Logs are enabled (" + member
                    + ").");
        }
    }
}
