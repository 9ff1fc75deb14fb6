package io.runnel.console;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.fanout.ShardSubscription;
import io.runnel.backend.store.ConsumerState;
import io.runnel.backend.store.SequenceNumbers;
import io.runnel.backend.store.ShardLog;
import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.StreamStore.IteratorType;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

/**
 * The console's JSON endpoints, read from the backend's store (and never through its throughput limits: looking at a
 * stream must not throttle the applications reading it). Thread-safe: the store is.
 *
 * <ul>
 *   <li>{@code streams()}: every stream with its status, mode, shard counts, retention and consumers;</li>
 *   <li>{@code stream(name)}: one stream with its shards (hash-key ranges, lineage, sequence number ranges);</li>
 *   <li>{@code records(stream, shard, from, at, limit)}: a page of a shard's records, KPL aggregates opened into their
 *       user records, each marked when its hash key lies outside the shard (a KCL consumer drops such an aggregate).</li>
 * </ul>
 */
public final class ConsoleApi {
    /** Most records a page returns. */
    public static final int MAX_PAGE = 1_000;
    /** Data bytes of a user record shown in full; longer data is cut (its size is still given). */
    public static final int MAX_DATA_BYTES = 64 * 1024;
    private static final long PAGE_BYTES = 4L * 1024 * 1024;
    private static final double TWO_TO_64 = 18446744073709551616.0;

    private final StreamStore store;
    private final TimeSource time;
    private final WriteHistory history;
    private final java.util.function.Supplier<List<ShardSubscription>> subscriptions;
    private final JsonFactory json = new JsonFactory();

    /**
     * @param store the backend's store
     * @param time  the backend's clock
     */
    public ConsoleApi(StreamStore store, TimeSource time) {
        this(store, time, new WriteHistory(store), List::of);
    }

    /**
     * @param store         the backend's store
     * @param time          the backend's clock
     * @param subscriptions the enhanced fan-out subscriptions running now (for the consumers' lag)
     */
    public ConsoleApi(StreamStore store, TimeSource time,
            java.util.function.Supplier<List<ShardSubscription>> subscriptions) {
        this(store, time, new WriteHistory(store), subscriptions);
    }

    ConsoleApi(StreamStore store, TimeSource time, WriteHistory history,
            java.util.function.Supplier<List<ShardSubscription>> subscriptions) {
        this.store = store;
        this.time = time;
        this.history = history;
        this.subscriptions = subscriptions;
    }

    /** {@return the write rates it shows; {@link WriteHistory#sample} them once a second} */
    WriteHistory history() {
        return history;
    }

    /**
     * A page of records as JSON, and where the next one starts.
     *
     * @param json     the page
     * @param nextFrom the iterator type the next page starts with
     * @param nextAt   its sequence number or timestamp, or null
     * @param count    the Kinesis records on the page
     */
    public record Page(byte[] json, String nextFrom, String nextAt, int count) {
    }

    /** A request the API refuses: an HTTP status and a message naming what was wrong. */
    public static final class ApiException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** {@return the HTTP status to answer with} */
        public int status() {
            return status;
        }
    }

    /** {@return every stream, by name, as JSON} */
    public byte[] streams() {
        long now = time.millis();
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("streams");
            for (StreamState s : store.streams()) { // by name
                g.writeStartObject();
                summary(g, s, now);
                streamHistory(g, s.name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * One stream with its shards, as JSON.
     *
     * @param name the stream's name
     * @return the JSON
     * @throws ApiException 404 when there is no such stream
     */
    public byte[] stream(String name) {
        StreamState s = find(store, name);
        long now = time.millis();
        return write(g -> {
            g.writeStartObject();
            summary(g, s, now);
            streamHistory(g, s.name());
            g.writeArrayFieldStart("shards");
            for (ShardState shard : s.shards()) {
                g.writeStartObject();
                g.writeStringField("shardId", shard.shardId());
                g.writeBooleanField("open", shard.isOpen());
                g.writeStringField("parentShardId", shard.parentShardId());
                g.writeStringField("adjacentParentShardId", shard.adjacentParentShardId());
                HashKeyRange range = shard.hashKeyRange();
                g.writeStringField("startingHashKey", range.startInclusive().toDecimalString());
                g.writeStringField("endingHashKey", range.endInclusive().toDecimalString());
                // where the range lies in [0, 2^128), as fractions: enough to draw it to scale
                g.writeNumberField("from", fraction(range.startInclusive()));
                g.writeNumberField("to", fraction(range.endInclusive()));
                g.writeStringField("startingSequenceNumber", shard.startingSequenceNumber());
                g.writeStringField("endingSequenceNumber", shard.endingSequenceNumber());
                g.writeNumberField("createdMillis", shard.createdMillis());
                g.writeNumberField("recordsWritten", shard.written().records());
                g.writeNumberField("bytesWritten", shard.written().bytes());
                g.writeNumberField("throttledRecords", shard.written().throttledRecords());
                List<long[]> t = new java.util.ArrayList<>();
                history.shard(s.name(), shard.shardId(), (second, records, throttled) -> t.add(
                        new long[] {second, Math.round(records), Math.round(throttled)}));
                series(g, t, "records", "throttled");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * A page of a shard's records, as JSON, with a {@code next} position to read on from.
     *
     * @param streamName the stream
     * @param shardId    the shard
     * @param from       TRIM_HORIZON (default), LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER
     * @param at         the timestamp (epoch milliseconds or ISO-8601) or sequence number {@code from} needs
     * @param limit      most records, 1 to {@value #MAX_PAGE}
     * @return the page
     * @throws ApiException 404 for an unknown stream or shard, 400 for a bad position or limit
     */
    public Page records(String streamName, String shardId, String from, String at, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new ApiException(400, "limit: must be 1 to " + MAX_PAGE + ", was " + limit);
        }
        StreamState s = find(store, streamName);
        ShardState shard = s.shard(shardId);
        if (shard == null) {
            throw new ApiException(404, "stream " + streamName + " has no shard " + shardId);
        }
        IteratorType type = iteratorType(from);
        Long timestamp = type == IteratorType.AT_TIMESTAMP ? timestampMillis(at) : null;
        String sequenceNumber = type == IteratorType.AT_SEQUENCE_NUMBER || type == IteratorType.AFTER_SEQUENCE_NUMBER
                ? required(at, "at: the sequence number " + type + " starts at") : null;
        long position;
        try {
            position = store.startPosition(s, shard, type, sequenceNumber, timestamp, "the console");
        } catch (StoreException e) {
            throw new ApiException(400, e.getMessage());
        }
        ShardLog.Read read = shard.log().read(position, limit, PAGE_BYTES);
        HashKeyRange range = shard.hashKeyRange();
        String[] next = new String[2];
        byte[] page = write(g -> {
            g.writeStartObject();
            g.writeStringField("stream", s.name());
            g.writeStringField("shardId", shard.shardId());
            g.writeBooleanField("open", shard.isOpen());
            g.writeStringField("startingHashKey", range.startInclusive().toDecimalString());
            g.writeStringField("endingHashKey", range.endInclusive().toDecimalString());
            g.writeArrayFieldStart("records");
            String last = null;
            for (var r : read.records()) {
                last = SequenceNumbers.format(r.counter(), shard.index());
                g.writeStartObject();
                g.writeStringField("sequenceNumber", last);
                g.writeNumberField("arrivalMillis", r.arrivalMillis());
                g.writeStringField("partitionKey", r.partitionKey());
                g.writeNumberField("size", r.data().length);
                List<DeaggregatedRecord> users = Deaggregator.deaggregate(r.partitionKey(), null, r.data());
                boolean aggregated = users.size() > 1 || users.get(0).aggregated();
                g.writeBooleanField("aggregated", aggregated);
                if (aggregated) {
                    g.writeArrayFieldStart("userRecords");
                    for (DeaggregatedRecord u : users) {
                        g.writeStartObject();
                        g.writeNumberField("subSequenceNumber", u.subSequenceNumber());
                        g.writeStringField("partitionKey", u.partitionKey());
                        g.writeStringField("explicitHashKey", u.explicitHashKey());
                        HashKey key = hashKeyOf(u);
                        g.writeStringField("hashKey", key == null ? null : key.toDecimalString());
                        // a user record outside the shard's range makes the KCL drop the whole aggregate
                        g.writeBooleanField("outsideShard", key != null && !range.contains(key));
                        data(g, u.data());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                } else {
                    data(g, r.data());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("millisBehindLatest", read.records().isEmpty() || read.nextPosition()
                    >= read.endPosition() ? 0 : Math.max(0, time.millis()
                            - read.records().get(read.records().size() - 1).arrivalMillis()));
            g.writeBooleanField("atEnd", read.nextPosition() >= read.endPosition());
            if (last != null) {
                next[0] = IteratorType.AFTER_SEQUENCE_NUMBER.name();
                next[1] = last;
            } else if (type == IteratorType.LATEST) {
                // nothing there yet: read on from the end as it was, so that what arrives now is not skipped
                long end = shard.log().lastCounter();
                next[0] = end < 0 ? IteratorType.TRIM_HORIZON.name() : IteratorType.AFTER_SEQUENCE_NUMBER.name();
                next[1] = end < 0 ? null : SequenceNumbers.format(end, shard.index());
            } else {
                next[0] = type.name();
                next[1] = type == IteratorType.TRIM_HORIZON ? null : at;
            }
            g.writeObjectFieldStart("next");
            g.writeStringField("from", next[0]);
            g.writeStringField("at", next[1]);
            g.writeEndObject();
            g.writeEndObject();
        });
        return new Page(page, next[0], next[1], read.records().size());
    }

    /** The stream's records and bytes a second over the last minutes, as {@code history}. */
    private void streamHistory(JsonGenerator g, String stream) throws IOException {
        List<long[]> t = new java.util.ArrayList<>();
        history.stream(stream, (second, records, bytes) -> t.add(
                new long[] {second, Math.round(records), Math.round(bytes)}));
        series(g, t, "records", "bytes");
    }

    /** {@code "history": {"t": [epoch seconds], first: [...], second: [...]}}. */
    private static void series(JsonGenerator g, List<long[]> points, String first, String second)
            throws IOException {
        g.writeObjectFieldStart("history");
        for (int field = 0; field < 3; field++) {
            g.writeArrayFieldStart(field == 0 ? "t" : field == 1 ? first : second);
            for (long[] p : points) {
                g.writeNumber(p[field]);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private void summary(JsonGenerator g, StreamState s, long now) throws IOException {
        g.writeStringField("name", s.name());
        g.writeStringField("arn", s.arn());
        g.writeStringField("status", s.status(now).name());
        g.writeStringField("mode", s.mode().name());
        g.writeStringField("recordDistributionStrategy", s.recordDistributionStrategy());
        int open = s.openShards().size();
        g.writeNumberField("openShards", open);
        g.writeNumberField("closedShards", s.shards().size() - open);
        g.writeNumberField("retentionHours", s.retentionHours());
        g.writeNumberField("maxRecordSizeKiB", s.maxRecordSizeKiB());
        g.writeNumberField("createdMillis", s.creationMillis());
        long records = 0;
        long bytes = 0;
        for (ShardState shard : s.shards()) {
            records += shard.written().records();
            bytes += shard.written().bytes();
        }
        g.writeNumberField("recordsWritten", records);
        g.writeNumberField("bytesWritten", bytes);
        g.writeArrayFieldStart("consumers");
        List<ShardSubscription> running = s.consumers().isEmpty() ? List.of() : subscriptions.get();
        for (ConsumerState c : s.consumers()) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("status", c.status(now));
            // its SubscribeToShard calls running now, and how far behind each shard's newest record they read
            g.writeArrayFieldStart("subscriptions");
            for (ShardSubscription sub : running) {
                if (sub.consumerArn().equals(c.arn())) {
                    g.writeStartObject();
                    g.writeStringField("shardId", sub.shardId());
                    g.writeNumberField("millisBehindLatest", sub.millisBehindLatest());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Data as base64 (the page decodes it as text, hex or JSON), cut at {@value #MAX_DATA_BYTES} bytes. */
    private static void data(JsonGenerator g, byte[] data) throws IOException {
        int shown = Math.min(data.length, MAX_DATA_BYTES);
        g.writeNumberField("dataSize", data.length);
        g.writeBooleanField("dataCut", shown < data.length);
        g.writeStringField("data", Base64.getEncoder().encodeToString(shown == data.length ? data
                : java.util.Arrays.copyOf(data, shown)));
    }

    private static HashKey hashKeyOf(DeaggregatedRecord u) {
        try {
            if (u.explicitHashKey() != null) {
                return HashKey.parseDecimal(u.explicitHashKey());
            }
            return u.partitionKey() == null ? null : HashKey.md5Of(u.partitionKey());
        } catch (IllegalArgumentException e) {
            return null; // an explicit hash key that is no number: the page shows it as it is
        }
    }

    private static double fraction(HashKey key) {
        return (unsigned(key.hi()) + unsigned(key.lo()) / TWO_TO_64) / TWO_TO_64;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }

    /** The stream named {@code name}; a 404 with the store's message when there is none. */
    static StreamState find(StreamStore store, String name) {
        try {
            return store.stream(name, null);
        } catch (StoreException e) {
            throw new ApiException(StoreException.RESOURCE_NOT_FOUND.equals(e.errorCode()) ? 404 : 400,
                    e.getMessage());
        }
    }

    private static IteratorType iteratorType(String from) {
        if (from == null || from.isEmpty()) {
            return IteratorType.TRIM_HORIZON;
        }
        for (IteratorType t : IteratorType.values()) {
            if (t.name().equals(from)) {
                return t;
            }
        }
        throw new ApiException(400, "from: must be TRIM_HORIZON, LATEST, AT_TIMESTAMP, AT_SEQUENCE_NUMBER or "
                + "AFTER_SEQUENCE_NUMBER, was " + from);
    }

    private static long timestampMillis(String at) {
        String value = required(at, "at: the timestamp AT_TIMESTAMP starts at (epoch milliseconds or ISO-8601)");
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException notMillis) {
            try {
                return java.time.Instant.parse(value).toEpochMilli();
            } catch (java.time.format.DateTimeParseException e) {
                throw new ApiException(400, "at: not a timestamp (epoch milliseconds or ISO-8601 like "
                        + "2026-12-03T10:15:30Z): " + value);
            }
        }
    }

    private static String required(String value, String what) {
        if (value == null || value.isEmpty()) {
            throw new ApiException(400, what + " is missing");
        }
        return value;
    }

    /** What an action did, as JSON: {@code {"message": ...}}. */
    byte[] message(String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeEndObject();
        });
    }

    /** An error as JSON: {@code {"error": status, "message": ...}}. */
    byte[] error(int status, String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("error", status);
            g.writeStringField("message", message);
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] write(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = json.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
