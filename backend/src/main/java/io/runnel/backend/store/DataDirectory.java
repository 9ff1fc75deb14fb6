package io.runnel.backend.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runnel.wire.HashKeyRange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a durable backend keeps its streams: {@code <root>/streams/<hex of name>-<creationMillis>/} holds
 * {@code stream.json} (metadata, replaced atomically: write, fsync, rename) and one {@code shard-<index>/} segment
 * directory per shard.
 *
 * <p>Thread-safe for different streams; the store serialises changes to one stream.
 */
public final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final String META = "stream.json";

    /**
     * Data each shard keeps in memory by default; older records are read from their segment files. 2 MiB, as for an
     * in-memory backend's spill ({@link SpillDirectory#DEFAULT_HOT_BYTES_PER_SHARD}): 64 busy shards hold 128 MiB,
     * which the launcher's 384 MiB heap takes with room to spare (8 MiB, the earlier default, made 512 MiB).
     */
    public static final long DEFAULT_HOT_BYTES_PER_SHARD = SpillDirectory.DEFAULT_HOT_BYTES_PER_SHARD;

    private static final String ACCOUNT = "account.json";
    private static final String CHANNELS = "channels.json";

    private final Path root;
    private final Path streamsDir;
    private final long segmentBytes;
    private final long hotBytesPerShard;

    /**
     * A data directory whose shards keep {@link #DEFAULT_HOT_BYTES_PER_SHARD} in memory.
     *
     * @param root         the data directory (created when missing)
     * @param segmentBytes size at which shard segment files roll
     * @throws UncheckedIOException when the directory cannot be made
     */
    public DataDirectory(Path root, long segmentBytes) {
        this(root, segmentBytes, DEFAULT_HOT_BYTES_PER_SHARD);
    }

    /**
     * A data directory.
     *
     * @param root             the data directory (created when missing)
     * @param segmentBytes     size at which shard segment files roll
     * @param hotBytesPerShard data each shard keeps in memory; older records are read back from disk
     * @throws UncheckedIOException when the directory cannot be made
     */
    public DataDirectory(Path root, long segmentBytes, long hotBytesPerShard) {
        this.root = root;
        this.streamsDir = root.resolve("streams");
        this.segmentBytes = segmentBytes;
        this.hotBytesPerShard = hotBytesPerShard;
        try {
            Files.createDirectories(streamsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + streamsDir, e);
        }
    }

    private Path dirOf(String name, long creationMillis) {
        StringBuilder hex = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return streamsDir.resolve(hex + "-" + creationMillis);
    }

    /** Opens (creating) the durable log of a shard with what it holds. */
    ShardLog openShard(StreamState stream, int shardIndex) {
        return ShardLog.restore(shardIndex, SegmentLog.open(dirOf(stream.name(), stream.creationMillis())
                .resolve("shard-" + shardIndex), segmentBytes, hotBytesPerShard), hotBytesPerShard);
    }

    /** Writes the stream's metadata atomically. */
    void save(StreamState stream) {
        Path dir = dirOf(stream.name(), stream.creationMillis());
        try {
            Files.createDirectories(dir);
            replace(dir.resolve(META), g -> write(stream, g));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save stream " + stream.name() + " to " + dir, e);
        }
    }

    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    /** Replaces {@code file} atomically: write a temporary file, fsync, rename. */
    private static void replace(Path file, JsonWriter writer) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp);
                JsonGenerator g = JSON.createGenerator(out)) {
            writer.write(g);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The account's minimum throughput billing commitment as saved: epoch millis of its start, earliest allowed end
     * and end, each -1 when absent.
     */
    record SavedCommitment(long startedAtMillis, long earliestAllowedEndMillis, long endedAtMillis) {
        static final SavedCommitment NONE = new SavedCommitment(-1, -1, -1);
    }

    /** Writes the account settings ({@code <root>/account.json}) atomically. */
    void saveAccount(SavedCommitment commitment) {
        try {
            replace(root.resolve(ACCOUNT), g -> {
                g.writeStartObject();
                g.writeNumberField("version", 1);
                g.writeObjectFieldStart("minimumThroughputBillingCommitment");
                g.writeNumberField("startedAtMillis", commitment.startedAtMillis());
                g.writeNumberField("earliestAllowedEndMillis", commitment.earliestAllowedEndMillis());
                g.writeNumberField("endedAtMillis", commitment.endedAtMillis());
                g.writeEndObject();
                g.writeEndObject();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save account settings to " + root, e);
        }
    }

    /** The saved account settings; {@link SavedCommitment#NONE} when there are none. */
    SavedCommitment loadAccount() {
        Path file = root.resolve(ACCOUNT);
        if (!Files.exists(file)) {
            return SavedCommitment.NONE;
        }
        long started = -1;
        long earliest = -1;
        long ended = -1;
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"minimumThroughputBillingCommitment".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    switch (k) {
                        case "startedAtMillis" -> started = p.getLongValue();
                        case "earliestAllowedEndMillis" -> earliest = p.getLongValue();
                        case "endedAtMillis" -> ended = p.getLongValue();
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return new SavedCommitment(started, earliest, ended);
    }

    /** Writes every channel ({@code <root>/channels.json}) atomically; descriptions as the JSON protocol has them. */
    void saveChannels(List<ChannelStore.Channel> channels) {
        io.runnel.wire.codec.KinesisCodec codec = io.runnel.wire.codec.KinesisCodec.json();
        try {
            replace(root.resolve(CHANNELS), g -> {
                g.writeStartObject();
                g.writeNumberField("version", 1);
                g.writeArrayFieldStart("channels");
                for (ChannelStore.Channel c : channels) {
                    g.writeStartObject();
                    g.writeNumberField("creationMillis", c.creationMillis);
                    g.writeNumberField("activeAtMillis", c.activeAtMillis);
                    if (c.busyStatus != null) {
                        g.writeStringField("busyStatus", c.busyStatus);
                        g.writeNumberField("busyUntilMillis", c.busyUntilMillis);
                    }
                    g.writeObjectFieldStart("tags");
                    for (var e : c.tags.entrySet()) {
                        g.writeStringField(e.getKey(), e.getValue());
                    }
                    g.writeEndObject();
                    g.writeStringField("description", new String(codec.encode(c.config), StandardCharsets.UTF_8));
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save channels to " + root, e);
        }
    }

    /** The saved channels; none when there are none. */
    List<ChannelStore.Channel> loadChannels() {
        Path file = root.resolve(CHANNELS);
        List<ChannelStore.Channel> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        io.runnel.wire.codec.KinesisCodec codec = io.runnel.wire.codec.KinesisCodec.json();
        try (JsonParser p = JSON.createParser(Files.readAllBytes(file))) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"channels".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    long creation = 0;
                    long activeAt = 0;
                    String busy = null;
                    long busyUntil = 0;
                    Map<String, String> tags = new TreeMap<>();
                    io.runnel.wire.model.ChannelDescription description = null;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        switch (k) {
                            case "creationMillis" -> creation = p.getLongValue();
                            case "activeAtMillis" -> activeAt = p.getLongValue();
                            case "busyStatus" -> busy = p.getText();
                            case "busyUntilMillis" -> busyUntil = p.getLongValue();
                            case "tags" -> {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String key = p.currentName();
                                    p.nextToken();
                                    tags.put(key, p.getText());
                                }
                            }
                            case "description" -> {
                                byte[] json = p.getText().getBytes(StandardCharsets.UTF_8);
                                description = codec.decode(io.runnel.wire.model.ChannelDescription.class, json, 0,
                                        json.length);
                            }
                            default -> p.skipChildren();
                        }
                    }
                    if (description != null) {
                        out.add(new ChannelStore.Channel(description, tags, creation, activeAt, busy, busyUntil));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return out;
    }

    /** Removes a deleted stream's files. */
    void delete(StreamState stream) {
        for (ShardState shard : stream.shards()) {
            shard.log().closeFiles();
        }
        SpillDirectory.deleteTree(dirOf(stream.name(), stream.creationMillis()));
    }

    /** Removes the files of a shard the stream no longer holds. */
    void deleteShard(StreamState stream, ShardState shard) {
        shard.log().closeFiles();
        SpillDirectory.deleteTree(dirOf(stream.name(), stream.creationMillis()).resolve("shard-" + shard.index()));
    }

    private static void write(StreamState s, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("version", 1);
        g.writeStringField("name", s.name());
        g.writeStringField("arn", s.arn());
        g.writeStringField("streamId", s.streamId());
        g.writeNumberField("creationMillis", s.creationMillis());
        g.writeStringField("mode", s.mode().name());
        g.writeNumberField("retentionHours", s.retentionHours());
        g.writeNumberField("activeAtMillis", s.activeAtMillis());
        g.writeStringField("busyStatus", s.busyStatus().name());
        g.writeNumberField("deletedAtMillis", s.deletedAtMillis());
        g.writeStringField("encryptionType", s.encryptionType());
        g.writeNumberField("maxRecordSizeKiB", s.maxRecordSizeKiB());
        g.writeStringField("recordDistributionStrategy", s.recordDistributionStrategy());
        if (s.keyId() != null) {
            g.writeStringField("keyId", s.keyId());
        }
        g.writeNumberField("nextShardIndex", s.nextShardIndex());
        long[] warm = s.warmThroughputState();
        g.writeObjectFieldStart("warmThroughput");
        g.writeNumberField("targetMiBps", warm[0]);
        g.writeNumberField("previousMiBps", warm[1]);
        g.writeNumberField("readyAtMillis", warm[2]);
        g.writeEndObject();
        g.writeObjectFieldStart("tags");
        for (var e : s.tags().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("shardLevelMetrics");
        for (String m : s.shardLevelMetrics()) {
            g.writeString(m);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("consumers");
        for (ConsumerState c : s.consumers()) {
            g.writeStartObject();
            g.writeStringField("name", c.name());
            g.writeStringField("arn", c.arn());
            g.writeNumberField("createdMillis", c.createdMillis());
            g.writeNumberField("activeAtMillis", c.activeAtMillis());
            g.writeNumberField("deletedAtMillis", c.deletedAtMillis());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeObjectFieldStart("policies");
        for (var e : s.policies().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeObjectFieldStart("consumerTags");
        for (var c : s.consumerTags().entrySet()) {
            g.writeObjectFieldStart(c.getKey());
            for (var e : c.getValue().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeArrayFieldStart("shards");
        for (ShardState sh : s.shards()) {
            g.writeStartObject();
            g.writeNumberField("index", sh.index());
            g.writeStringField("start", sh.hashKeyRange().startInclusive().toDecimalString());
            g.writeStringField("end", sh.hashKeyRange().endInclusive().toDecimalString());
            if (sh.parentShardId() != null) {
                g.writeStringField("parent", sh.parentShardId());
            }
            if (sh.adjacentParentShardId() != null) {
                g.writeStringField("adjacentParent", sh.adjacentParentShardId());
            }
            g.writeNumberField("startingCounter", sh.startingCounter());
            g.writeNumberField("createdMillis", sh.createdMillis());
            g.writeNumberField("endingCounter", sh.log().endingCounter());
            g.writeNumberField("closedMillis", sh.log().closedMillis());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** What one stream's metadata file says; the store rebuilds the stream from it. */
    record SavedStream(Path dir, String name, String arn, long creationMillis, StreamState.Mode mode,
            int retentionHours, long activeAtMillis, StreamState.Status busyStatus, long deletedAtMillis,
            String encryptionType, String keyId, int nextShardIndex, List<String[]> tags, List<String> metrics,
            List<ConsumerState> consumers, List<SavedShard> shards, int maxRecordSizeKiB,
            String recordDistributionStrategy, Map<String, String> policies,
            Map<String, Map<String, String>> consumerTags, String streamId, long[] warmThroughput) {
    }

    record SavedShard(int index, HashKeyRange range, String parent, String adjacentParent, long startingCounter,
            long createdMillis, long endingCounter, long closedMillis) {
    }

    /** Reads every stream's metadata. A stream directory without a readable {@code stream.json} is skipped. */
    List<SavedStream> load() {
        List<SavedStream> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(streamsDir)) {
            for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path meta = dir.resolve(META);
                if (!Files.exists(meta)) {
                    LOG.warn("skipping {}: no {}", dir, META);
                    continue;
                }
                try (JsonParser p = JSON.createParser(Files.readAllBytes(meta))) {
                    out.add(read(dir, p));
                } catch (IOException | RuntimeException e) {
                    LOG.error("skipping {}: unreadable {}: {}", dir, META, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + streamsDir, e);
        }
        return out;
    }

    private static SavedStream read(Path dir, JsonParser p) throws IOException {
        String name = null;
        String arn = null;
        String encryptionType = "NONE";
        String keyId = null;
        int maxRecordSizeKiB = 1024;
        String distribution = "USER_PARTITION_KEY";
        long creation = 0;
        long activeAt = 0;
        long deletedAt = -1;
        int retention = 24;
        int nextShardIndex = 0;
        StreamState.Mode mode = StreamState.Mode.PROVISIONED;
        StreamState.Status busy = StreamState.Status.CREATING;
        List<String[]> tags = new ArrayList<>();
        List<String> metrics = new ArrayList<>();
        List<SavedShard> shards = new ArrayList<>();
        List<ConsumerState> consumers = new ArrayList<>();
        Map<String, String> policies = new TreeMap<>();
        Map<String, Map<String, String>> consumerTags = new TreeMap<>();
        String streamId = null;
        long[] warm = {-1, 0, 0};
        expect(p.nextToken(), JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = p.getText();
                case "arn" -> arn = p.getText();
                case "streamId" -> streamId = p.getText();
                case "warmThroughput" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        switch (k) {
                            case "targetMiBps" -> warm[0] = p.getLongValue();
                            case "previousMiBps" -> warm[1] = p.getLongValue();
                            case "readyAtMillis" -> warm[2] = p.getLongValue();
                            default -> p.skipChildren();
                        }
                    }
                }
                case "creationMillis" -> creation = p.getLongValue();
                case "mode" -> mode = StreamState.Mode.valueOf(p.getText());
                case "retentionHours" -> retention = p.getIntValue();
                case "activeAtMillis" -> activeAt = p.getLongValue();
                case "busyStatus" -> busy = StreamState.Status.valueOf(p.getText());
                case "deletedAtMillis" -> deletedAt = p.getLongValue();
                case "encryptionType" -> encryptionType = p.getText();
                case "keyId" -> keyId = p.getText();
                case "maxRecordSizeKiB" -> maxRecordSizeKiB = p.getIntValue();
                case "recordDistributionStrategy" -> distribution = p.getText();
                case "nextShardIndex" -> nextShardIndex = p.getIntValue();
                case "tags" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String k = p.currentName();
                        p.nextToken();
                        tags.add(new String[] {k, p.getText()});
                    }
                }
                case "shardLevelMetrics" -> {
                    while (p.nextToken() == JsonToken.VALUE_STRING) {
                        metrics.add(p.getText());
                    }
                }
                case "shards" -> {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        shards.add(readShard(p));
                    }
                }
                case "consumers" -> {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        consumers.add(readConsumer(p));
                    }
                }
                case "policies" -> readStrings(p, policies);
                case "consumerTags" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String consumerArn = p.currentName();
                        expect(p.nextToken(), JsonToken.START_OBJECT);
                        readStrings(p, consumerTags.computeIfAbsent(consumerArn, a -> new TreeMap<>()));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (name == null || arn == null) {
            throw new IOException("stream.json lacks name or arn");
        }
        return new SavedStream(dir, name, arn, creation, mode, retention, activeAt, busy, deletedAt, encryptionType,
                keyId, nextShardIndex, tags, metrics, consumers, shards, maxRecordSizeKiB, distribution, policies,
                consumerTags, streamId, warm);
    }

    /** Reads the string fields of the object whose START_OBJECT was just read. */
    private static void readStrings(JsonParser p, Map<String, String> into) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            p.nextToken();
            into.put(k, p.getText());
        }
    }

    private static ConsumerState readConsumer(JsonParser p) throws IOException {
        String name = null;
        String arn = null;
        long created = 0;
        long activeAt = 0;
        long deletedAt = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "name" -> name = p.getText();
                case "arn" -> arn = p.getText();
                case "createdMillis" -> created = p.getLongValue();
                case "activeAtMillis" -> activeAt = p.getLongValue();
                case "deletedAtMillis" -> deletedAt = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        if (name == null || arn == null) {
            throw new IOException("consumer entry lacks name or arn");
        }
        return new ConsumerState(name, arn, created, activeAt, deletedAt);
    }

    private static SavedShard readShard(JsonParser p) throws IOException {
        int index = -1;
        String start = null;
        String end = null;
        String parent = null;
        String adjacent = null;
        long startingCounter = 0;
        long created = 0;
        long ending = -1;
        long closed = Long.MAX_VALUE;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "index" -> index = p.getIntValue();
                case "start" -> start = p.getText();
                case "end" -> end = p.getText();
                case "parent" -> parent = p.getText();
                case "adjacentParent" -> adjacent = p.getText();
                case "startingCounter" -> startingCounter = p.getLongValue();
                case "createdMillis" -> created = p.getLongValue();
                case "endingCounter" -> ending = p.getLongValue();
                case "closedMillis" -> closed = p.getLongValue();
                default -> p.skipChildren();
            }
        }
        if (index < 0 || start == null || end == null) {
            throw new IOException("shard entry lacks index or hash key range");
        }
        return new SavedShard(index, HashKeyRange.parse(start, end), parent, adjacent, startingCounter, created,
                ending, closed);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    /** Opens the durable log of a saved shard with what it holds. */
    ShardLog openShard(SavedStream stream, int shardIndex) {
        return ShardLog.restore(shardIndex, SegmentLog.open(stream.dir().resolve("shard-" + shardIndex), segmentBytes,
                hotBytesPerShard), hotBytesPerShard);
    }
}
