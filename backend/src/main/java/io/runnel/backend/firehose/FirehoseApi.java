package io.runnel.backend.firehose;

import io.runnel.backend.store.StoreException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The Firehose actions the backend serves (CreateDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams,
 * DeleteDeliveryStream, PutRecord, PutRecordBatch): parses a JSON 1.1 request, checks it against Firehose's model
 * (broken member constraints are {@code ValidationException}s, as the service's are), applies it to the
 * {@link FirehoseStore} and returns the JSON response. Only DirectPut streams with an S3 or extended S3 destination are
 * emulated; other sources and destinations are refused with {@code InvalidArgumentException}. Thread-safe.
 */
public final class FirehoseApi {
    /** The {@code X-Amz-Target} prefix of Firehose actions. */
    public static final String TARGET_PREFIX = "Firehose_20150804.";
    /** Records one PutRecordBatch takes at most. */
    public static final int MAX_BATCH_RECORDS = 500;
    /** Data bytes (decoded) one PutRecordBatch takes at most. */
    public static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    /** Data bytes (decoded) of one record at most: 1,000 KiB. */
    public static final int MAX_RECORD_BYTES = 1000 * 1024;

    static final String VALIDATION = StoreException.VALIDATION;
    private static final String SERIALIZATION = "SerializationException";
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final int MAX_NAME_LENGTH = 64;
    private static final int MAX_LIST_LIMIT = 10_000;
    private static final int DEFAULT_LIST_LIMIT = 10;
    private static final int MAX_TAGS = 50;
    private static final String DESTINATION_ID = "destinationId-000000000001";
    private static final Set<String> STREAM_TYPES = Set.of("DirectPut", "KinesisStreamAsSource", "MSKAsSource",
            "DatabaseAsSource");

    private final FirehoseStore store;

    /**
     * The Firehose actions over {@code store}.
     *
     * @param store the delivery streams
     */
    public FirehoseApi(FirehoseStore store) {
        this.store = store;
    }

    /**
     * Whether a request is for Firehose.
     *
     * @param target the request's {@code X-Amz-Target} header, may be null
     * @return whether it names a Firehose action
     */
    public static boolean isFirehose(String target) {
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    /**
     * Applies one request.
     *
     * @param target the {@code X-Amz-Target}, {@code Firehose_20150804.<Action>}
     * @param body   the JSON request body
     * @return the JSON response body
     * @throws StoreException the refusal, with its Firehose error code
     */
    public byte[] handle(String target, byte[] body) {
        String action = target.substring(TARGET_PREFIX.length());
        Map<String, Object> request = switch (action) {
            case "CreateDeliveryStream", "DescribeDeliveryStream", "ListDeliveryStreams", "DeleteDeliveryStream",
                    "PutRecord", "PutRecordBatch" -> parse(body);
            default -> throw new StoreException("UnknownOperationException", "Unknown operation " + target
                    + " (this backend emulates CreateDeliveryStream, DescribeDeliveryStream, ListDeliveryStreams,"
                    + " DeleteDeliveryStream, PutRecord and PutRecordBatch)");
        };
        Map<String, Object> response = switch (action) {
            case "CreateDeliveryStream" -> create(request);
            case "DescribeDeliveryStream" -> describe(request);
            case "ListDeliveryStreams" -> list(request);
            case "DeleteDeliveryStream" -> {
                store.delete(name(request));
                yield Map.of();
            }
            case "PutRecord" -> putRecord(request);
            default -> putRecordBatch(request);
        };
        return Json.write(response);
    }

    // ---------------------------------------------------------------- actions

    private Map<String, Object> create(Map<String, Object> r) {
        String name = name(r);
        String type = string(r, "DeliveryStreamType", "deliveryStreamType");
        if (type != null && !STREAM_TYPES.contains(type)) {
            throw validation(type, "deliveryStreamType", "Member must satisfy enum value set: [DirectPut,"
                    + " KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]");
        }
        if (type != null && !FirehoseStore.DIRECT_PUT.equals(type)) {
            throw invalid("DeliveryStreamType " + type + " is not emulated by this backend; only DirectPut delivery"
                    + " streams are (put records with PutRecord or PutRecordBatch).");
        }
        for (String source : List.of("KinesisStreamSourceConfiguration", "MSKSourceConfiguration",
                "DatabaseSourceConfiguration")) {
            if (r.get(source) != null) {
                throw invalid(source + " is not valid for a DirectPut delivery stream.");
            }
        }
        List<String> destinations = new ArrayList<>();
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (e.getKey().endsWith("DestinationConfiguration") && e.getValue() != null) {
                destinations.add(e.getKey());
            }
        }
        if (destinations.size() != 1) {
            throw invalid("Exactly one destination configuration must be given, was " + destinations.size()
                    + (destinations.isEmpty() ? "" : " " + destinations) + ".");
        }
        String kind = destinations.get(0);
        if (!kind.equals(FirehoseStore.S3) && !kind.equals(FirehoseStore.EXTENDED_S3)) {
            throw invalid(kind + " is not emulated by this backend; use " + FirehoseStore.EXTENDED_S3 + " or "
                    + FirehoseStore.S3 + " (records are delivered to local files).");
        }
        String member = Character.toLowerCase(kind.charAt(0)) + kind.substring(1);
        Map<String, Object> destination = object(r, kind, member);
        required(string(destination, "RoleARN", member + ".roleARN"), member + ".roleARN");
        required(string(destination, "BucketARN", member + ".bucketARN"), member + ".bucketARN");
        BufferingHints hints = hints(object(destination, "BufferingHints", member + ".bufferingHints"),
                member + ".bufferingHints");
        List<Object> tags = list(r, "Tags", "tags");
        if (tags != null && (tags.isEmpty() || tags.size() > MAX_TAGS)) {
            throw validation("[...]", "tags", "Member must have length between 1 and " + MAX_TAGS);
        }
        return Map.of("DeliveryStreamARN", store.create(name, kind, destination, hints));
    }

    private Map<String, Object> describe(Map<String, Object> r) {
        String name = name(r);
        Integer limit = integer(r, "Limit", "limit");
        if (limit != null && (limit < 1 || limit > MAX_LIST_LIMIT)) {
            throw validation(limit, "limit", "Member must have value between 1 and " + MAX_LIST_LIMIT);
        }
        String after = string(r, "ExclusiveStartDestinationId", "exclusiveStartDestinationId");
        FirehoseStore.Description d = store.describe(name);
        Map<String, Object> destination = new LinkedHashMap<>();
        destination.put("DestinationId", DESTINATION_ID);
        destination.put("S3DestinationDescription", s3Description(d.destination(), d.hints()));
        destination.put("ExtendedS3DestinationDescription", extendedDescription(d.destination(), d.hints()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("DeliveryStreamName", d.name());
        out.put("DeliveryStreamARN", d.arn());
        out.put("DeliveryStreamStatus", d.status());
        out.put("DeliveryStreamEncryptionConfiguration", Map.of("Status", "DISABLED"));
        out.put("DeliveryStreamType", d.type());
        out.put("VersionId", Integer.toString(d.version()));
        out.put("CreateTimestamp", BigDecimal.valueOf(d.createMillis(), 3));
        out.put("Destinations", DESTINATION_ID.equals(after) ? List.of() : List.of(destination));
        out.put("HasMoreDestinations", false);
        return Map.of("DeliveryStreamDescription", out);
    }

    private Map<String, Object> list(Map<String, Object> r) {
        Integer limit = integer(r, "Limit", "limit");
        if (limit != null && (limit < 1 || limit > MAX_LIST_LIMIT)) {
            throw validation(limit, "limit", "Member must have value between 1 and " + MAX_LIST_LIMIT);
        }
        String type = string(r, "DeliveryStreamType", "deliveryStreamType");
        if (type != null && !STREAM_TYPES.contains(type)) {
            throw validation(type, "deliveryStreamType", "Member must satisfy enum value set: [DirectPut,"
                    + " KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]");
        }
        String after = string(r, "ExclusiveStartDeliveryStreamName", "exclusiveStartDeliveryStreamName");
        if (after != null) {
            checkName(after, "exclusiveStartDeliveryStreamName");
        }
        FirehoseStore.Page page = store.list(type, after, limit == null ? DEFAULT_LIST_LIMIT : limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("DeliveryStreamNames", page.names());
        out.put("HasMoreDeliveryStreams", page.more());
        return out;
    }

    private Map<String, Object> putRecord(Map<String, Object> r) {
        String name = name(r);
        Map<String, Object> record = object(r, "Record", "record");
        required(record, "record");
        byte[] data = data(record, "record.data");
        store.put(name, List.of(data));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("RecordId", recordId());
        out.put("Encrypted", false);
        return out;
    }

    private Map<String, Object> putRecordBatch(Map<String, Object> r) {
        String name = name(r);
        List<Object> records = list(r, "Records", "records");
        required(records, "records");
        if (records.isEmpty() || records.size() > MAX_BATCH_RECORDS) {
            throw validation("[...]", "records", "Member must have length less than or equal to "
                    + MAX_BATCH_RECORDS + " and greater than or equal to 1 (was " + records.size() + ")");
        }
        List<byte[]> data = new ArrayList<>(records.size());
        long total = 0;
        for (int i = 0; i < records.size(); i++) {
            String member = "records." + (i + 1) + ".member";
            if (!(records.get(i) instanceof Map<?, ?>)) {
                throw validation(null, member, "Member must not be null");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> record = (Map<String, Object>) records.get(i);
            byte[] d = data(record, member + ".data");
            total += d.length;
            data.add(d);
        }
        if (total > MAX_BATCH_BYTES) {
            throw invalid("Records size exceeds 4 MB limit: the records' data adds up to " + total + " bytes, at"
                    + " most " + MAX_BATCH_BYTES + " are allowed per PutRecordBatch call.");
        }
        store.put(name, data);
        List<Object> responses = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            responses.add(Map.of("RecordId", recordId()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("FailedPutCount", 0);
        out.put("Encrypted", false);
        out.put("RequestResponses", responses);
        return out;
    }

    // ---------------------------------------------------------------- descriptions

    private static Map<String, Object> s3Description(Map<String, Object> config, BufferingHints hints) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : List.of("RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix")) {
            if (config.get(key) != null) {
                out.put(key, config.get(key));
            }
        }
        withDefaults(config, hints, out);
        if (config.get("CloudWatchLoggingOptions") != null) {
            out.put("CloudWatchLoggingOptions", config.get("CloudWatchLoggingOptions"));
        }
        return out;
    }

    private static Map<String, Object> extendedDescription(Map<String, Object> config, BufferingHints hints) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : config.entrySet()) {
            out.put(e.getKey().equals("S3BackupConfiguration") ? "S3BackupDescription" : e.getKey(), e.getValue());
        }
        withDefaults(config, hints, out);
        out.putIfAbsent("S3BackupMode", "Disabled");
        return out;
    }

    private static void withDefaults(Map<String, Object> config, BufferingHints hints, Map<String, Object> out) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("SizeInMBs", hints.sizeBytes() / (1024 * 1024));
        b.put("IntervalInSeconds", hints.intervalMillis() / 1000);
        out.put("BufferingHints", b);
        out.put("CompressionFormat", config.getOrDefault("CompressionFormat", "UNCOMPRESSED"));
        Object encryption = config.get("EncryptionConfiguration");
        out.put("EncryptionConfiguration", encryption != null ? encryption : Map.of("NoEncryptionConfig",
                "NoEncryption"));
    }

    // ---------------------------------------------------------------- checks

    /** A delivery stream name: 1-64 characters of {@code [a-zA-Z0-9_.-]}, and not {@code .} or {@code ..}. */
    static void checkName(String name, String member) {
        if (name == null) {
            throw validation(null, member, "Member must not be null");
        }
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw validation(name, member, "Member must have length between 1 and " + MAX_NAME_LENGTH);
        }
        if (!NAME.matcher(name).matches()) {
            throw validation(name, member, "Member must satisfy regular expression pattern: " + NAME.pattern());
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid("Delivery stream name " + name + " cannot be a directory name for its files on this"
                    + " backend; choose another.");
        }
    }

    private static String name(Map<String, Object> r) {
        String name = string(r, "DeliveryStreamName", "deliveryStreamName");
        checkName(name, "deliveryStreamName");
        return name;
    }

    private static BufferingHints hints(Map<String, Object> b, String member) {
        if (b == null) {
            return BufferingHints.DEFAULTS;
        }
        Integer size = integer(b, "SizeInMBs", member + ".sizeInMBs");
        Integer interval = integer(b, "IntervalInSeconds", member + ".intervalInSeconds");
        if (size != null && (size < 1 || size > 128)) {
            throw validation(size, member + ".sizeInMBs", "Member must have value between 1 and 128");
        }
        if (interval != null && (interval < 0 || interval > 900)) {
            throw validation(interval, member + ".intervalInSeconds", "Member must have value between 0 and 900");
        }
        return BufferingHints.of(size == null ? BufferingHints.DEFAULT_SIZE_MIB : size,
                interval == null ? BufferingHints.DEFAULT_INTERVAL_SECONDS : interval);
    }

    private static byte[] data(Map<String, Object> record, String member) {
        String base64 = string(record, "Data", member);
        required(base64, member);
        byte[] data;
        try {
            data = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new StoreException(SERIALIZATION, "Could not decode " + member + " as base64: " + e.getMessage());
        }
        if (data.length > MAX_RECORD_BYTES) {
            throw validation("java.nio.HeapByteBuffer[pos=0 lim=" + data.length + " cap=" + data.length + "]", member,
                    "Member must have length less than or equal to " + MAX_RECORD_BYTES);
        }
        return data;
    }

    private static String recordId() {
        byte[] id = new byte[48];
        ThreadLocalRandom.current().nextBytes(id);
        return Base64.getEncoder().encodeToString(id);
    }

    // ---------------------------------------------------------------- JSON members

    private static Map<String, Object> parse(byte[] body) {
        Object parsed;
        try {
            parsed = body.length == 0 ? Map.of() : Json.parse(body);
        } catch (IOException e) {
            throw new StoreException(SERIALIZATION, "Could not parse the request body as JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new StoreException(SERIALIZATION, "The request body must be a JSON object.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) parsed;
        return map;
    }

    private static String string(Map<String, Object> m, String key, String member) {
        Object v = m.get(key);
        if (v != null && !(v instanceof String)) {
            throw new StoreException(SERIALIZATION, "Expected a string for " + member);
        }
        return (String) v;
    }

    private static Integer integer(Map<String, Object> m, String key, String member) {
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new StoreException(SERIALIZATION, "Expected an integer for " + member);
        }
        return (int) (long) l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key, String member) {
        Object v = m.get(key);
        if (v != null && !(v instanceof Map<?, ?>)) {
            throw new StoreException(SERIALIZATION, "Expected an object for " + member);
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> m, String key, String member) {
        Object v = m.get(key);
        if (v != null && !(v instanceof List<?>)) {
            throw new StoreException(SERIALIZATION, "Expected a list for " + member);
        }
        return (List<Object>) v;
    }

    private static void required(Object value, String member) {
        if (value == null || value instanceof String s && s.isEmpty()) {
            throw validation(null, member, "Member must not be null");
        }
    }

    private static StoreException validation(Object value, String member, String constraint) {
        return new StoreException(VALIDATION, "1 validation error detected: Value " + (value == null ? "null"
                : "'" + value + "'") + " at '" + member + "' failed to satisfy constraint: " + constraint);
    }

    private static StoreException invalid(String message) {
        return new StoreException(StoreException.INVALID_ARGUMENT, message);
    }
}
