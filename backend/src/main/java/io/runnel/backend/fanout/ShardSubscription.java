package io.runnel.backend.fanout;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.runnel.backend.api.Models;
import io.runnel.backend.store.SequenceNumbers;
import io.runnel.backend.store.ShardLog;
import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StoredRecord;
import io.runnel.backend.store.StreamState;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.internal.TokenBucket;
import io.runnel.wire.model.ChildShard;
import io.runnel.wire.model.StreamRecord;
import io.runnel.wire.model.SubscribeToShardEvent;
import io.runnel.wire.model.SubscribeToShardResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SubscribeToShard subscription: pushes a shard's records to one HTTP response as {@code SubscribeToShardEvent}s.
 *
 * <p>It reads when the shard log reports an append (no polling), only while the channel is writable (HTTP/2 flow
 * control and the socket's buffer bound what is queued), at most 2 MiB per second with limits on. The first event goes
 * out at once, with records or without, and an empty one follows every few seconds while caught up, so that the
 * consumer's ContinuationSequenceNumber stays fresh. It ends
 * with the shard's ChildShards once a closed shard is read to its end, after its duration, or with an exception
 * event when its stream or consumer goes away.
 *
 * <p>All its state is confined to the channel handler's executor; {@link #wakeUp()} may be called from any thread.
 */
public final class ShardSubscription {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSubscription.class);
    /** Most records in one event (GetRecords' limit). */
    static final int MAX_RECORDS_PER_EVENT = 10_000;
    /** Data per event beyond its first record. */
    static final long MAX_BYTES_PER_EVENT = 1024 * 1024;
    /** An empty event after this much quiet, as Kinesis sends. */
    static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long TICK_MILLIS = 1000;
    /** Events written in one go before yielding the executor to other channels. */
    private static final int EVENTS_PER_TURN = 16;

    private final FanOut owner;
    private final String key;
    private final ChannelHandlerContext ctx;
    private final EventExecutor executor;
    private final KinesisCodec codec;
    private final StreamState stream;
    private final ShardState shard;
    private final String consumerArn;
    private final long endNanos;
    private final TokenBucket budget; // null: limits off
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Runnable wake = this::wakeUp;
    private volatile long millisBehindLatest; // of the last event sent; read by tools
    // confined to executor
    private long position;
    private long lastCounter;
    private long lastEventNanos;
    private long sentEvents; // SubscribeToShardEvents; the first goes out at once, records or not
    private boolean done;
    private ScheduledFuture<?> ticker;
    private ScheduledFuture<?> expiry;
    private ScheduledFuture<?> throttled;

    /** {@return the subscribing consumer's ARN} */
    public String consumerArn() {
        return consumerArn;
    }

    /** {@return the shard read} */
    public String shardId() {
        return shard.shardId();
    }

    /** {@return how far behind the shard's newest record the last event was (its MillisBehindLatest)} */
    public long millisBehindLatest() {
        return millisBehindLatest;
    }

    ShardSubscription(FanOut owner, String key, ChannelHandlerContext ctx, KinesisCodec codec, StreamState stream,
            ShardState shard, String consumerArn, long position, long endNanos) {
        this.owner = owner;
        this.key = key;
        this.ctx = ctx;
        this.executor = ctx.executor();
        this.codec = codec;
        this.stream = stream;
        this.shard = shard;
        this.consumerArn = consumerArn;
        this.position = position;
        this.endNanos = endNanos;
        this.budget = owner.limitsEnabled() ? new TokenBucket(FanOut.BYTES_PER_SECOND, FanOut.BYTES_PER_SECOND) : null;
        long before = shard.log().counterBefore(position);
        this.lastCounter = before >= 0 ? before : shard.startingCounter();
    }

    void start(String requestId, boolean chunked) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, EventStreamEncoder.CONTENT_TYPE);
        head.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date(owner.time().millis())));
        head.headers().set("x-amzn-RequestId", requestId);
        if (chunked) {
            HttpUtil.setTransferEncodingChunked(head, true);
        }
        ctx.write(head);
        write(EventStreamEncoder.event("initial-response", codec.contentType(),
                codec.encode(new SubscribeToShardResponse())));
        lastEventNanos = owner.time().nanos();
        shard.log().addListener(wake);
        long remaining = Math.max(0, endNanos - owner.time().nanos());
        expiry = executor.schedule(this::expire, remaining, TimeUnit.NANOSECONDS);
        ticker = executor.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        pump();
    }

    /** {@return whether the subscription has ended (normally or not)} */
    public boolean isDone() {
        return done;
    }

    /** The channel became writable again: continue. Call on the executor. */
    public void resume() {
        pump();
    }

    /** The client went away: stop without writing. Call on the executor. */
    public void cancel() {
        if (!done) {
            cleanUp();
        }
    }

    /** New records or a closed shard: pump on the executor (coalesced). Any thread. */
    void wakeUp() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    wakePending.set(false);
                    pump();
                });
            } catch (RejectedExecutionException shuttingDown) {
                wakePending.set(false);
            }
        }
    }

    private void pump() {
        int events = 0;
        while (!done && ctx.channel().isWritable()) {
            if (stream.status(owner.time().millis()) == StreamState.Status.DELETING) {
                fail(StoreException.RESOURCE_NOT_FOUND, "Stream " + stream.name() + " under account "
                        + owner.store().settings().accountId() + " was deleted.");
                return;
            }
            long now = owner.time().nanos();
            if (budget != null && !budget.hasAny(now)) {
                waitForBudget(now);
                return;
            }
            ShardLog log = shard.log();
            boolean closed = log.isClosed(); // before reading: a closed shard gets no more records
            ShardLog.Read read = log.read(position, MAX_RECORDS_PER_EVENT, MAX_BYTES_PER_EVENT);
            boolean atEnd = read.nextPosition() >= read.endPosition();
            boolean last = closed && atEnd;
            if (read.records().isEmpty() && !last && sentEvents > 0) {
                return; // caught up: the next append wakes us
            }
            if (budget != null) {
                long bytes = 0;
                for (StoredRecord r : read.records()) {
                    bytes += r.billedBytes();
                }
                budget.take(bytes, now);
            }
            long behind = 0;
            if (!atEnd) {
                StoredRecord newest = read.records().get(read.records().size() - 1);
                behind = Math.max(0, owner.time().millis() - newest.arrivalMillis());
            }
            List<StreamRecord> records = new ArrayList<>(read.records().size());
            for (StoredRecord r : read.records()) {
                records.add(new StreamRecord(SequenceNumbers.format(r.counter(), shard.index()),
                        Instant.ofEpochMilli(r.arrivalMillis()), r.data(), r.partitionKey(), null));
                lastCounter = r.counter();
            }
            position = read.nextPosition();
            List<ChildShard> children = null;
            if (last) {
                children = new ArrayList<>();
                for (ShardState child : owner.store().childrenOf(stream, shard)) {
                    children.add(Models.child(child));
                }
            }
            millisBehindLatest = behind;
            sendEvent(new SubscribeToShardEvent(records, last ? null : continuation(), behind, children), now);
            if (last) {
                finish();
                return;
            }
            if (++events == EVENTS_PER_TURN) {
                wakeUp(); // more may be waiting: continue after other channels had a turn
                return;
            }
        }
    }

    private String continuation() {
        return SequenceNumbers.format(lastCounter, shard.index());
    }

    private void waitForBudget(long now) {
        if (throttled == null || throttled.isDone()) {
            long wait = Math.max(TimeUnit.MILLISECONDS.toNanos(1), budget.nanosUntil(1, now));
            throttled = executor.schedule(this::pump, wait, TimeUnit.NANOSECONDS);
        }
    }

    private void tick() {
        if (done) {
            return;
        }
        if (owner.time().nanos() - endNanos >= 0) {
            expire(); // the backend's clock says the subscription is over, whether or not its timer fired yet
            return;
        }
        try {
            String status = owner.store().consumer(null, null, consumerArn).getValue().status(owner.time().millis());
            if (!"ACTIVE".equals(status)) {
                fail(StoreException.RESOURCE_NOT_FOUND, "Consumer " + consumerArn + " is " + status + ".");
                return;
            }
        } catch (StoreException gone) {
            fail(gone.errorCode(), gone.getMessage());
            return;
        }
        long now = owner.time().nanos();
        if (now - lastEventNanos >= HEARTBEAT_NANOS && ctx.channel().isWritable()
                && position >= shard.log().endPosition() && !shard.log().isClosed()) {
            sendEvent(new SubscribeToShardEvent(List.of(), continuation(), 0L, null), now);
        }
        pump();
    }

    private void sendEvent(SubscribeToShardEvent event, long nowNanos) {
        write(EventStreamEncoder.event("SubscribeToShardEvent", codec.contentType(), codec.encode(event)));
        lastEventNanos = nowNanos;
        sentEvents++;
    }

    private void write(byte[] message) {
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(message)))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    /** Ends the event stream with a modelled exception event. */
    private void fail(String errorCode, String message) {
        LOG.debug("subscription {} ends with {}: {}", key, errorCode, message);
        java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream(64 + message.length());
        codec.encodeError(null, message, payload);
        write(EventStreamEncoder.exception(errorCode, codec.contentType(), payload.toByteArray()));
        finish();
    }

    private void expire() {
        if (!done) {
            finish();
        }
    }

    /** Ends the event stream normally. */
    private void finish() {
        cleanUp();
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private void cleanUp() {
        done = true;
        shard.log().removeListener(wake);
        for (ScheduledFuture<?> f : new ScheduledFuture<?>[] {ticker, expiry, throttled}) {
            if (f != null) {
                f.cancel(false);
            }
        }
        owner.release(key, this);
    }
}
