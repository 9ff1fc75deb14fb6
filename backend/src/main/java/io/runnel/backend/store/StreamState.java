package io.runnel.backend.store;

import io.runnel.wire.HashKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One stream: its metadata, every shard it still holds (open and closed), and the routing table of its open
 * shards. Metadata changes take the stream's lock; puts read the routing table, an immutable snapshot published
 * through a volatile field, without locking.
 */
public final class StreamState {
    /** Stream status as Kinesis reports it. */
    public enum Status {
        /** Being created, for the store's transition time. */
        CREATING,
        /** Ready for reads and writes. */
        ACTIVE,
        /** Being resharded or reconfigured, for the transition time. */
        UPDATING,
        /** Being deleted; gone after the transition time. */
        DELETING
    }

    /** Capacity mode. */
    public enum Mode {
        /** A shard count changed only by requests (UpdateShardCount, SplitShard, MergeShards). */
        PROVISIONED,
        /** Shards follow the write load (see {@link OnDemandScaling}). */
        ON_DEMAND
    }

    private final String name;
    private final String arn;
    private final String streamId;
    private final long creationMillis;
    private final AtomicLong counter;
    final Object lock = new Object();

    // guarded by lock
    private Mode mode;
    private int retentionHours = 24;
    private long activeAtMillis;
    private Status busyStatus = Status.CREATING;
    private long deletedAtMillis = -1;
    private final List<ShardState> shards = new ArrayList<>();
    private final Map<String, String> tags = new TreeMap<>();
    private final List<String> shardLevelMetrics = new ArrayList<>();
    private final List<ConsumerState> consumers = new ArrayList<>();
    private final Map<String, String> policies = new TreeMap<>(); // resource ARN (this stream or a consumer) → policy
    private final Map<String, Map<String, String>> consumerTags = new TreeMap<>(); // consumer ARN → its tags
    private String encryptionType = "NONE";
    private int maxRecordSizeKiB = 1024;
    private volatile boolean autoDistribution; // RecordDistributionStrategy AUTO
    private final java.util.concurrent.atomic.AtomicInteger autoCursor =
            new java.util.concurrent.atomic.AtomicInteger();
    private String keyId;
    private int nextShardIndex;
    private int warmTargetMiBps = -1; // -1: never set; on-demand streams only
    private int warmPreviousMiBps; // what the stream handled before the last UpdateStreamWarmThroughput
    private long warmReadyAtMillis; // from then on the stream handles warmTargetMiBps

    private volatile Routing routing = new Routing(new ShardState[0]);

    StreamState(String name, String arn, String streamId, long creationMillis, Mode mode, long activeAtMillis) {
        this.name = name;
        this.arn = arn;
        this.streamId = streamId;
        this.creationMillis = creationMillis;
        this.counter = new AtomicLong(SequenceNumbers.initialCounter(creationMillis));
        this.mode = mode;
        this.activeAtMillis = activeAtMillis;
    }

    /** {@return the stream's name} */
    public String name() {
        return name;
    }

    /** {@return the stream's ARN} */
    public String arn() {
        return arn;
    }

    /**
     * {@return the stream's id, {@code [a-z0-9]{20}-[a-z0-9]{3}}: made once when the stream is created, never reused}
     */
    public String streamId() {
        return streamId;
    }

    /**
     * The warm throughput at {@code nowMillis}, or null when it was never set: {@code [target, current]} in MiB/s,
     * where current is the previous value until the update completes.
     *
     * @param nowMillis the time, epoch millis
     * @return a new array {@code [target, current]}, or null
     */
    public int[] warmThroughput(long nowMillis) {
        synchronized (lock) {
            if (warmTargetMiBps < 0) {
                return null;
            }
            return new int[] {warmTargetMiBps, nowMillis >= warmReadyAtMillis ? warmTargetMiBps : warmPreviousMiBps};
        }
    }

    /** Scales the warm throughput to {@code targetMiBps}, reached at {@code readyAtMillis}. */
    void warmThroughput(int targetMiBps, long nowMillis, long readyAtMillis) {
        synchronized (lock) {
            int[] now = warmThroughput(nowMillis);
            warmPreviousMiBps = now == null ? 0 : now[1];
            warmTargetMiBps = targetMiBps;
            warmReadyAtMillis = readyAtMillis;
        }
    }

    /** Restores the warm throughput state as saved. */
    void restoreWarmThroughput(int targetMiBps, int previousMiBps, long readyAtMillis) {
        synchronized (lock) {
            warmTargetMiBps = targetMiBps;
            warmPreviousMiBps = previousMiBps;
            warmReadyAtMillis = readyAtMillis;
        }
    }

    /** The saved form of the warm throughput: target (-1: never set), previous value, ready time. */
    long[] warmThroughputState() {
        synchronized (lock) {
            return new long[] {warmTargetMiBps, warmPreviousMiBps, warmReadyAtMillis};
        }
    }

    /** {@return when the stream was created, epoch millis (its StreamCreationTimestamp)} */
    public long creationMillis() {
        return creationMillis;
    }

    AtomicLong counter() {
        return counter;
    }

    /**
     * Status at a time: transitions happen lazily, when time has come, with no timer thread.
     *
     * @param nowMillis the time, epoch millis
     * @return the status then
     */
    public Status status(long nowMillis) {
        synchronized (lock) {
            if (deletedAtMillis >= 0) {
                return Status.DELETING;
            }
            if (nowMillis >= activeAtMillis) {
                return Status.ACTIVE;
            }
            return busyStatus;
        }
    }

    /** {@return the capacity mode} */
    public Mode mode() {
        synchronized (lock) {
            return mode;
        }
    }

    void mode(Mode mode) {
        synchronized (lock) {
            this.mode = mode;
        }
    }

    /** {@return how many hours records are kept} */
    public int retentionHours() {
        synchronized (lock) {
            return retentionHours;
        }
    }

    void retentionHours(int hours) {
        synchronized (lock) {
            this.retentionHours = hours;
        }
    }

    /** The stream reports {@code status} (CREATING or UPDATING) until {@code millis}, then ACTIVE. */
    void busyUntil(long millis, Status status) {
        synchronized (lock) {
            activeAtMillis = Math.max(activeAtMillis, millis);
            busyStatus = status;
        }
    }

    boolean isBusy(long nowMillis) {
        synchronized (lock) {
            return nowMillis < activeAtMillis;
        }
    }

    void markDeleted(long nowMillis) {
        synchronized (lock) {
            deletedAtMillis = nowMillis;
        }
    }

    long deletedAtMillis() {
        synchronized (lock) {
            return deletedAtMillis;
        }
    }

    /** {@return every shard still held (open or closed but not yet trimmed away), in index order} */
    public List<ShardState> shards() {
        synchronized (lock) {
            return List.copyOf(shards);
        }
    }

    /** {@return the open shards, in hash key order} */
    public List<ShardState> openShards() {
        return List.of(routing.byStart);
    }

    /**
     * A shard by id.
     *
     * @param shardId a shard id such as {@code shardId-000000000000}
     * @return the shard, or null when the stream holds none with that id
     */
    public ShardState shard(String shardId) {
        synchronized (lock) {
            for (ShardState s : shards) {
                if (s.shardId().equals(shardId)) {
                    return s;
                }
            }
            return null;
        }
    }

    ShardState shard(int index) {
        synchronized (lock) {
            for (ShardState s : shards) {
                if (s.index() == index) {
                    return s;
                }
            }
            return null;
        }
    }

    int nextShardIndex() {
        synchronized (lock) {
            return nextShardIndex;
        }
    }

    void nextShardIndex(int next) {
        synchronized (lock) {
            nextShardIndex = next;
        }
    }

    long activeAtMillis() {
        synchronized (lock) {
            return activeAtMillis;
        }
    }

    Status busyStatus() {
        synchronized (lock) {
            return busyStatus;
        }
    }

    void restoreDeletedAt(long millis) {
        synchronized (lock) {
            deletedAtMillis = millis;
        }
    }

    int allocateShardIndex() {
        synchronized (lock) {
            return nextShardIndex++;
        }
    }

    void addShard(ShardState shard) {
        synchronized (lock) {
            shards.add(shard);
        }
    }

    void removeShard(ShardState shard) {
        synchronized (lock) {
            shards.remove(shard);
        }
    }

    /** Republishes the routing table from the open shards; call after any shard opened or closed. */
    void reroute() {
        synchronized (lock) {
            routing = new Routing(shards.stream().filter(ShardState::isOpen)
                    .sorted((a, b) -> a.hashKeyRange().startInclusive().compareTo(b.hashKeyRange().startInclusive()))
                    .toArray(ShardState[]::new));
        }
    }

    /** The open shard that owns {@code hashKey}, or null while none does (mid-reshard). */
    ShardState route(HashKey hashKey) {
        return routing.find(hashKey);
    }

    /** AUTO distribution: the open shards in turn, whatever the record's keys. Null while there is none. */
    ShardState routeEvenly() {
        ShardState[] open = routing.byStart;
        if (open.length == 0) {
            return null;
        }
        return open[Math.floorMod(autoCursor.getAndIncrement(), open.length)];
    }

    /** {@return the RecordDistributionStrategy: {@code AUTO} or {@code USER_PARTITION_KEY}} */
    public String recordDistributionStrategy() {
        return autoDistribution ? "AUTO" : "USER_PARTITION_KEY";
    }

    /** {@return whether the strategy is {@code AUTO}} */
    public boolean autoDistribution() {
        return autoDistribution;
    }

    void recordDistributionStrategy(String strategy) {
        this.autoDistribution = "AUTO".equals(strategy);
    }

    /** {@return the largest record (data plus partition key) the stream takes, in KiB} */
    public int maxRecordSizeKiB() {
        synchronized (lock) {
            return maxRecordSizeKiB;
        }
    }

    void maxRecordSizeKiB(int kib) {
        synchronized (lock) {
            this.maxRecordSizeKiB = kib;
        }
    }

    /** {@return the stream's tags, a sorted snapshot} */
    public Map<String, String> tags() {
        synchronized (lock) {
            return Collections.unmodifiableMap(new TreeMap<>(tags));
        }
    }

    Map<String, String> mutableTags() {
        return tags;
    }

    /** {@return the enhanced shard-level metrics enabled, a snapshot} */
    public List<String> shardLevelMetrics() {
        synchronized (lock) {
            return List.copyOf(shardLevelMetrics);
        }
    }

    List<String> mutableShardLevelMetrics() {
        return shardLevelMetrics;
    }

    /** {@return the registered consumers, in registration order (DELETING ones included until they are gone)} */
    public List<ConsumerState> consumers() {
        synchronized (lock) {
            return List.copyOf(consumers);
        }
    }

    List<ConsumerState> mutableConsumers() {
        return consumers;
    }

    /**
     * {@return the resource policies by resource ARN: this stream's and its consumers'} Policies are kept, never
     * evaluated.
     */
    public Map<String, String> policies() {
        synchronized (lock) {
            return Collections.unmodifiableMap(new TreeMap<>(policies));
        }
    }

    Map<String, String> mutablePolicies() {
        return policies;
    }

    /** {@return the tags of each consumer that has any, by consumer ARN, in key order} */
    public Map<String, Map<String, String>> consumerTags() {
        synchronized (lock) {
            Map<String, Map<String, String>> copy = new TreeMap<>();
            consumerTags.forEach((arn, tags) -> copy.put(arn, Collections.unmodifiableMap(new TreeMap<>(tags))));
            return Collections.unmodifiableMap(copy);
        }
    }

    /** The mutable tag map of a consumer, created when {@code create} and missing; null when missing otherwise. */
    Map<String, String> mutableConsumerTags(String consumerArn, boolean create) {
        return create ? consumerTags.computeIfAbsent(consumerArn, a -> new TreeMap<>()) : consumerTags.get(consumerArn);
    }

    /** Forgets the tags and policy of a consumer that is gone. */
    void forgetConsumer(String consumerArn) {
        consumerTags.remove(consumerArn);
        policies.remove(consumerArn);
    }

    /** {@return the EncryptionType, {@code NONE} or {@code KMS}} */
    public String encryptionType() {
        synchronized (lock) {
            return encryptionType;
        }
    }

    /** {@return the KMS key id of server-side encryption, or null without it} */
    public String keyId() {
        synchronized (lock) {
            return keyId;
        }
    }

    void encryption(String type, String keyId) {
        synchronized (lock) {
            this.encryptionType = type;
            this.keyId = keyId;
        }
    }

    /** Open shards sorted by starting hash key, searched by binary search. Immutable. */
    private static final class Routing {
        final ShardState[] byStart;

        Routing(ShardState[] byStart) {
            this.byStart = byStart;
        }

        ShardState find(HashKey key) {
            int lo = 0;
            int hi = byStart.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                ShardState s = byStart[mid];
                if (key.compareTo(s.hashKeyRange().startInclusive()) < 0) {
                    hi = mid - 1;
                } else if (key.compareTo(s.hashKeyRange().endInclusive()) > 0) {
                    lo = mid + 1;
                } else {
                    return s;
                }
            }
            return null;
        }
    }
}
