package io.runnel.backend.store;

import io.runnel.backend.limits.ShardThrottle;
import io.runnel.wire.HashKey;
import io.runnel.wire.HashKeyRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * Every stream of the backend and the Kinesis semantics of changing them: create, delete, put, read, reshard,
 * retention. In memory; transport-agnostic (refusals are {@link StoreException}s carrying the Kinesis error code).
 *
 * <p>Thread-safe. Puts to different shards run in parallel; metadata changes of one stream are serialised by its
 * lock.
 */
public final class StreamStore implements AutoCloseable {
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final int MIN_RETENTION_HOURS = 24;
    private static final int MAX_RETENTION_HOURS = 8760;

    private final StoreSettings settings;
    private final TimeSource time;
    private final IteratorTokens iterators;
    private final ConcurrentMap<String, StreamState> streams = new ConcurrentHashMap<>();
    private final Object accountLock = new Object();
    private final DataDirectory data; // null: memory only
    private final SpillDirectory spill; // in memory: where older records go (null: all on the heap)
    private final java.security.SecureRandom streamIds = new java.security.SecureRandom();
    private DataDirectory.SavedCommitment commitment = DataDirectory.SavedCommitment.NONE; // guarded by accountLock
    private final ChannelStore channels;

    /**
     * An in-memory store, every record on the heap.
     *
     * @param settings  region, account, limits and transition time
     * @param time      the clock for timestamps, retention, iterators and limits
     * @param iterators signs and checks shard iterators
     * @throws NullPointerException when an argument is null
     */
    public StreamStore(StoreSettings settings, TimeSource time, IteratorTokens iterators) {
        this(settings, time, iterators, null);
    }

    /**
     * A store that keeps streams in {@code data} (null: in memory only) and first restores what it holds: streams,
     * shards and every record whose segment frame is intact.
     *
     * @param settings  region, account, limits and transition time
     * @param time      the clock for timestamps, retention, iterators and limits
     * @param iterators signs and checks shard iterators (the same key keeps iterators valid across a restart)
     * @param data      the data directory, or null
     * @throws NullPointerException         when {@code settings}, {@code time} or {@code iterators} is null
     * @throws java.io.UncheckedIOException when the data directory cannot be read
     */
    public StreamStore(StoreSettings settings, TimeSource time, IteratorTokens iterators, DataDirectory data) {
        this(settings, time, iterators, data, null);
    }

    /**
     * An in-memory store whose shards keep only their newest data on the heap and the rest in {@code spill}'s
     * files (null: everything on the heap). Nothing is restored from {@code spill}; {@link #close()} closes it,
     * which removes its files.
     *
     * @param settings  region, account, limits and transition time
     * @param time      the clock for timestamps, retention, iterators and limits
     * @param iterators signs and checks shard iterators
     * @param spill     where older records go, or null
     * @return the store
     * @throws NullPointerException when {@code settings}, {@code time} or {@code iterators} is null
     */
    public static StreamStore spilling(StoreSettings settings, TimeSource time, IteratorTokens iterators,
            SpillDirectory spill) {
        return new StreamStore(settings, time, iterators, null, spill);
    }

    private StreamStore(StoreSettings settings, TimeSource time, IteratorTokens iterators, DataDirectory data,
            SpillDirectory spill) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
        this.iterators = Objects.requireNonNull(iterators, "iterators");
        this.data = data;
        this.spill = spill;
        if (data != null) {
            commitment = data.loadAccount();
            for (DataDirectory.SavedStream saved : data.load()) {
                StreamState stream = restore(saved);
                if (!gone(stream, time.millis())) {
                    streams.put(stream.name(), stream);
                }
            }
        }
        this.channels = new ChannelStore(settings, time, this, data);
    }

    /** {@return the account's channels (CreateChannel and the other channel calls)} */
    public ChannelStore channels() {
        return channels;
    }

    private StreamState restore(DataDirectory.SavedStream saved) {
        String streamId = saved.streamId() != null ? saved.streamId()
                : derivedStreamId(saved.arn(), saved.creationMillis());
        StreamState stream = new StreamState(saved.name(), saved.arn(), streamId, saved.creationMillis(),
                saved.mode(), saved.activeAtMillis());
        long[] warm = saved.warmThroughput();
        stream.restoreWarmThroughput((int) warm[0], (int) warm[1], warm[2]);
        stream.busyUntil(saved.activeAtMillis(), saved.busyStatus());
        stream.retentionHours(saved.retentionHours());
        stream.encryption(saved.encryptionType(), saved.keyId());
        stream.maxRecordSizeKiB(saved.maxRecordSizeKiB());
        stream.recordDistributionStrategy(saved.recordDistributionStrategy());
        stream.nextShardIndex(saved.nextShardIndex());
        stream.restoreDeletedAt(saved.deletedAtMillis());
        for (String[] tag : saved.tags()) {
            stream.mutableTags().put(tag[0], tag[1]);
        }
        stream.mutableShardLevelMetrics().addAll(saved.metrics());
        stream.mutableConsumers().addAll(saved.consumers());
        stream.mutablePolicies().putAll(saved.policies());
        saved.consumerTags().forEach((arn, tags) -> stream.mutableConsumerTags(arn, true).putAll(tags));
        long counter = SequenceNumbers.initialCounter(saved.creationMillis());
        for (DataDirectory.SavedShard sh : saved.shards()) {
            ShardLog log = data.openShard(saved, sh.index());
            if (sh.endingCounter() >= 0) {
                log.close(sh.endingCounter(), sh.closedMillis());
            }
            counter = Math.max(counter, Math.max(sh.startingCounter(), Math.max(sh.endingCounter(),
                    log.lastCounter())));
            stream.addShard(new ShardState(ShardState.idOf(sh.index()), sh.index(), sh.range(), sh.parent(),
                    sh.adjacentParent(), sh.startingCounter(), sh.createdMillis(), log, newThrottle(stream),
                    new WriteMeter()));
        }
        stream.counter().set(counter);
        stream.reroute();
        return stream;
    }

    /** A shard's limits; its write burst lets one record of the stream's maximum size through an idle shard. */
    private ShardThrottle newThrottle(StreamState stream) {
        return new ShardThrottle(Math.max(ShardThrottle.WRITE_BYTES_PER_SECOND, stream.maxRecordSizeKiB() * 1024L));
    }

    private void persist(StreamState stream) {
        if (data != null) {
            data.save(stream);
        }
    }

    /** {@return whether records are kept in a data directory (and survive a restart)} */
    public boolean isDurable() {
        return data != null;
    }

    /** Closes every segment file; an in-memory store's spill files are removed. */
    @Override
    public void close() {
        for (StreamState s : streams.values()) {
            for (ShardState shard : s.shards()) {
                shard.log().closeFiles();
            }
        }
        if (spill != null) {
            spill.close();
        }
    }

    /** {@return the store's settings} */
    public StoreSettings settings() {
        return settings;
    }

    /**
     * The ARN of a stream, whether or not it exists.
     *
     * @param streamName the stream's name
     * @return its ARN in the store's region and account
     */
    public String arnOf(String streamName) {
        return "arn:aws:kinesis:" + settings.region() + ":" + settings.accountId() + ":stream/" + streamName;
    }

    private String notFoundMessage(String name) {
        return "Stream " + name + " under account " + settings.accountId() + " not found.";
    }

    // ---------------------------------------------------------------- streams

    /**
     * Creates a stream.
     *
     * @param name       the stream's name
     * @param shardCount shards of a provisioned stream; null for an on-demand stream (which gets
     *                   {@link StoreSettings#onDemandShards()})
     * @param mode       the capacity mode
     * @return the new stream, CREATING for the transition time
     * @throws StoreException ValidationException or InvalidArgumentException for a bad name or count,
     *                        ResourceInUseException when the name is taken, LimitExceededException past the
     *                        account's shard or on-demand stream limit
     */
    public StreamState createStream(String name, Integer shardCount, StreamState.Mode mode) {
        return createStream(name, shardCount, mode, null, null);
    }

    /**
     * Creates a stream, optionally with its maximum record size (KiB, 1024 to 10240; null: the default) and record
     * distribution strategy (null: USER_PARTITION_KEY; AUTO only for on-demand streams).
     *
     * @param name             the stream's name
     * @param shardCount       shards of a provisioned stream; null for an on-demand stream
     * @param mode             the capacity mode
     * @param maxRecordSizeKiB the largest record, or null
     * @param distribution     the record distribution strategy, or null
     * @return the new stream, CREATING for the transition time
     * @throws StoreException as {@link #createStream(String, Integer, StreamState.Mode)}, and ValidationException or
     *                        InvalidArgumentException for a bad size or strategy
     */
    public StreamState createStream(String name, Integer shardCount, StreamState.Mode mode, Integer maxRecordSizeKiB,
            String distribution) {
        return createStream(name, shardCount, mode, maxRecordSizeKiB, distribution, null);
    }

    /**
     * Creates a stream as {@link #createStream(String, Integer, StreamState.Mode, Integer, String)} does, optionally
     * with a warm throughput (MiB/s; null: none), which has UpdateStreamWarmThroughput's rules and is reached when the
     * stream turns ACTIVE.
     *
     * @param name               the stream's name
     * @param shardCount         shards of a provisioned stream; null for an on-demand stream
     * @param mode               the capacity mode
     * @param maxRecordSizeKiB   the largest record, or null
     * @param distribution       the record distribution strategy, or null
     * @param warmThroughputMiBps the warm throughput, or null
     * @return the new stream, CREATING for the transition time
     * @throws StoreException as {@link #createStream(String, Integer, StreamState.Mode, Integer, String)}, and when
     *                        the warm throughput breaks UpdateStreamWarmThroughput's rules
     */
    public StreamState createStream(String name, Integer shardCount, StreamState.Mode mode, Integer maxRecordSizeKiB,
            String distribution, Integer warmThroughputMiBps) {
        checkName(name);
        Objects.requireNonNull(mode, "mode");
        if (maxRecordSizeKiB != null) {
            checkMaxRecordSize(maxRecordSizeKiB);
        }
        if (distribution != null) {
            checkDistribution(distribution, mode);
        }
        if (warmThroughputMiBps != null) {
            checkWarmThroughput(name, mode, warmThroughputMiBps);
        }
        int shards;
        if (mode == StreamState.Mode.ON_DEMAND) {
            if (shardCount != null) {
                throw StoreException.invalid("ShardCount must not be given for an ON_DEMAND stream.");
            }
            shards = settings.onDemandShards();
        } else {
            if (shardCount == null) {
                throw StoreException.invalid("ShardCount is required for a PROVISIONED stream.");
            }
            if (shardCount < 1) {
                throw StoreException.validation("1 validation error detected: Value '" + shardCount
                        + "' at 'shardCount' failed to satisfy constraint: Member must have value greater than or"
                        + " equal to 1");
            }
            shards = shardCount;
        }
        long now = time.millis();
        synchronized (accountLock) {
            purgeDeleted(now);
            if (streams.containsKey(name)) {
                throw StoreException.inUse("Stream " + name + " under account " + settings.accountId()
                        + " already exists.");
            }
            if (mode == StreamState.Mode.ON_DEMAND) {
                long onDemand = streams.values().stream().filter(s -> s.mode() == StreamState.Mode.ON_DEMAND).count();
                if (onDemand >= settings.onDemandStreamLimit()) {
                    throw StoreException.limit("This request would exceed the on-demand stream limit of "
                            + settings.onDemandStreamLimit() + " for the account " + settings.accountId() + ".");
                }
            } else {
                checkShardLimit(shards);
            }
            StreamState stream = new StreamState(name, arnOf(name), newStreamId(), now, mode,
                    now + settings.transitionMillis());
            stream.maxRecordSizeKiB(maxRecordSizeKiB != null ? maxRecordSizeKiB
                    : Math.max(1024, settings.maxRecordBytes() / 1024));
            if (distribution != null) {
                stream.recordDistributionStrategy(distribution);
            }
            if (warmThroughputMiBps != null) {
                stream.warmThroughput(warmThroughputMiBps, now, now + settings.transitionMillis());
            }
            List<HashKeyRange> ranges = HashKeyRange.split(HashKeyRange.ALL, shards);
            for (HashKeyRange range : ranges) {
                openShard(stream, range, null, null);
            }
            stream.reroute();
            persist(stream);
            streams.put(name, stream);
            return stream;
        }
    }

    private static final Pattern STREAM_ID = Pattern.compile("[a-z0-9]{20}-[a-z0-9]{3}");
    private static final char[] ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    /** A fresh stream id in the model's format, {@code [a-z0-9]{20}-[a-z0-9]{3}}. */
    private String newStreamId() {
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = i == 20 ? '-' : ID_CHARS[streamIds.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    /** The id of a stream saved before streams had one: derived from its ARN and creation time, so it is stable. */
    static String derivedStreamId(String arn, long creationMillis) {
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((arn + "@" + creationMillis).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
        char[] id = new char[24];
        for (int i = 0; i < id.length; i++) {
            id[i] = i == 20 ? '-' : ID_CHARS[(digest[i] & 0xFF) % ID_CHARS.length];
        }
        return new String(id);
    }

    private void checkName(String name) {
        if (name == null || !STREAM_NAME.matcher(name).matches()) {
            throw StoreException.validation("1 validation error detected: Value '" + name + "' at 'streamName'"
                    + " failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " [a-zA-Z0-9_.-]+ and have length between 1 and 128");
        }
    }

    /** {@return the open shards of provisioned streams over the account (what the shard limit counts)} */
    public int openShardCount() {
        int open = 0;
        for (StreamState s : streams.values()) {
            if (s.mode() == StreamState.Mode.PROVISIONED && s.deletedAtMillis() < 0) {
                open += s.openShards().size();
            }
        }
        return open;
    }

    private void checkShardLimit(int additional) {
        int current = openShardCount();
        if (current + additional > settings.shardLimit()) {
            throw StoreException.limit("This request would exceed the shard limit for the account "
                    + settings.accountId() + " in " + settings.region() + ". Current shard count for the account: "
                    + current + ". Limit: " + settings.shardLimit() + ". Number of additional shards that would have"
                    + " resulted from this request: " + additional + ".");
        }
    }

    private ShardState openShard(StreamState stream, HashKeyRange range, String parent, String adjacentParent) {
        int index = stream.allocateShardIndex();
        if (index > SequenceNumbers.MAX_SHARD_INDEX) {
            throw StoreException.limit("Stream " + stream.name() + " has used all " + SequenceNumbers.MAX_SHARD_INDEX
                    + " shard ids.");
        }
        ShardLog log = data != null ? data.openShard(stream, index)
                : spill != null ? spill.openShard(stream, index) : new ShardLog(index);
        ShardState shard = new ShardState(ShardState.idOf(index), index, range, parent, adjacentParent,
                stream.counter().get(), time.millis(), log, newThrottle(stream), new WriteMeter());
        stream.addShard(shard);
        return shard;
    }

    private void closeShard(StreamState stream, ShardState shard) {
        shard.log().close(stream.counter().get(), time.millis());
    }

    /**
     * The stream addressed by name and/or ARN.
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @return the stream
     * @throws StoreException ResourceNotFoundException, or InvalidArgumentException when the ARN is malformed or
     *                        names another stream than the name
     */
    public StreamState stream(String name, String arn) {
        String resolved = name;
        if (arn != null) {
            String prefix = "arn:aws:kinesis:" + settings.region() + ":" + settings.accountId() + ":stream/";
            if (!arn.startsWith(prefix) || arn.length() == prefix.length()) {
                if (arn.matches("arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/.+")) {
                    throw StoreException.notFound("Stream " + arn + " not found.");
                }
                throw StoreException.invalid("StreamARN " + arn + " is not a valid Kinesis stream ARN.");
            }
            String fromArn = arn.substring(prefix.length());
            if (name != null && !name.equals(fromArn)) {
                throw StoreException.invalid("StreamName " + name + " and StreamARN " + arn
                        + " do not refer to the same stream.");
            }
            resolved = fromArn;
        }
        if (resolved == null) {
            throw StoreException.invalid("Either StreamName or StreamARN must be provided.");
        }
        StreamState stream = streams.get(resolved);
        long now = time.millis();
        if (stream == null || gone(stream, now)) {
            throw StoreException.notFound(notFoundMessage(resolved));
        }
        return stream;
    }

    private boolean gone(StreamState stream, long now) {
        long deletedAt = stream.deletedAtMillis();
        if (deletedAt >= 0 && now >= deletedAt + settings.transitionMillis()) {
            streams.remove(stream.name(), stream);
            if (data != null) {
                data.delete(stream);
            } else if (spill != null) {
                spill.delete(stream);
            }
            return true;
        }
        return false;
    }

    private void purgeDeleted(long now) {
        for (StreamState s : streams.values()) {
            gone(s, now);
        }
    }

    /** A stream that takes writes and reads: ACTIVE or UPDATING. */
    private StreamState writable(String name, String arn) {
        StreamState stream = stream(name, arn);
        StreamState.Status status = stream.status(time.millis());
        if (status == StreamState.Status.CREATING || status == StreamState.Status.DELETING) {
            throw StoreException.notFound(notFoundMessage(stream.name()));
        }
        return stream;
    }

    /** A stream whose shards or settings may change now: ACTIVE. */
    private StreamState active(String name, String arn) {
        StreamState stream = stream(name, arn);
        StreamState.Status status = stream.status(time.millis());
        if (status != StreamState.Status.ACTIVE) {
            throw StoreException.inUse("Stream " + stream.name() + " under account " + settings.accountId()
                    + " not ACTIVE, instead in state " + status);
        }
        return stream;
    }

    /** {@return the streams in creation order (name order for equal times), without those already gone} */
    public List<StreamState> streams() {
        long now = time.millis();
        purgeDeleted(now);
        List<StreamState> out = new ArrayList<>(streams.values());
        out.sort(Comparator.comparing(StreamState::name));
        return out;
    }

    /**
     * Starts deleting a stream; it reports DELETING for the transition time, then is gone. A stream with registered
     * consumers is refused unless {@code enforceConsumerDeletion}.
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @param enforceConsumerDeletion whether to delete the stream's consumers with it
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void deleteStream(String name, String arn, boolean enforceConsumerDeletion) {
        StreamState stream = stream(name, arn);
        if (stream.status(time.millis()) == StreamState.Status.DELETING) {
            throw StoreException.inUse("Stream " + stream.name() + " under account " + settings.accountId()
                    + " is already being deleted.");
        }
        if (!enforceConsumerDeletion && liveConsumers(stream) > 0) {
            throw StoreException.inUse("Stream " + stream.name() + " under account " + settings.accountId()
                    + " has registered consumers. Deregister them or set EnforceConsumerDeletion.");
        }
        stream.markDeleted(time.millis());
        for (ShardState s : stream.shards()) {
            closeShard(stream, s);
        }
        stream.reroute();
        persist(stream);
    }

    // ---------------------------------------------------------------- records

    /**
     * The outcome of putting one record.
     *
     * @param shard  the shard the record went to (or would have)
     * @param record the stored record, or null when the shard's write limit refused it
     */
    public record PutOutcome(ShardState shard, StoredRecord record) {
        /** {@return whether the shard's write limit refused the record} */
        public boolean throttled() {
            return record == null;
        }

        /** {@return the stored record's sequence number, or null when throttled} */
        public String sequenceNumber() {
            return record == null ? null : SequenceNumbers.format(record.counter(), shard.index());
        }
    }

    private static void checkMaxRecordSize(int kib) {
        if (kib < 1024 || kib > 10_240) {
            throw StoreException.validation("1 validation error detected: Value '" + kib + "' at 'maxRecordSizeInKiB'"
                    + " failed to satisfy constraint: Member must have value between 1024 and 10240");
        }
    }

    private static void checkDistribution(String strategy, StreamState.Mode mode) {
        if (!"AUTO".equals(strategy) && !"USER_PARTITION_KEY".equals(strategy)) {
            throw StoreException.validation("1 validation error detected: Value '" + strategy + "' at"
                    + " 'recordDistributionStrategy' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [AUTO, USER_PARTITION_KEY]");
        }
        if ("AUTO".equals(strategy) && mode != StreamState.Mode.ON_DEMAND) {
            throw StoreException.invalid("The AUTO record distribution strategy is only supported for streams in"
                    + " ON_DEMAND capacity mode.");
        }
    }

    /**
     * UpdateStreamRecordDistributionStrategy: takes effect at once; records already stored stay where they are.
     *
     * @param arn      the stream's ARN
     * @param strategy {@code AUTO} (on-demand streams only) or {@code USER_PARTITION_KEY}
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void setRecordDistributionStrategy(String arn, String strategy) {
        StreamState stream = writable(null, arn);
        synchronized (stream.lock) {
            checkDistribution(strategy, stream.mode());
            stream.recordDistributionStrategy(strategy);
            persist(stream);
        }
    }

    /**
     * UpdateMaxRecordSize: the stream's largest record, and the write burst of its shards with it.
     *
     * @param arn the stream's ARN
     * @param kib the largest record in KiB, 1024 to 10240
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void setMaxRecordSize(String arn, Integer kib) {
        if (arn == null) {
            throw StoreException.invalid("StreamARN is required.");
        }
        checkMaxRecordSize(kib);
        StreamState stream = writable(null, arn);
        synchronized (stream.lock) {
            stream.maxRecordSizeKiB(kib);
            for (ShardState shard : stream.shards()) {
                shard.throttle().writeBurst(kib * 1024L);
            }
            persist(stream);
        }
    }

    /**
     * Checks a record's fields the way Kinesis validates them against its stream; returns its hash key, or null on an
     * AUTO stream (where the service places records and keys are optional and ignored).
     *
     * @param stream          the stream written to
     * @param partitionKey    the record's partition key
     * @param explicitHashKey its explicit hash key, or null
     * @param data            its data
     * @return the hash key that places the record, or null
     * @throws StoreException ValidationException or InvalidArgumentException naming the field that breaks a rule
     */
    public HashKey hashKeyOf(StreamState stream, String partitionKey, String explicitHashKey, byte[] data) {
        if (data == null) {
            throw StoreException.validation("1 validation error detected: Value null at 'data' failed to satisfy"
                    + " constraint: Member must not be null");
        }
        long max = stream.maxRecordSizeKiB() * 1024L;
        long size = data.length + (partitionKey == null ? 0 : partitionKey.length());
        if (size > max) {
            throw StoreException.validation("1 validation error detected: Value at 'data' failed to satisfy"
                    + " constraint: Member must have length less than or equal to " + max + " (data and partition key"
                    + " were " + size + " bytes; the stream's MaxRecordSizeInKiB is " + stream.maxRecordSizeKiB()
                    + ")");
        }
        if (stream.autoDistribution()) {
            if (partitionKey != null && (partitionKey.isEmpty() || partitionKey.length() > 256)) {
                throw StoreException.validation("1 validation error detected: Value '" + partitionKey
                        + "' at 'partitionKey' failed to satisfy constraint: Member must have length"
                        + " between 1 and 256");
            }
            return null;
        }
        if (partitionKey == null) {
            throw StoreException.validation("1 validation error detected: Value null at 'partitionKey' failed to"
                    + " satisfy constraint: Member must not be null (the stream's RecordDistributionStrategy is"
                    + " USER_PARTITION_KEY)");
        }
        return hashKeyOf(partitionKey, explicitHashKey, data);
    }

    /**
     * Checks a record's fields the way Kinesis validates them; returns its hash key.
     *
     * @param partitionKey    the record's partition key
     * @param explicitHashKey its explicit hash key, or null
     * @param data            its data
     * @return the explicit hash key, else the MD5 of the partition key
     * @throws StoreException ValidationException or InvalidArgumentException naming the field that breaks a rule
     */
    public HashKey hashKeyOf(String partitionKey, String explicitHashKey, byte[] data) {
        if (partitionKey == null || partitionKey.isEmpty() || partitionKey.length() > 256) {
            throw StoreException.validation("1 validation error detected: Value '" + partitionKey
                    + "' at 'partitionKey' failed to satisfy constraint: Member must have length between 1 and 256");
        }
        if (data == null) {
            throw StoreException.validation("1 validation error detected: Value null at 'data' failed to satisfy"
                    + " constraint: Member must not be null");
        }
        if (explicitHashKey == null) {
            return HashKey.md5Of(partitionKey);
        }
        if (!explicitHashKey.matches("0|([1-9]\\d{0,38})")) {
            throw StoreException.validation("1 validation error detected: Value '" + explicitHashKey
                    + "' at 'explicitHashKey' failed to satisfy constraint: Member must satisfy regular expression"
                    + " pattern: 0|([1-9]\\d{0,38})");
        }
        try {
            return HashKey.parseDecimal(explicitHashKey);
        } catch (IllegalArgumentException e) {
            throw StoreException.invalid("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]."
                    + " Specified value was " + explicitHashKey);
        }
    }

    /**
     * Appends one record to the open shard that owns its hash key (a null hash key: the next open shard in turn, AUTO
     * distribution). The caller validated it with {@link #hashKeyOf}.
     *
     * @param stream       the stream, from {@link #streamForWrite}
     * @param hashKey      the record's hash key, or null on an AUTO stream
     * @param partitionKey the record's partition key
     * @param data         its data; kept, not copied
     * @return the shard and stored record, or the shard alone when its write limit refused the record
     * @throws StoreException               ResourceNotFoundException when the stream was deleted meanwhile
     * @throws java.io.UncheckedIOException when a durable shard cannot write
     */
    public PutOutcome put(StreamState stream, HashKey hashKey, String partitionKey, byte[] data) {
        while (true) {
            ShardState shard = hashKey == null ? stream.routeEvenly() : stream.route(hashKey);
            if (shard == null) {
                if (stream.deletedAtMillis() >= 0) {
                    throw StoreException.notFound(notFoundMessage(stream.name()));
                }
                Thread.onSpinWait(); // a reshard is publishing its children
                continue;
            }
            if (settings.limitsEnabled()
                    && !shard.throttle().tryWrite(data.length + (partitionKey == null ? 0 : partitionKey.length()),
                            time.nanos())) {
                shard.written().throttled();
                return new PutOutcome(shard, null);
            }
            try {
                StoredRecord r = shard.log().append(stream.counter()::incrementAndGet, partitionKey, data,
                        time.millis());
                shard.written().record(data.length + (partitionKey == null ? 0 : partitionKey.length()));
                return new PutOutcome(shard, r);
            } catch (IllegalStateException closedMeanwhile) {
                // The shard closed between routing and appending: route again to its child.
            }
        }
    }

    /**
     * Resolves the stream for a put: it must be ACTIVE or UPDATING.
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @return the stream
     * @throws StoreException ResourceNotFoundException for an unknown stream or one that is not ACTIVE or UPDATING,
     *                        InvalidArgumentException for a malformed ARN
     */
    public StreamState streamForWrite(String name, String arn) {
        return writable(name, arn);
    }

    /**
     * The Kinesis message of a throttled write.
     *
     * @param stream the stream written to
     * @param shard  the shard that refused
     * @return the message, naming the shard, stream and account
     */
    public String throttledMessage(StreamState stream, ShardState shard) {
        return "Rate exceeded for shard " + shard.shardId() + " in stream " + stream.name() + " under account "
                + settings.accountId() + ".";
    }

    // ---------------------------------------------------------------- iterators and reads

    /** Iterator types of GetShardIterator. */
    public enum IteratorType {
        /** At the record with the given sequence number. */
        AT_SEQUENCE_NUMBER,
        /** Just after the record with the given sequence number. */
        AFTER_SEQUENCE_NUMBER,
        /** At the oldest record held. */
        TRIM_HORIZON,
        /** After the newest record: only records written later. */
        LATEST,
        /** At the first record that arrived at or after the given time. */
        AT_TIMESTAMP
    }

    /**
     * A shard iterator, valid for five minutes.
     *
     * @param streamName      the stream's name, or null when {@code arn} names it
     * @param arn             the stream's ARN, or null when {@code streamName} names it
     * @param shardId         the shard's id
     * @param type            where to start
     * @param sequenceNumber  for AT_/AFTER_SEQUENCE_NUMBER
     * @param timestampMillis for AT_TIMESTAMP
     * @return the iterator string
     * @throws StoreException ResourceNotFoundException for an unknown stream or shard, InvalidArgumentException
     *                        for a sequence number or timestamp that does not fit the shard
     */
    public String shardIterator(String streamName, String arn, String shardId, IteratorType type,
            String sequenceNumber, Long timestampMillis) {
        StreamState stream = writable(streamName, arn);
        ShardState shard = stream.shard(shardId);
        if (shard == null) {
            throw StoreException.notFound("Shard " + shardId + " in stream " + stream.name() + " under account "
                    + settings.accountId() + " does not exist");
        }
        long position = startPosition(stream, shard, type, sequenceNumber, timestampMillis, "GetShardIterator");
        return iterators.encode(new IteratorTokens.Token(stream.name(), stream.creationMillis(), shard.index(),
                position, time.millis()));
    }

    /**
     * The log position a reader starting at {@code type} begins at, checked as Kinesis checks GetShardIterator and
     * SubscribeToShard's StartingPosition.
     *
     * @param stream          the stream
     * @param shard           one of its shards
     * @param type            where to start
     * @param sequenceNumber  for AT_/AFTER_SEQUENCE_NUMBER, else ignored
     * @param timestampMillis for AT_TIMESTAMP, else ignored
     * @param action          the action named in error messages
     * @return the position in the shard's log
     * @throws StoreException InvalidArgumentException or ValidationException when the sequence number or timestamp
     *                        is missing, malformed or not the shard's
     */
    public long startPosition(StreamState stream, ShardState shard, IteratorType type, String sequenceNumber,
            Long timestampMillis, String action) {
        ShardLog log = shard.log();
        switch (Objects.requireNonNull(type, "ShardIteratorType")) {
            case TRIM_HORIZON -> {
                return log.trimHorizon();
            }
            case LATEST -> {
                return log.endPosition();
            }
            case AT_TIMESTAMP -> {
                if (timestampMillis == null) {
                    throw StoreException.invalid("Must specify timestampInMillis for AT_TIMESTAMP iterator type.");
                }
                return log.positionAtTimestamp(timestampMillis);
            }
            case AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER -> {
                if (sequenceNumber == null) {
                    throw StoreException.invalid("Must specify StartingSequenceNumber for " + type
                            + " iterator type.");
                }
                SequenceNumbers.Parsed parsed = SequenceNumbers.parse(sequenceNumber);
                if (parsed == null || parsed.shardIndex() != shard.index()
                        || parsed.counter() < SequenceNumbers.initialCounter(stream.creationMillis())) {
                    throw StoreException.invalid("StartingSequenceNumber " + sequenceNumber
                            + " used in " + action + " on shard " + shard.shardId() + " in stream " + stream.name()
                            + " under account " + settings.accountId()
                            + " is invalid because it did not come from this stream.");
                }
                return log.positionOfCounter(parsed.counter(), type == IteratorType.AFTER_SEQUENCE_NUMBER);
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    /**
     * What GetRecords returns.
     *
     * @param shard              the shard read
     * @param records            the records
     * @param nextShardIterator  null once a closed shard is read to its end
     * @param millisBehindLatest how far the last returned record is from the shard's tip
     * @param childShards        the shard's children, given once it is closed and read to its end
     */
    public record Records(ShardState shard, List<StoredRecord> records, String nextShardIterator,
            long millisBehindLatest, List<ShardState> childShards) {
    }

    /**
     * The stream and shard a shard iterator reads, checked as GetRecords checks it (valid, not expired, the stream and
     * shard still there), without reading anything.
     *
     * @param iterator the shard iterator
     * @return the stream and shard
     * @throws StoreException InvalidArgumentException for an iterator this store did not issue,
     *                        ExpiredIteratorException after five minutes, ResourceNotFoundException when the stream
     *                        or shard is gone
     */
    public java.util.Map.Entry<StreamState, ShardState> iteratorTarget(String iterator) {
        Target t = target(iterator);
        return java.util.Map.entry(t.stream(), t.shard());
    }

    /** What a checked shard iterator reads. */
    private record Target(IteratorTokens.Token token, StreamState stream, ShardState shard) {
    }

    private Target target(String iterator) {
        IteratorTokens.Token token = iterators.decode(iterator);
        if (token == null) {
            throw StoreException.invalid("Invalid ShardIterator.");
        }
        long now = time.millis();
        if (token.isExpired(now, IteratorTokens.DEFAULT_TTL_MILLIS)) {
            throw new StoreException(StoreException.EXPIRED_ITERATOR, "Iterator expired. The iterator was created"
                    + " at time " + token.issuedMillis() + " while right now it is " + now + " which is further in the"
                    + " future than the tolerated delay of " + IteratorTokens.DEFAULT_TTL_MILLIS + " milliseconds.");
        }
        StreamState stream = streams.get(token.streamName());
        if (stream == null || stream.creationMillis() != token.streamCreationMillis() || gone(stream, now)) {
            throw StoreException.notFound(notFoundMessage(token.streamName()));
        }
        ShardState shard = stream.shard(token.shardIndex());
        if (shard == null) {
            throw StoreException.notFound("Shard " + ShardState.idOf(token.shardIndex()) + " in stream "
                    + stream.name() + " under account " + settings.accountId() + " does not exist");
        }
        return new Target(token, stream, shard);
    }

    /**
     * GetRecords: at most {@code limit} records and about 10 MiB from where the iterator points.
     *
     * @param iterator the shard iterator
     * @param limit    most records, 1 to 10,000
     * @return the records and the next iterator
     * @throws StoreException ValidationException for a bad limit, the errors of {@link #iteratorTarget}, and
     *                        ProvisionedThroughputExceededException past the shard's read limits
     */
    public Records getRecords(String iterator, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw StoreException.validation("1 validation error detected: Value '" + limit + "' at 'limit' failed"
                    + " to satisfy constraint: Member must have value between 1 and 10000");
        }
        Target target = target(iterator);
        IteratorTokens.Token token = target.token();
        StreamState stream = target.stream();
        ShardState shard = target.shard();
        long now = time.millis();
        if (settings.limitsEnabled() && !shard.throttle().tryStartRead(time.nanos())) {
            throw new StoreException(StoreException.PROVISIONED_THROUGHPUT_EXCEEDED, throttledMessage(stream, shard));
        }
        ShardLog.Read read = shard.log().read(token.position(), limit, 10L * 1024 * 1024);
        if (settings.limitsEnabled()) {
            long bytes = 0;
            for (StoredRecord r : read.records()) {
                bytes += r.billedBytes();
            }
            shard.throttle().chargeRead(bytes, time.nanos());
        }
        boolean atEnd = read.nextPosition() >= read.endPosition();
        List<ShardState> children = List.of();
        String next;
        if (atEnd && !shard.isOpen()) {
            next = null;
            children = childrenOf(stream, shard);
        } else {
            next = iterators.encode(new IteratorTokens.Token(stream.name(), stream.creationMillis(), shard.index(),
                    read.nextPosition(), now));
        }
        long behind = 0;
        if (!atEnd && !read.records().isEmpty()) {
            behind = Math.max(0, now - read.records().get(read.records().size() - 1).arrivalMillis());
        }
        return new Records(shard, read.records(), next, behind, children);
    }

    /**
     * Shards whose parent or adjacent parent is {@code shard}.
     *
     * @param stream the stream
     * @param shard  one of its shards
     * @return its children, in index order; empty while it is open
     */
    public List<ShardState> childrenOf(StreamState stream, ShardState shard) {
        List<ShardState> out = new ArrayList<>();
        for (ShardState s : stream.shards()) {
            if (shard.shardId().equals(s.parentShardId()) || shard.shardId().equals(s.adjacentParentShardId())) {
                out.add(s);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- resharding

    /**
     * SplitShard: the parent closes; two children own [start, newStart-1] and [newStart, end].
     *
     * @param streamName         the stream's name, or null when {@code arn} names it
     * @param arn                the stream's ARN, or null when {@code streamName} names it
     * @param shardToSplit       the open shard to split
     * @param newStartingHashKey the first hash key of the second child, decimal, inside the shard's range
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void splitShard(String streamName, String arn, String shardToSplit, String newStartingHashKey) {
        StreamState stream = active(streamName, arn);
        synchronized (accountLock) {
            if (stream.mode() == StreamState.Mode.PROVISIONED) {
                checkShardLimit(1);
            }
            synchronized (stream.lock) {
                ShardState parent = openShardOrThrow(stream, shardToSplit);
                HashKey split;
                try {
                    split = HashKey.parseDecimal(Objects.requireNonNull(newStartingHashKey, "NewStartingHashKey"));
                } catch (IllegalArgumentException e) {
                    throw StoreException.invalid("NewStartingHashKey " + newStartingHashKey + " is not a valid hash"
                            + " key.");
                }
                HashKeyRange range = parent.hashKeyRange();
                if (split.compareTo(range.startInclusive()) <= 0 || split.compareTo(range.endInclusive()) > 0) {
                    throw StoreException.invalid("NewStartingHashKey " + newStartingHashKey + " used in SplitShard()"
                            + " on shard " + shardToSplit + " in stream " + stream.name() + " under account "
                            + settings.accountId() + " is not both greater than one plus the shard's"
                            + " StartingHashKey " + range.startInclusive() + " and less than the shard's EndingHashKey "
                            + range.endInclusive() + ".");
                }
                splitAt(stream, parent, split);
                stream.reroute();
                stream.busyUntil(time.millis() + settings.transitionMillis(), StreamState.Status.UPDATING);
                persist(stream);
            }
        }
    }

    private ShardState[] splitAt(StreamState stream, ShardState parent, HashKey split) {
        HashKeyRange range = parent.hashKeyRange();
        closeShard(stream, parent);
        ShardState low = openShard(stream, new HashKeyRange(range.startInclusive(), split.subtract(HashKey.ONE)),
                parent.shardId(), null);
        ShardState high = openShard(stream, new HashKeyRange(split, range.endInclusive()), parent.shardId(), null);
        return new ShardState[] {low, high};
    }

    /**
     * MergeShards: two adjacent open shards close; one child owns their union.
     *
     * @param streamName           the stream's name, or null when {@code arn} names it
     * @param arn                  the stream's ARN, or null when {@code streamName} names it
     * @param shardToMerge         one open shard
     * @param adjacentShardToMerge the open shard whose range adjoins it
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void mergeShards(String streamName, String arn, String shardToMerge, String adjacentShardToMerge) {
        StreamState stream = active(streamName, arn);
        synchronized (stream.lock) {
            ShardState a = openShardOrThrow(stream, shardToMerge);
            ShardState b = openShardOrThrow(stream, adjacentShardToMerge);
            if (!adjacent(a, b)) {
                throw StoreException.invalid("Shards " + shardToMerge + " and " + adjacentShardToMerge + " in stream "
                        + stream.name() + " under account " + settings.accountId() + " are not an adjacent pair of"
                        + " shards eligible for merging");
            }
            merge(stream, a, b);
            stream.reroute();
            stream.busyUntil(time.millis() + settings.transitionMillis(), StreamState.Status.UPDATING);
            persist(stream);
        }
    }

    private static boolean adjacent(ShardState a, ShardState b) {
        return a.hashKeyRange().endInclusive().compareTo(HashKey.MAX) < 0
                && a.hashKeyRange().endInclusive().add(HashKey.ONE).equals(b.hashKeyRange().startInclusive())
                || b.hashKeyRange().endInclusive().compareTo(HashKey.MAX) < 0
                && b.hashKeyRange().endInclusive().add(HashKey.ONE).equals(a.hashKeyRange().startInclusive());
    }

    private ShardState merge(StreamState stream, ShardState a, ShardState b) {
        HashKey start = min(a.hashKeyRange().startInclusive(), b.hashKeyRange().startInclusive());
        HashKey end = max(a.hashKeyRange().endInclusive(), b.hashKeyRange().endInclusive());
        closeShard(stream, a);
        closeShard(stream, b);
        return openShard(stream, new HashKeyRange(start, end), a.shardId(), b.shardId());
    }

    private static HashKey min(HashKey a, HashKey b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static HashKey max(HashKey a, HashKey b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private ShardState openShardOrThrow(StreamState stream, String shardId) {
        ShardState shard = shardId == null ? null : stream.shard(shardId);
        if (shard == null) {
            throw StoreException.notFound("Could not find shard " + shardId + " in stream " + stream.name()
                    + " under account " + settings.accountId() + ".");
        }
        if (!shard.isOpen()) {
            throw StoreException.invalid("Shard " + shardId + " in stream " + stream.name() + " under account "
                    + settings.accountId() + " has already been merged or split, and thus is not eligible for"
                    + " merging or splitting.");
        }
        return shard;
    }

    /**
     * On-demand scaling of an ACTIVE on-demand stream, as one UPDATING transition: each of {@code hot} is split in the
     * middle of its range, each adjacent pair of {@code cold} merged. Shards no longer open are passed over (a
     * client resharded meanwhile); nothing happens when the stream is not ACTIVE.
     *
     * @param stream an on-demand stream
     * @param hot    shards to split
     * @param cold   pairs of adjacent shards to merge
     * @return whether the stream was resharded
     */
    public boolean rescale(StreamState stream, List<ShardState> hot, List<List<ShardState>> cold) {
        synchronized (stream.lock) {
            if (stream.mode() != StreamState.Mode.ON_DEMAND || stream.status(time.millis()) != StreamState.Status.ACTIVE
                    || stream.deletedAtMillis() >= 0) {
                return false;
            }
            boolean changed = false;
            for (ShardState shard : hot) {
                HashKeyRange r = shard.hashKeyRange();
                if (shard.isOpen() && r.endInclusive().compareTo(r.startInclusive()) > 0) {
                    HashKey middle = r.startInclusive().add(r.endInclusive().subtract(r.startInclusive()).divide(2))
                            .add(HashKey.ONE);
                    splitAt(stream, shard, middle);
                    changed = true;
                }
            }
            for (List<ShardState> pair : cold) {
                if (pair.get(0).isOpen() && pair.get(1).isOpen() && adjacent(pair.get(0), pair.get(1))) {
                    merge(stream, pair.get(0), pair.get(1));
                    changed = true;
                }
            }
            if (changed) {
                stream.reroute();
                stream.busyUntil(time.millis() + settings.transitionMillis(), StreamState.Status.UPDATING);
                persist(stream);
            }
            return changed;
        }
    }

    /**
     * UpdateShardCount with UNIFORM_SCALING: the open shards end up evenly spread over the key space. Like Kinesis,
     * it gets there by splits and then merges, so every child names its parents; shards that exist only between
     * the two steps are closed at once and hold no records. The target must lie within half and double the current
     * count.
     *
     * @param streamName the stream's name, or null when {@code arn} names it
     * @param arn        the stream's ARN, or null when {@code streamName} names it
     * @param target     the open shard count wanted
     * @return the open shard count before the update
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public int updateShardCount(String streamName, String arn, int target) {
        StreamState stream = active(streamName, arn);
        synchronized (accountLock) {
            synchronized (stream.lock) {
                List<ShardState> open = new ArrayList<>(stream.openShards());
                int current = open.size();
                if (target < 1 || target > 2 * current || 2 * target < current) {
                    throw StoreException.invalid("UpdateShardCount target " + target + " for stream " + stream.name()
                            + " must be between half and double the current open shard count " + current + ".");
                }
                if (stream.mode() == StreamState.Mode.PROVISIONED && target > current) {
                    checkShardLimit(target - current);
                }
                List<HashKeyRange> goal = HashKeyRange.split(HashKeyRange.ALL, target);
                // 1. Split every open shard at each goal boundary strictly inside it.
                List<ShardState> fragments = new ArrayList<>();
                for (ShardState shard : open) {
                    ShardState rest = shard;
                    for (HashKeyRange g : goal) {
                        HashKey boundary = g.startInclusive();
                        HashKeyRange r = rest.hashKeyRange();
                        if (boundary.compareTo(r.startInclusive()) > 0 && boundary.compareTo(r.endInclusive()) <= 0) {
                            ShardState[] halves = splitAt(stream, rest, boundary);
                            fragments.add(halves[0]);
                            rest = halves[1];
                        }
                    }
                    fragments.add(rest);
                }
                fragments.sort((x, y) -> x.hashKeyRange().startInclusive()
                        .compareTo(y.hashKeyRange().startInclusive()));
                // 2. Merge, left to right, the fragments that make up each goal range.
                int f = 0;
                for (HashKeyRange g : goal) {
                    ShardState acc = fragments.get(f++);
                    while (acc.hashKeyRange().endInclusive().compareTo(g.endInclusive()) < 0) {
                        acc = merge(stream, acc, fragments.get(f++));
                    }
                }
                stream.reroute();
                stream.busyUntil(time.millis() + settings.transitionMillis(), StreamState.Status.UPDATING);
                persist(stream);
                return current;
            }
        }
    }

    // ---------------------------------------------------------------- retention

    /**
     * Increase/DecreaseStreamRetentionPeriod.
     *
     * @param streamName the stream's name, or null when {@code arn} names it
     * @param arn        the stream's ARN, or null when {@code streamName} names it
     * @param hours      the new retention, 24 to 8760
     * @param increase   whether this is IncreaseStreamRetentionPeriod (the new value must not be lower) or Decrease
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void setRetention(String streamName, String arn, int hours, boolean increase) {
        StreamState stream = stream(streamName, arn);
        if (hours < MIN_RETENTION_HOURS || hours > MAX_RETENTION_HOURS) {
            throw StoreException.invalid("Minimum allowed retention period is " + MIN_RETENTION_HOURS
                    + " hours. Maximum allowed retention period is " + MAX_RETENTION_HOURS + " hours. Requested"
                    + " retention period (" + hours + " hours) is out of range.");
        }
        synchronized (stream.lock) {
            int current = stream.retentionHours();
            if (increase && hours < current) {
                throw StoreException.invalid("Requested retention period (" + hours + " hours) for stream "
                        + stream.name() + " can not be shorter than existing retention period (" + current
                        + " hours). Use DecreaseRetentionPeriod API.");
            }
            if (!increase && hours > current) {
                throw StoreException.invalid("Requested retention period (" + hours + " hours) for stream "
                        + stream.name() + " can not be longer than existing retention period (" + current
                        + " hours). Use IncreaseRetentionPeriod API.");
            }
            stream.retentionHours(hours);
            persist(stream);
        }
    }

    /**
     * Drops records older than each stream's retention, and closed shards that have nothing left and closed longer
     * than the retention ago. The backend calls this periodically.
     *
     * @return records dropped
     */
    public long trim() {
        long now = time.millis();
        long dropped = 0;
        for (StreamState stream : streams()) {
            long cutoff = now - stream.retentionHours() * 3_600_000L;
            for (ShardState shard : stream.shards()) {
                dropped += shard.log().trimArrivedBefore(cutoff);
                if (!shard.isOpen() && shard.log().endPosition() == shard.log().trimHorizon()
                        && shard.log().closedMillis() < cutoff) {
                    stream.removeShard(shard);
                    persist(stream);
                    if (data != null) {
                        data.deleteShard(stream, shard);
                    } else if (spill != null) {
                        spill.deleteShard(stream, shard);
                    }
                }
            }
        }
        return dropped;
    }

    // ---------------------------------------------------------------- tags, monitoring, encryption, mode

    private static final int MAX_TAGS = 50;
    private static final int MAX_TAGS_PER_CALL = 10;
    private static final List<String> SHARD_LEVEL_METRICS = List.of("IncomingBytes", "IncomingRecords",
            "OutgoingBytes", "OutgoingRecords", "WriteProvisionedThroughputExceeded",
            "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds");

    /**
     * AddTagsToStream: at most 10 per call, 50 per stream; keys 1-128 chars, values 0-256.
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @param tags the tags to add or overwrite
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void addTags(String name, String arn, java.util.Map<String, String> tags) {
        StreamState stream = stream(name, arn);
        checkTags("AddTagsToStream", tags, MAX_TAGS_PER_CALL);
        synchronized (stream.lock) {
            putTags(stream.mutableTags(), tags, "Stream " + stream.name());
            persist(stream);
        }
    }

    /**
     * RemoveTagsFromStream: unknown keys are ignored, as on Kinesis.
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @param keys the tag keys to remove
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void removeTags(String name, String arn, List<String> keys) {
        StreamState stream = stream(name, arn);
        checkTagKeys("RemoveTagsFromStream", keys, MAX_TAGS_PER_CALL);
        synchronized (stream.lock) {
            keys.forEach(stream.mutableTags()::remove);
            persist(stream);
        }
    }

    /** The count and the key and value rules every tagging action applies to the tags of one call. */
    static void checkTags(String action, java.util.Map<String, String> tags, int maxPerCall) {
        if (tags == null || tags.isEmpty() || tags.size() > maxPerCall) {
            throw StoreException.invalid(action + " takes 1 to " + maxPerCall + " tags per call.");
        }
        for (var e : tags.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().length() > 128) {
                throw StoreException.invalid("Tag key '" + e.getKey() + "' must be 1 to 128 characters long.");
            }
            if (e.getValue() != null && e.getValue().length() > 256) {
                throw StoreException.invalid("Tag value for key '" + e.getKey() + "' exceeds 256 characters.");
            }
            if (e.getKey().startsWith("aws:")) {
                throw StoreException.invalid("Tag keys starting with 'aws:' are reserved.");
            }
        }
    }

    private static void checkTagKeys(String action, List<String> keys, int maxPerCall) {
        if (keys == null || keys.isEmpty() || keys.size() > maxPerCall) {
            throw StoreException.invalid(action + " takes 1 to " + maxPerCall + " keys per call.");
        }
    }

    /** Adds or replaces {@code tags} in a resource's {@code current} ones, at most 50 in all; caller holds the lock. */
    private void putTags(java.util.Map<String, String> current, java.util.Map<String, String> tags, String resource) {
        long added = tags.keySet().stream().filter(k -> !current.containsKey(k)).count();
        if (current.size() + added > MAX_TAGS) {
            throw StoreException.limit(resource + " under account " + settings.accountId()
                    + " would exceed " + MAX_TAGS + " tags.");
        }
        tags.forEach((k, v) -> current.put(k, v == null ? "" : v));
    }

    /**
     * A page of ListTagsForStream.
     *
     * @param tags    tags in key order
     * @param hasMore whether tags after the last one remain
     */
    public record TagPage(List<java.util.Map.Entry<String, String>> tags, boolean hasMore) {
    }

    /**
     * ListTagsForStream: keys after {@code exclusiveStartTagKey}, at most {@code limit} (1-50, default 50).
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @param exclusiveStartTagKey the last key of the previous page, or null
     * @param limit                most tags, or null for 50
     * @return the page
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public TagPage listTags(String name, String arn, String exclusiveStartTagKey, Integer limit) {
        StreamState stream = stream(name, arn);
        int max = limit == null ? MAX_TAGS : limit;
        if (max < 1 || max > MAX_TAGS) {
            throw StoreException.invalid("Limit must be between 1 and " + MAX_TAGS + ".");
        }
        List<java.util.Map.Entry<String, String>> out = new ArrayList<>();
        boolean more = false;
        for (var e : stream.tags().entrySet()) {
            if (exclusiveStartTagKey != null && e.getKey().compareTo(exclusiveStartTagKey) <= 0) {
                continue;
            }
            if (out.size() == max) {
                more = true;
                break;
            }
            out.add(java.util.Map.entry(e.getKey(), e.getValue()));
        }
        return new TagPage(out, more);
    }

    /**
     * The shard-level metrics before and after an Enable/DisableEnhancedMonitoring call.
     *
     * @param current the metrics enabled before
     * @param desired the metrics enabled after
     */
    public record MetricsChange(List<String> current, List<String> desired) {
    }

    /**
     * Enable/DisableEnhancedMonitoring; {@code ALL} stands for every shard-level metric.
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @param metrics the metrics to enable or disable
     * @param enable  whether to enable them
     * @return the metrics before and after
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public MetricsChange setEnhancedMonitoring(String name, String arn, List<String> metrics, boolean enable) {
        StreamState stream = stream(name, arn);
        if (metrics == null || metrics.isEmpty()) {
            throw StoreException.invalid("ShardLevelMetrics must name at least one metric.");
        }
        java.util.Set<String> requested = new java.util.LinkedHashSet<>();
        for (String m : metrics) {
            if ("ALL".equals(m)) {
                requested.addAll(SHARD_LEVEL_METRICS);
            } else if (SHARD_LEVEL_METRICS.contains(m)) {
                requested.add(m);
            } else {
                throw StoreException.validation("1 validation error detected: Value '" + metrics
                        + "' at 'shardLevelMetrics' failed to satisfy constraint: Member must satisfy constraint:"
                        + " [Member must satisfy enum value set: [IncomingBytes, IncomingRecords, OutgoingBytes,"
                        + " OutgoingRecords, WriteProvisionedThroughputExceeded, ReadProvisionedThroughputExceeded,"
                        + " IteratorAgeMilliseconds, ALL]]");
            }
        }
        synchronized (stream.lock) {
            List<String> current = List.copyOf(stream.mutableShardLevelMetrics());
            java.util.Set<String> desired = new java.util.LinkedHashSet<>(current);
            if (enable) {
                desired.addAll(requested);
            } else {
                desired.removeAll(requested);
            }
            List<String> ordered = SHARD_LEVEL_METRICS.stream().filter(desired::contains).toList();
            stream.mutableShardLevelMetrics().clear();
            stream.mutableShardLevelMetrics().addAll(ordered);
            persist(stream);
            return new MetricsChange(current, ordered);
        }
    }

    /**
     * Start/StopStreamEncryption: the stream is UPDATING for the transition time.
     *
     * @param name the stream's name, or null when {@code arn} names it
     * @param arn  the stream's ARN, or null when {@code name} names it
     * @param encryptionType must be {@code KMS}
     * @param keyId          the KMS key id
     * @param start          whether to start (else stop) encryption
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void setEncryption(String name, String arn, String encryptionType, String keyId, boolean start) {
        StreamState stream = active(name, arn);
        if (!"KMS".equals(encryptionType)) {
            throw StoreException.invalid("EncryptionType must be KMS, was " + encryptionType + ".");
        }
        if (keyId == null || keyId.isEmpty() || keyId.length() > 2048) {
            throw StoreException.invalid("KeyId must be 1 to 2048 characters long.");
        }
        synchronized (stream.lock) {
            if (!start && !"KMS".equals(stream.encryptionType())) {
                throw StoreException.invalid("Stream " + stream.name() + " is not encrypted.");
            }
            stream.encryption(start ? "KMS" : "NONE", start ? keyId : null);
            stream.busyUntil(time.millis() + settings.transitionMillis(), StreamState.Status.UPDATING);
            persist(stream);
        }
    }

    /**
     * UpdateStreamMode: switching to PROVISIONED counts the stream's shards against the account's shard limit.
     *
     * @param arn  the stream's ARN
     * @param mode the new capacity mode
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public void setMode(String arn, StreamState.Mode mode) {
        StreamState stream = active(null, arn);
        synchronized (accountLock) {
            if (stream.mode() == mode) {
                throw StoreException.invalid("Stream " + stream.name() + " is already in " + mode + " mode.");
            }
            if (mode == StreamState.Mode.PROVISIONED) {
                checkShardLimit(stream.openShards().size());
            } else {
                long onDemand = streams.values().stream().filter(s -> s.mode() == StreamState.Mode.ON_DEMAND).count();
                if (onDemand >= settings.onDemandStreamLimit()) {
                    throw StoreException.limit("This request would exceed the on-demand stream limit of "
                            + settings.onDemandStreamLimit() + " for the account " + settings.accountId() + ".");
                }
            }
            stream.mode(mode);
            if (mode == StreamState.Mode.PROVISIONED) {
                stream.restoreWarmThroughput(-1, 0, 0); // provisioned streams have no warm throughput
            }
            stream.busyUntil(time.millis() + settings.transitionMillis(), StreamState.Status.UPDATING);
            persist(stream);
        }
    }

    /**
     * DescribeLimits.
     *
     * @param shardLimit              the account's shard quota
     * @param openShardCount          open shards of provisioned streams
     * @param onDemandStreamCount     on-demand streams
     * @param onDemandStreamCountLimit the on-demand stream quota
     */
    public record Limits(int shardLimit, int openShardCount, int onDemandStreamCount, int onDemandStreamCountLimit) {
    }

    /** {@return the account's limits and what counts against them, for DescribeLimits} */
    public Limits limits() {
        int onDemand = (int) streams().stream().filter(s -> s.mode() == StreamState.Mode.ON_DEMAND).count();
        return new Limits(settings.shardLimit(), openShardCount(), onDemand, settings.onDemandStreamLimit());
    }

    // ---------------------------------------------------------------- consumers

    /** Kinesis' limit of enhanced fan-out consumers per stream. */
    public static final int MAX_CONSUMERS = 20;
    private static final Pattern CONSUMER_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    private int liveConsumers(StreamState stream) {
        long now = time.millis();
        return (int) stream.consumers().stream().filter(c -> c.deletedAtMillis() < 0
                || now < c.deletedAtMillis() + settings.transitionMillis()).count();
    }

    private void purgeConsumers(StreamState stream) {
        long now = time.millis();
        synchronized (stream.lock) {
            List<ConsumerState> gone = new ArrayList<>();
            for (ConsumerState c : stream.mutableConsumers()) {
                if (c.deletedAtMillis() >= 0 && now >= c.deletedAtMillis() + settings.transitionMillis()) {
                    gone.add(c);
                }
            }
            if (!gone.isEmpty()) {
                stream.mutableConsumers().removeAll(gone);
                gone.forEach(c -> stream.forgetConsumer(c.arn()));
                persist(stream);
            }
        }
    }

    /**
     * RegisterStreamConsumer: CREATING for the transition time, then ACTIVE; at most 20 per stream.
     *
     * @param streamArn    the stream's ARN
     * @param consumerName the consumer's name, unique within the stream
     * @return the new consumer
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public ConsumerState registerConsumer(String streamArn, String consumerName) {
        StreamState stream = writable(null, Objects.requireNonNull(streamArn, "StreamARN"));
        if (consumerName == null || !CONSUMER_NAME.matcher(consumerName).matches()) {
            throw StoreException.validation("1 validation error detected: Value '" + consumerName + "' at"
                    + " 'consumerName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " [a-zA-Z0-9_.-]+ and have length between 1 and 128");
        }
        purgeConsumers(stream);
        synchronized (stream.lock) {
            List<ConsumerState> consumers = stream.mutableConsumers();
            for (ConsumerState c : consumers) {
                if (c.name().equals(consumerName)) {
                    throw StoreException.inUse("Consumer " + c.arn() + " under account " + settings.accountId()
                            + " already exists.");
                }
            }
            if (consumers.size() >= MAX_CONSUMERS) {
                throw StoreException.limit("Stream " + stream.name() + " under account " + settings.accountId()
                        + " already has " + MAX_CONSUMERS + " registered consumers.");
            }
            long now = time.millis();
            ConsumerState c = new ConsumerState(consumerName, stream.arn() + "/consumer/" + consumerName + ":"
                    + now / 1000, now, now + settings.transitionMillis(), -1);
            consumers.add(c);
            persist(stream);
            return c;
        }
    }

    /**
     * The consumer named by its ARN, or by stream ARN and name.
     *
     * @param streamArn    the stream's ARN, with {@code consumerName}
     * @param consumerName the consumer's name, with {@code streamArn}
     * @param consumerArn  the consumer's ARN, or null when the other two name it
     * @return the stream and the consumer
     * @throws StoreException ResourceNotFoundException for an unknown stream or consumer, InvalidArgumentException
     *                        or ValidationException when the identifiers are missing or malformed
     */
    public java.util.Map.Entry<StreamState, ConsumerState> consumer(String streamArn, String consumerName,
            String consumerArn) {
        String sArn = streamArn;
        if (consumerArn != null) {
            int at = consumerArn.indexOf("/consumer/");
            if (at < 0) {
                throw StoreException.invalid("ConsumerARN " + consumerArn + " is not a valid consumer ARN.");
            }
            sArn = consumerArn.substring(0, at);
        } else if (streamArn == null || consumerName == null) {
            throw StoreException.invalid("Either ConsumerARN or both StreamARN and ConsumerName must be provided.");
        }
        StreamState stream = stream(null, sArn);
        purgeConsumers(stream);
        for (ConsumerState c : stream.consumers()) {
            if (consumerArn != null ? c.arn().equals(consumerArn) : c.name().equals(consumerName)) {
                return java.util.Map.entry(stream, c);
            }
        }
        throw StoreException.notFound("Consumer " + (consumerArn != null ? consumerArn : consumerName)
                + " under account " + settings.accountId() + " not found.");
    }

    /**
     * ListStreamConsumers (pagination is the caller's).
     *
     * @param streamArn the stream's ARN
     * @return its consumers, in registration order
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public List<ConsumerState> consumers(String streamArn) {
        StreamState stream = stream(null, Objects.requireNonNull(streamArn, "StreamARN"));
        purgeConsumers(stream);
        return stream.consumers();
    }

    /**
     * DeregisterStreamConsumer: DELETING for the transition time, then gone.
     *
     * @param streamArn    the stream's ARN, with {@code consumerName}
     * @param consumerName the consumer's name, with {@code streamArn}
     * @param consumerArn  the consumer's ARN, or null when the other two name it
     * @throws StoreException as {@link #consumer}
     */
    public void deregisterConsumer(String streamArn, String consumerName, String consumerArn) {
        var found = consumer(streamArn, consumerName, consumerArn);
        StreamState stream = found.getKey();
        synchronized (stream.lock) {
            List<ConsumerState> consumers = stream.mutableConsumers();
            int i = consumers.indexOf(found.getValue());
            if (i >= 0 && consumers.get(i).deletedAtMillis() < 0) {
                consumers.set(i, consumers.get(i).deleted(time.millis()));
                persist(stream);
            }
        }
    }

    // ---------------------------------------------------------------- resources by ARN: tags and policies

    /** ResourceARN's pattern in the Kinesis model; stream and consumer ARNs both match it. */
    private static final Pattern RESOURCE_ARN = Pattern.compile("arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+");
    /** The consumer pattern Kinesis documents for PutResourcePolicy. */
    private static final Pattern CONSUMER_ARN = Pattern.compile(
            "arn:aws.*:kinesis:.*:\\d{12}:.*stream/[a-zA-Z0-9_.-]+/consumer/[a-zA-Z0-9_.-]+:[0-9]+");
    private static final int MAX_RESOURCE_ARN_LENGTH = 2048;
    /** TagResource's TagMap holds up to 200 entries (still at most 50 per resource); UntagResource's keys up to 50. */
    private static final int MAX_TAG_RESOURCE_PER_CALL = 200;
    private static final int MAX_UNTAG_RESOURCE_PER_CALL = 50;
    private static final com.fasterxml.jackson.core.JsonFactory POLICY_JSON =
            new com.fasterxml.jackson.core.JsonFactory();

    /** A stream, or one of its consumers, addressed by ARN. */
    private record Resource(StreamState stream, ConsumerState consumer) {
        String arn() {
            return consumer != null ? consumer.arn() : stream.arn();
        }

        String describe() {
            return consumer != null ? "Consumer " + consumer.arn() : "Stream " + stream.name();
        }
    }

    /**
     * The stream or consumer of a ResourceARN.
     *
     * @throws StoreException ValidationException when the ARN breaks the model's length or pattern,
     *                        ResourceNotFoundException when it names no stream or consumer of this backend
     */
    private Resource resource(String arn) {
        if (arn == null || arn.isEmpty() || arn.length() > MAX_RESOURCE_ARN_LENGTH
                || !RESOURCE_ARN.matcher(arn).matches()) {
            throw StoreException.validation("1 validation error detected: Value '" + arn + "' at 'resourceARN'"
                    + " failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+ and have length between 1 and "
                    + MAX_RESOURCE_ARN_LENGTH);
        }
        String prefix = arnOf("");
        if (!arn.startsWith(prefix)) {
            throw StoreException.notFound("Resource " + arn + " under account " + settings.accountId()
                    + " not found.");
        }
        if (CONSUMER_ARN.matcher(arn).matches()) {
            var found = consumer(null, null, arn);
            return new Resource(found.getKey(), found.getValue());
        }
        return new Resource(stream(arn.substring(prefix.length()), null), null);
    }

    /** Refuses a consumer deregistered and purged since it was looked up; caller holds the stream's lock. */
    private void stillThere(Resource r) {
        if (r.consumer() != null && !r.stream().mutableConsumers().contains(r.consumer())) {
            throw StoreException.notFound("Consumer " + r.consumer().arn() + " under account "
                    + settings.accountId() + " not found.");
        }
    }

    /**
     * PutResourcePolicy: keeps the policy (a JSON object) with the stream; it is never evaluated.
     *
     * @param arn    a stream or consumer ARN
     * @param policy the policy document
     * @throws StoreException when the ARN names nothing or the policy is not a JSON object
     */
    public void putResourcePolicy(String arn, String policy) {
        Resource r = resource(arn);
        checkPolicy(policy);
        synchronized (r.stream().lock) {
            stillThere(r);
            r.stream().mutablePolicies().put(r.arn(), policy);
            persist(r.stream());
        }
    }

    private static void checkPolicy(String policy) {
        if (policy == null) {
            throw StoreException.invalid("Policy must be a JSON object, was missing.");
        }
        try (com.fasterxml.jackson.core.JsonParser p = POLICY_JSON.createParser(policy)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw StoreException.invalid("Policy must be a JSON object.");
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw StoreException.invalid("Policy must be a single JSON object, found more after it.");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw StoreException.invalid("Policy is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw StoreException.invalid("Policy is not valid JSON: " + e.getMessage());
        }
    }

    /**
     * GetResourcePolicy: the policy of a stream or consumer, {@code {}} when it has none (as Kinesis answers).
     *
     * @param arn a stream or consumer ARN
     * @return the policy document
     * @throws StoreException when the ARN names nothing
     */
    public String resourcePolicy(String arn) {
        Resource r = resource(arn);
        String policy = r.stream().policies().get(r.arn());
        return policy == null ? "{}" : policy;
    }

    /**
     * DeleteResourcePolicy.
     *
     * @param arn a stream or consumer ARN
     * @throws StoreException ResourceNotFoundException when the ARN names nothing or it has no policy
     */
    public void deleteResourcePolicy(String arn) {
        Resource r = resource(arn);
        synchronized (r.stream().lock) {
            stillThere(r);
            if (r.stream().mutablePolicies().remove(r.arn()) == null) {
                throw StoreException.notFound("No resource policy found for resource " + r.arn() + ".");
            }
            persist(r.stream());
        }
    }

    /**
     * TagResource: a stream ARN tags the stream (the tags AddTagsToStream adds), a consumer ARN the consumer; the
     * rules are AddTagsToStream's except up to 200 tags per call.
     *
     * @param arn  a stream or consumer ARN
     * @param tags the tags to add or overwrite
     * @throws StoreException when the ARN names nothing or a tag breaks a rule
     */
    public void tagResource(String arn, java.util.Map<String, String> tags) {
        Resource r = resource(arn);
        checkTags("TagResource", tags, MAX_TAG_RESOURCE_PER_CALL);
        synchronized (r.stream().lock) {
            stillThere(r);
            putTags(r.consumer() == null ? r.stream().mutableTags()
                    : r.stream().mutableConsumerTags(r.arn(), true), tags, r.describe());
            persist(r.stream());
        }
    }

    /**
     * UntagResource: up to 50 keys per call; unknown keys are ignored.
     *
     * @param arn  a stream or consumer ARN
     * @param keys the tag keys to remove
     * @throws StoreException when the ARN names nothing or there are too many keys
     */
    public void untagResource(String arn, List<String> keys) {
        Resource r = resource(arn);
        checkTagKeys("UntagResource", keys, MAX_UNTAG_RESOURCE_PER_CALL);
        synchronized (r.stream().lock) {
            stillThere(r);
            java.util.Map<String, String> tags = r.consumer() == null ? r.stream().mutableTags()
                    : r.stream().mutableConsumerTags(r.arn(), false);
            if (tags != null) {
                keys.forEach(tags::remove);
                persist(r.stream());
            }
        }
    }

    /**
     * ListTagsForResource: every tag of the stream or consumer, in key order.
     *
     * @param arn a stream or consumer ARN
     * @return the tags
     * @throws StoreException when the ARN names nothing
     */
    public java.util.Map<String, String> resourceTags(String arn) {
        Resource r = resource(arn);
        if (r.consumer() == null) {
            return r.stream().tags();
        }
        return r.stream().consumerTags().getOrDefault(r.arn(), java.util.Map.of());
    }

    // ---------------------------------------------------------------- account settings

    /** How long a minimum throughput billing commitment stays on at least, once enabled (locally: 24 hours). */
    public static final long COMMITMENT_MINIMUM_MILLIS = 24L * 60 * 60 * 1000;

    /** The account's minimum throughput billing commitment as DescribeAccountSettings reports it. */
    public enum CommitmentStatus {
        /** A commitment runs. */
        ENABLED,
        /** No commitment runs. */
        DISABLED,
        /** A commitment was disabled before its earliest allowed end and runs until then. */
        ENABLED_UNTIL_EARLIEST_ALLOWED_END
    }

    /**
     * The commitment at one moment; times are epoch millis, -1 when absent (a never-enabled account has none).
     *
     * @param endedAtMillis when a disabled commitment ended or, while ENABLED_UNTIL_EARLIEST_ALLOWED_END, will end
     */
    public record Commitment(CommitmentStatus status, long startedAtMillis, long endedAtMillis,
            long earliestAllowedEndMillis) {
    }

    /** {@return the account's commitment now, for DescribeAccountSettings} */
    public Commitment commitment() {
        long now = time.millis();
        synchronized (accountLock) {
            return commitmentAt(now);
        }
    }

    // caller holds accountLock
    private Commitment commitmentAt(long now) {
        DataDirectory.SavedCommitment c = commitment;
        CommitmentStatus status;
        if (c.startedAtMillis() < 0) {
            status = CommitmentStatus.DISABLED;
        } else if (c.endedAtMillis() < 0) {
            status = CommitmentStatus.ENABLED;
        } else if (now < c.endedAtMillis()) {
            status = CommitmentStatus.ENABLED_UNTIL_EARLIEST_ALLOWED_END;
        } else {
            status = CommitmentStatus.DISABLED;
        }
        return new Commitment(status, c.startedAtMillis(), c.endedAtMillis(), c.earliestAllowedEndMillis());
    }

    /**
     * UpdateAccountSettings: ENABLED starts a commitment (or keeps the one running, or takes back a pending end);
     * DISABLED ends it now, or at its earliest allowed end when that is later (ENABLED_UNTIL_EARLIEST_ALLOWED_END
     * until then). Kept in the data directory.
     *
     * @param status {@code ENABLED} or {@code DISABLED}
     * @return the commitment afterwards
     * @throws StoreException ValidationException for any other status
     */
    public Commitment updateCommitment(String status) {
        if (status == null) {
            throw StoreException.validation("1 validation error detected: Value null at"
                    + " 'minimumThroughputBillingCommitment.status' failed to satisfy constraint: Member must not be"
                    + " null");
        }
        if (!"ENABLED".equals(status) && !"DISABLED".equals(status)) {
            throw StoreException.validation("1 validation error detected: Value '" + status + "' at"
                    + " 'minimumThroughputBillingCommitment.status' failed to satisfy constraint: Member must satisfy"
                    + " enum value set: [ENABLED, DISABLED]");
        }
        long now = time.millis();
        synchronized (accountLock) {
            Commitment current = commitmentAt(now);
            DataDirectory.SavedCommitment next = commitment;
            if ("ENABLED".equals(status)) {
                if (current.status() == CommitmentStatus.DISABLED) {
                    next = new DataDirectory.SavedCommitment(now, now + COMMITMENT_MINIMUM_MILLIS, -1);
                } else if (current.status() == CommitmentStatus.ENABLED_UNTIL_EARLIEST_ALLOWED_END) {
                    next = new DataDirectory.SavedCommitment(next.startedAtMillis(), next.earliestAllowedEndMillis(),
                            -1);
                }
            } else if (current.status() == CommitmentStatus.ENABLED) {
                next = new DataDirectory.SavedCommitment(next.startedAtMillis(), next.earliestAllowedEndMillis(),
                        Math.max(now, next.earliestAllowedEndMillis()));
            }
            if (!next.equals(commitment)) {
                if (data != null) {
                    data.saveAccount(next);
                }
                commitment = next;
            }
            return commitmentAt(now);
        }
    }

    // ---------------------------------------------------------------- warm throughput

    /** The highest warm throughput of an on-demand stream: 10 GiB/s, Kinesis' default limit. */
    public static final int MAX_WARM_THROUGHPUT_MIBPS = 10 * 1024;

    /** UpdateStreamWarmThroughput's answer: the stream, the new target and the throughput it handles now (MiB/s). */
    public record WarmThroughput(StreamState stream, int targetMiBps, int currentMiBps) {
    }

    /**
     * UpdateStreamWarmThroughput: an ACTIVE on-demand stream of an account with the minimum throughput billing
     * commitment enabled scales to {@code mibps}; it is UPDATING for the transition time and then reports the target
     * as current. Locally the value is reported only: it changes neither shards nor write limits.
     *
     * @param name     the stream's name, or null
     * @param arn      the stream's ARN, or null
     * @param streamId the stream's id, optional; when given with a name or ARN it must be that stream's
     * @param mibps    the target warm throughput, MiB/s, up to {@link #MAX_WARM_THROUGHPUT_MIBPS}
     * @return the stream, its new target and its current throughput
     * @throws StoreException when Kinesis would refuse the request, with its error code (ResourceNotFoundException
     *                        for an unknown stream)
     */
    public WarmThroughput updateWarmThroughput(String name, String arn, String streamId, Integer mibps) {
        if (mibps == null) {
            throw StoreException.validation("1 validation error detected: Value null at 'warmThroughputMiBps' failed"
                    + " to satisfy constraint: Member must not be null");
        }
        if (mibps < 0) {
            checkWarmThroughput(name, StreamState.Mode.ON_DEMAND, mibps);
        }
        StreamState stream = streamOf(name, arn, streamId);
        long now = time.millis();
        StreamState.Status status = stream.status(now);
        if (status != StreamState.Status.ACTIVE) {
            throw StoreException.inUse("Stream " + stream.name() + " under account " + settings.accountId()
                    + " not ACTIVE, instead in state " + status);
        }
        checkWarmThroughput(stream.name(), stream.mode(), mibps);
        synchronized (stream.lock) {
            long readyAt = now + settings.transitionMillis();
            stream.warmThroughput(mibps, now, readyAt);
            stream.busyUntil(readyAt, StreamState.Status.UPDATING);
            persist(stream);
            int[] warm = stream.warmThroughput(now);
            return new WarmThroughput(stream, warm[0], warm[1]);
        }
    }

    private void checkWarmThroughput(String streamName, StreamState.Mode mode, int mibps) {
        if (mibps < 0) {
            throw StoreException.validation("1 validation error detected: Value '" + mibps + "' at"
                    + " 'warmThroughputMiBps' failed to satisfy constraint: Member must have value greater than or"
                    + " equal to 0");
        }
        if (mode != StreamState.Mode.ON_DEMAND) {
            throw StoreException.validation("Stream " + streamName + " under account " + settings.accountId()
                    + " is in PROVISIONED mode; warm throughput is only supported for ON_DEMAND streams.");
        }
        if (commitment().status() == CommitmentStatus.DISABLED) {
            throw StoreException.invalid("Warm throughput requires the account's MinimumThroughputBillingCommitment"
                    + " to be enabled (UpdateAccountSettings).");
        }
        if (mibps > MAX_WARM_THROUGHPUT_MIBPS) {
            throw StoreException.limit("WarmThroughputMiBps " + mibps + " exceeds the limit of "
                    + MAX_WARM_THROUGHPUT_MIBPS + " MiBps for an on-demand stream under account "
                    + settings.accountId() + ".");
        }
    }

    /**
     * A stream by name and/or ARN, or by its id alone; an id given with either must be that stream's.
     *
     * @param name     the stream's name, or null
     * @param arn      the stream's ARN, or null
     * @param streamId the stream's id, or null to address it by name and/or ARN only
     * @return the stream
     * @throws StoreException ResourceNotFoundException, or InvalidArgumentException when the identifiers disagree
     */
    public StreamState stream(String name, String arn, String streamId) {
        return streamOf(name, arn, streamId);
    }

    private StreamState streamOf(String name, String arn, String streamId) {
        if (streamId == null) {
            return stream(name, arn);
        }
        if (!STREAM_ID.matcher(streamId).matches()) {
            throw StoreException.validation("1 validation error detected: Value '" + streamId + "' at 'streamId'"
                    + " failed to satisfy constraint: Member must satisfy regular expression pattern:"
                    + " [a-z0-9]{20}-[a-z0-9]{3}");
        }
        if (name == null && arn == null) {
            for (StreamState s : streams()) {
                if (s.streamId().equals(streamId)) {
                    return s;
                }
            }
            throw StoreException.notFound("Stream with id " + streamId + " under account " + settings.accountId()
                    + " not found.");
        }
        StreamState stream = stream(name, arn);
        if (!stream.streamId().equals(streamId)) {
            throw StoreException.invalid("StreamId " + streamId + " does not refer to stream " + stream.name() + ".");
        }
        return stream;
    }
}
