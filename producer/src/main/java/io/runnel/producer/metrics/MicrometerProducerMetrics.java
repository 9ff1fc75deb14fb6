package io.runnel.producer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link ProducerMetrics} on a Micrometer registry, under the KPL's metric names. {@code MetricsLevel} SUMMARY
 * records UserRecordsPut, KinesisRecordsPut, ErrorsByCode, AllErrors and BufferingTime (the KPL's summary set);
 * DETAILED adds the rest. {@code MetricsGranularity} GLOBAL tags nothing, STREAM tags {@code stream}, SHARD adds
 * {@code shard} where a shard is known. Meters are created once per tag set and cached. Thread-safe.
 */
public final class MicrometerProducerMetrics implements ProducerMetrics {
    /** The meter name of {@link KplMetric#USER_RECORDS_RECEIVED} (a counter). */
    public static final String USER_RECORDS_RECEIVED = "UserRecordsReceived";
    /** The meter name of {@link KplMetric#USER_RECORDS_PENDING} (a gauge the producer registers). */
    public static final String USER_RECORDS_PENDING = "UserRecordsPending";
    /** The meter name of {@link KplMetric#USER_RECORDS_PUT} (a counter). */
    public static final String USER_RECORDS_PUT = "UserRecordsPut";
    /** The meter name of {@link KplMetric#USER_RECORDS_DATA_PUT} (a counter, in bytes). */
    public static final String USER_RECORDS_DATA_PUT = "UserRecordsDataPut";
    /** The meter name of {@link KplMetric#KINESIS_RECORDS_PUT} (a counter). */
    public static final String KINESIS_RECORDS_PUT = "KinesisRecordsPut";
    /** The meter name of {@link KplMetric#KINESIS_RECORDS_DATA_PUT} (a counter, in bytes). */
    public static final String KINESIS_RECORDS_DATA_PUT = "KinesisRecordsDataPut";
    /** The meter name of {@link KplMetric#ERRORS_BY_CODE} (a counter, tagged {@code code}). */
    public static final String ERRORS_BY_CODE = "ErrorsByCode";
    /** The meter name of {@link KplMetric#ALL_ERRORS} (a counter). */
    public static final String ALL_ERRORS = "AllErrors";
    /** The meter name of {@link KplMetric#RETRIES_PER_RECORD} (a distribution summary). */
    public static final String RETRIES_PER_RECORD = "RetriesPerRecord";
    /** The meter name of {@link KplMetric#USER_RECORD_EXPIRED} (a counter). */
    public static final String USER_RECORD_EXPIRED = "UserRecordExpired";
    /** The meter name of {@link KplMetric#BUFFERING_TIME} (a timer). */
    public static final String BUFFERING_TIME = "BufferingTime";
    /** The meter name of {@link KplMetric#REQUEST_TIME} (a timer). */
    public static final String REQUEST_TIME = "RequestTime";
    /** The meter name of {@link KplMetric#USER_RECORDS_PER_KINESIS_RECORD} (a distribution summary). */
    public static final String USER_RECORDS_PER_KINESIS_RECORD = "UserRecordsPerKinesisRecord";
    /** The meter name of {@link KplMetric#KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST} (a distribution summary). */
    public static final String KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST = "KinesisRecordsPerPutRecordsRequest";
    /** The meter name of {@link KplMetric#USER_RECORDS_PER_PUT_RECORDS_REQUEST} (a distribution summary). */
    public static final String USER_RECORDS_PER_PUT_RECORDS_REQUEST = "UserRecordsPerPutRecordsRequest";

    private final MeterRegistry registry;
    private final boolean detailed;
    private final String granularity;
    private final Map<String, Object> meters = new ConcurrentHashMap<>();

    /**
     * Metrics that register their meters with {@code registry} as events first need them.
     *
     * @param registry    where the meters go
     * @param level       SUMMARY or DETAILED (NONE: use {@link ProducerMetrics#NOOP})
     * @param granularity GLOBAL, STREAM or SHARD
     */
    public MicrometerProducerMetrics(MeterRegistry registry, String level, String granularity) {
        this.registry = registry;
        this.detailed = "DETAILED".equals(level);
        this.granularity = granularity;
    }

    private Tags tags(String stream, String shard) {
        return switch (granularity) {
            case "GLOBAL" -> Tags.empty();
            case "STREAM" -> Tags.of("stream", stream);
            default -> shard == null ? Tags.of("stream", stream) : Tags.of("stream", stream, "shard", shard);
        };
    }

    @SuppressWarnings("unchecked")
    private <M> M meter(String name, Tags tags, Function<Tags, M> create) {
        String key = name + tags;
        Object m = meters.get(key);
        return (M) (m != null ? m : meters.computeIfAbsent(key, k -> create.apply(tags)));
    }

    private Counter counter(String name, Tags tags) {
        return meter(name, tags, t -> Counter.builder(name).tags(t).register(registry));
    }

    private Timer timer(String name, Tags tags) {
        return meter(name, tags, t -> Timer.builder(name).tags(t).register(registry));
    }

    private DistributionSummary summary(String name, Tags tags) {
        return meter(name, tags, t -> DistributionSummary.builder(name).tags(t).register(registry));
    }

    @Override
    public void userRecordReceived(String stream, long bytes) {
        if (detailed) {
            counter(USER_RECORDS_RECEIVED, tags(stream, null)).increment();
        }
    }

    @Override
    public void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos, int retries) {
        Tags t = tags(stream, shardId);
        counter(USER_RECORDS_PUT, t).increment();
        timer(BUFFERING_TIME, t).record(bufferingNanos, TimeUnit.NANOSECONDS);
        if (detailed) {
            counter(USER_RECORDS_DATA_PUT, t).increment(bytes);
            summary(RETRIES_PER_RECORD, tags(stream, null)).record(retries);
        }
    }

    /** As {@link #userRecordPut} for each, with the meters looked up once. */
    @Override
    public void userRecordsPut(String stream, String shardId, int count, long[] bytes, long[] bufferingNanos,
            int[] retries) {
        Tags t = tags(stream, shardId);
        counter(USER_RECORDS_PUT, t).increment(count);
        Timer buffering = timer(BUFFERING_TIME, t);
        for (int i = 0; i < count; i++) {
            buffering.record(bufferingNanos[i], TimeUnit.NANOSECONDS);
        }
        if (detailed) {
            long total = 0;
            DistributionSummary retried = summary(RETRIES_PER_RECORD, tags(stream, null));
            for (int i = 0; i < count; i++) {
                total += bytes[i];
                retried.record(retries[i]);
            }
            counter(USER_RECORDS_DATA_PUT, t).increment(total);
        }
    }

    @Override
    public void userRecordFailed(String stream, String code, int retries) {
        if ("Expired".equals(code)) {
            counter(USER_RECORD_EXPIRED, tags(stream, null)).increment();
        }
        if (detailed) {
            summary(RETRIES_PER_RECORD, tags(stream, null)).record(retries);
        }
    }

    @Override
    public void kinesisRecordPut(String stream, String shardId, long bytes, int userRecords) {
        Tags t = tags(stream, shardId);
        counter(KINESIS_RECORDS_PUT, t).increment();
        if (detailed) {
            counter(KINESIS_RECORDS_DATA_PUT, t).increment(bytes);
            summary(USER_RECORDS_PER_KINESIS_RECORD, tags(stream, null)).record(userRecords);
        }
    }

    @Override
    public void putRecordsRequest(String stream, long nanos, boolean failed, int kinesisRecords, int userRecords) {
        if (detailed) {
            Tags t = tags(stream, null);
            timer(REQUEST_TIME, t).record(nanos, TimeUnit.NANOSECONDS);
            summary(KINESIS_RECORDS_PER_PUT_RECORDS_REQUEST, t).record(kinesisRecords);
            summary(USER_RECORDS_PER_PUT_RECORDS_REQUEST, t).record(userRecords);
        }
    }

    @Override
    public void attemptFailed(String stream, String code, boolean retried) {
        Tags t = tags(stream, null);
        counter(ERRORS_BY_CODE, t.and("code", code)).increment();
        counter(ALL_ERRORS, t).increment();
    }
}
