package io.runnel.backend.fanout;

import io.netty.channel.ChannelHandlerContext;
import io.runnel.backend.store.ConsumerState;
import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.model.StartingPosition;
import io.runnel.wire.model.SubscribeToShardRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The SubscribeToShard subscriptions of one backend: checks each request as Kinesis does, admits at most one active
 * subscription per consumer and shard, and hands the admitted ones a {@link ShardSubscription} that pushes records
 * until its duration (five minutes on Kinesis) has passed.
 *
 * <p>Thread-safe.
 */
public final class FanOut {
    /** How long a subscription lasts on Kinesis. */
    public static final Duration DEFAULT_SUBSCRIPTION_DURATION = Duration.ofMinutes(5);
    /** Kinesis' read limit per consumer and shard: 2 MiB per second. */
    public static final long BYTES_PER_SECOND = 2L * 1024 * 1024;

    private final StreamStore store;
    private final TimeSource time;
    private final long durationNanos;
    private final ConcurrentMap<String, ShardSubscription> active = new ConcurrentHashMap<>();

    /**
     * The subscriptions of one backend, none yet.
     *
     * @param store                the streams subscribed to
     * @param time                 the clock for durations, heartbeats and read limits
     * @param subscriptionDuration how long each subscription lasts before its event stream ends (positive)
     * @throws NullPointerException     when {@code store} or {@code time} is null
     * @throws IllegalArgumentException when {@code subscriptionDuration} is not positive
     */
    public FanOut(StreamStore store, TimeSource time, Duration subscriptionDuration) {
        this.store = Objects.requireNonNull(store, "store");
        this.time = Objects.requireNonNull(time, "time");
        if (subscriptionDuration.isNegative() || subscriptionDuration.isZero()) {
            throw new IllegalArgumentException("subscriptionDuration must be positive, was " + subscriptionDuration);
        }
        this.durationNanos = subscriptionDuration.toNanos();
    }

    /**
     * Checks a SubscribeToShard request and starts its subscription on {@code ctx}'s channel: the HTTP response
     * head, the {@code initial-response} event, then events as records arrive. Call on {@code ctx.executor()}; the
     * subscription then runs there, woken by the shard log's appends and its own timer.
     *
     * @param ctx       the channel handler context the response is written through
     * @param codec     encodes the event payloads (the request's protocol)
     * @param request   the decoded request
     * @param requestId the {@code x-amzn-RequestId} of the response
     * @param chunked   whether the response needs chunked transfer encoding (HTTP/1.1)
     * @return the running subscription, removed from this fan-out when it ends
     * @throws StoreException the Kinesis error, before anything was written: ResourceNotFoundException for an
     *                        unknown consumer, stream or shard, ResourceInUseException for a consumer that is not
     *                        ACTIVE or a consumer and shard that already have a subscription,
     *                        InvalidArgumentException or ValidationException for a bad starting position
     */
    public ShardSubscription subscribe(ChannelHandlerContext ctx, KinesisCodec codec, SubscribeToShardRequest request,
            String requestId, boolean chunked) {
        StartingPosition start = request.startingPosition();
        StreamStore.IteratorType type;
        try {
            type = StreamStore.IteratorType.valueOf(start.type());
        } catch (IllegalArgumentException e) {
            throw new StoreException(StoreException.VALIDATION, "1 validation error detected: Value '" + start.type()
                    + "' at 'startingPosition.type' failed to satisfy constraint: Member must satisfy enum value set:"
                    + " [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
        }
        Map.Entry<StreamState, ConsumerState> found = store.consumer(null, null, request.consumerARN());
        StreamState stream = found.getKey();
        ConsumerState consumer = found.getValue();
        String status = consumer.status(time.millis());
        if (!"ACTIVE".equals(status)) {
            throw new StoreException(StoreException.RESOURCE_IN_USE, "Consumer " + consumer.arn() + " under account "
                    + store.settings().accountId() + " is " + status + ", not ACTIVE.");
        }
        store.streamForWrite(stream.name(), null);
        ShardState shard = stream.shard(request.shardId());
        if (shard == null) {
            throw new StoreException(StoreException.RESOURCE_NOT_FOUND, "Shard " + request.shardId() + " in stream "
                    + stream.name() + " under account " + store.settings().accountId() + " does not exist");
        }
        long position = store.startPosition(stream, shard, type, start.sequenceNumber(),
                start.timestamp() == null ? null : start.timestamp().toEpochMilli(), "SubscribeToShard");
        String key = consumer.arn() + "|" + shard.shardId();
        ShardSubscription subscription = new ShardSubscription(this, key, ctx, codec, stream, shard, consumer.arn(),
                position, time.nanos() + durationNanos);
        if (active.putIfAbsent(key, subscription) != null) {
            throw new StoreException(StoreException.RESOURCE_IN_USE, "Another active subscription exists for consumer "
                    + consumer.arn() + " and shard " + shard.shardId() + ".");
        }
        try {
            subscription.start(requestId, chunked);
        } catch (RuntimeException e) {
            active.remove(key, subscription);
            throw e;
        }
        return subscription;
    }

    /** {@return the number of subscriptions now running} */
    public int activeCount() {
        return active.size();
    }

    /** {@return the subscriptions now running (a snapshot; each keeps its own lag up to date)} */
    public java.util.List<ShardSubscription> active() {
        return java.util.List.copyOf(active.values());
    }

    StreamStore store() {
        return store;
    }

    TimeSource time() {
        return time;
    }

    boolean limitsEnabled() {
        return store.settings().limitsEnabled();
    }

    void release(String key, ShardSubscription subscription) {
        active.remove(key, subscription);
    }
}
