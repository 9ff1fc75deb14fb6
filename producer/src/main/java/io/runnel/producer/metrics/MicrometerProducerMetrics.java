package io.runnel.producer.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link ProducerMetrics} on a Micrometer registry, with the KPL's metrics under Micrometer names
 * ({@code runnel.producer.*}). {@code MetricsLevel} SUMMARY records user records put and failed, Kinesis records
 * put and buffering time; DETAILED adds bytes, requests, retries and received records. {@code MetricsGranularity}
 * GLOBAL tags nothing, STREAM tags {@code stream}, SHARD tags {@code stream} and {@code shard}. Meters are created
 * once per tag set and cached. Thread-safe.
 */
public final class MicrometerProducerMetrics implements ProducerMetrics {
    /** Meter names. */
    public static final String USER_RECORDS_RECEIVED = "runnel.producer.user.records.received";
    public static final String USER_RECORDS_PUT = "runnel.producer.user.records.put";
    public static final String USER_RECORDS_DATA_PUT = "runnel.producer.user.records.data.put";
    public static final String USER_RECORDS_FAILED = "runnel.producer.user.records.failed";
    public static final String KINESIS_RECORDS_PUT = "runnel.producer.kinesis.records.put";
    public static final String KINESIS_RECORDS_DATA_PUT = "runnel.producer.kinesis.records.data.put";
    public static final String BUFFERING_TIME = "runnel.producer.buffering.time";
    public static final String REQUEST_TIME = "runnel.producer.putrecords.request.time";
    public static final String RETRIES = "runnel.producer.retries";

    private final MeterRegistry registry;
    private final boolean detailed;
    private final String granularity;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    /**
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

    private Counter counter(String name, Tags tags) {
        return meter(counters, name, tags, t -> Counter.builder(name).tags(t).register(registry));
    }

    private Timer timer(String name, Tags tags) {
        return meter(timers, name, tags, t -> Timer.builder(name).tags(t).publishPercentileHistogram(false)
                .register(registry));
    }

    private static <M> M meter(Map<String, M> cache, String name, Tags tags, Function<Tags, M> create) {
        String key = name + tags;
        M m = cache.get(key);
        return m != null ? m : cache.computeIfAbsent(key, k -> create.apply(tags));
    }

    @Override
    public void userRecordReceived(String stream, long bytes) {
        if (detailed) {
            counter(USER_RECORDS_RECEIVED, tags(stream, null)).increment();
        }
    }

    @Override
    public void userRecordPut(String stream, String shardId, long bytes, long bufferingNanos) {
        Tags t = tags(stream, shardId);
        counter(USER_RECORDS_PUT, t).increment();
        timer(BUFFERING_TIME, t).record(bufferingNanos, TimeUnit.NANOSECONDS);
        if (detailed) {
            counter(USER_RECORDS_DATA_PUT, t).increment(bytes);
        }
    }

    @Override
    public void userRecordFailed(String stream, String code) {
        counter(USER_RECORDS_FAILED, tags(stream, null).and("code", code)).increment();
    }

    @Override
    public void kinesisRecordPut(String stream, String shardId, long bytes) {
        Tags t = tags(stream, shardId);
        counter(KINESIS_RECORDS_PUT, t).increment();
        if (detailed) {
            counter(KINESIS_RECORDS_DATA_PUT, t).increment(bytes);
        }
    }

    @Override
    public void putRecordsRequest(String stream, long nanos, boolean failed) {
        if (detailed) {
            timer(REQUEST_TIME, tags(stream, null).and("outcome", failed ? "error" : "ok"))
                    .record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void retry(String stream, String code) {
        if (detailed) {
            counter(RETRIES, tags(stream, null).and("code", code)).increment();
        }
    }
}
