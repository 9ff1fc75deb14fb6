package io.runnel.producer.metrics;

/**
 * The KPL's metrics: the names it uploads to CloudWatch, their units, and the {@code MetricsLevel} that includes each
 * (SUMMARY metrics are also in DETAILED).
 */
public enum KplMetric {
    USER_RECORDS_RECEIVED("UserRecordsReceived", "Count", false),
    USER_RECORDS_PENDING("UserRecordsPending", "Count", false),
    USER_RECORDS_PUT("UserRecordsPut", "Count", true),
    USER_RECORDS_DATA_PUT("UserRecordsDataPut", "Bytes", false),
    KINESIS_RECORDS_PUT("KinesisRecordsPut", "Count", true),
    KINESIS_RECORDS_DATA_PUT("KinesisRecordsDataPut", "Bytes", false),
    ERRORS_BY_CODE("ErrorsByCode", "Count", true),
    ALL_ERRORS("AllErrors", "Count", true),
    RETRIES_PER_RECORD("RetriesPerRecord", "Count", false),
    USER_RECORD_EXPIRED("UserRecordExpired", "Count", true),
    BUFFERING_TIME("BufferingTime", "Milliseconds", true),
    REQUEST_TIME("RequestTime", "Milliseconds", false),
    USER_RECORDS_PER_KINESIS_RECORD("UserRecordsPerKinesisRecord", "Count", false),
    KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST("KinesisRecordsPerPutRecordsRequest", "Count", false),
    USER_RECORDS_PER_PUT_RECORDS_REQUEST("UserRecordsPerPutRecordsRequest", "Count", false);

    /** The KPL's dimension names, outermost first. */
    public static final String ERROR_CODE = "ErrorCode";
    public static final String STREAM_NAME = "StreamName";
    public static final String SHARD_ID = "ShardId";

    private final String metricName;
    private final String unit;
    private final boolean summary;

    KplMetric(String metricName, String unit, boolean summary) {
        this.metricName = metricName;
        this.unit = unit;
        this.summary = summary;
    }

    /** The CloudWatch metric name, as the KPL spells it. */
    public String metricName() {
        return metricName;
    }

    /** The CloudWatch standard unit. */
    public String unit() {
        return unit;
    }

    /** Whether {@code MetricsLevel} SUMMARY includes it (DETAILED includes every metric). */
    public boolean summary() {
        return summary;
    }

    /** Whether the metric is recorded at {@code level} (NONE, SUMMARY or DETAILED). */
    public boolean enabledAt(String level) {
        return switch (level) {
            case "DETAILED" -> true;
            case "SUMMARY" -> summary;
            default -> false;
        };
    }
}
