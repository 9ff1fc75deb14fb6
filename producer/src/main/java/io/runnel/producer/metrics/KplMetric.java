package io.runnel.producer.metrics;

/**
 * The KPL's metrics: the names it uploads to CloudWatch, their units, and the {@code MetricsLevel} that includes each
 * (SUMMARY metrics are also in DETAILED).
 */
public enum KplMetric {
    /** User records addUserRecord accepted. */
    USER_RECORDS_RECEIVED("UserRecordsReceived", "Count", false),
    /** User records accepted whose futures have not completed (a gauge). */
    USER_RECORDS_PENDING("UserRecordsPending", "Count", false),
    /** User records put. */
    USER_RECORDS_PUT("UserRecordsPut", "Count", true),
    /** Bytes of user record data put. */
    USER_RECORDS_DATA_PUT("UserRecordsDataPut", "Bytes", false),
    /** Kinesis records (aggregates or single user records) put. */
    KINESIS_RECORDS_PUT("KinesisRecordsPut", "Count", true),
    /** Bytes of Kinesis records put. */
    KINESIS_RECORDS_DATA_PUT("KinesisRecordsDataPut", "Bytes", false),
    /** Failed attempts, per error code (dimension {@link #ERROR_CODE}). */
    ERRORS_BY_CODE("ErrorsByCode", "Count", true),
    /** Failed attempts, whatever their code. */
    ALL_ERRORS("AllErrors", "Count", true),
    /** Failed attempts before a user record was put or failed for good. */
    RETRIES_PER_RECORD("RetriesPerRecord", "Count", false),
    /** User records that failed with code {@code Expired} (RecordTtl). */
    USER_RECORD_EXPIRED("UserRecordExpired", "Count", true),
    /** Time from addUserRecord to the request that put the user record. */
    BUFFERING_TIME("BufferingTime", "Milliseconds", true),
    /** Time a PutRecords request took to be answered. */
    REQUEST_TIME("RequestTime", "Milliseconds", false),
    /** User records in each Kinesis record put. */
    USER_RECORDS_PER_KINESIS_RECORD("UserRecordsPerKinesisRecord", "Count", false),
    /** Kinesis records in each PutRecords request. */
    KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST("KinesisRecordsPerPutRecordsRequest", "Count", false),
    /** User records in each PutRecords request. */
    USER_RECORDS_PER_PUT_RECORDS_REQUEST("UserRecordsPerPutRecordsRequest", "Count", false);

    /** The KPL's dimension of {@link #ERRORS_BY_CODE}: the error code; outermost of the dimensions. */
    public static final String ERROR_CODE = "ErrorCode";
    /** The KPL's dimension for a stream's series (MetricsGranularity STREAM or SHARD). */
    public static final String STREAM_NAME = "StreamName";
    /** The KPL's dimension for a shard's series (MetricsGranularity SHARD), innermost. */
    public static final String SHARD_ID = "ShardId";

    private final String metricName;
    private final String unit;
    private final boolean summary;

    KplMetric(String metricName, String unit, boolean summary) {
        this.metricName = metricName;
        this.unit = unit;
        this.summary = summary;
    }

    /** {@return the CloudWatch metric name, as the KPL spells it} */
    public String metricName() {
        return metricName;
    }

    /** {@return the CloudWatch standard unit: {@code Count}, {@code Bytes} or {@code Milliseconds}} */
    public String unit() {
        return unit;
    }

    /** {@return whether {@code MetricsLevel} SUMMARY includes it (DETAILED includes every metric)} */
    public boolean summary() {
        return summary;
    }

    /**
     * Tells whether a MetricsLevel includes the metric.
     *
     * @param level NONE, SUMMARY or DETAILED (anything else counts as NONE)
     * @return whether the metric is recorded at {@code level}
     */
    public boolean enabledAt(String level) {
        return switch (level) {
            case "DETAILED" -> true;
            case "SUMMARY" -> summary;
            default -> false;
        };
    }
}
