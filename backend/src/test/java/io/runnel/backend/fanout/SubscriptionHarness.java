package io.runnel.backend.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.runnel.backend.api.KinesisApi;
import io.runnel.backend.http.KinesisRequestHandler;
import io.runnel.backend.store.IteratorTokens;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.model.SubscribeToShardRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * A store with one stream and an ACTIVE consumer, a {@link FanOut}, and SubscribeToShard requests sent through a
 * {@link KinesisRequestHandler} on Netty {@link EmbeddedChannel}s whose clocks move with the store's, by hand.
 */
final class SubscriptionHarness implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The store's clock; each advance also moves every channel's scheduler. */
    final class Clock implements TimeSource {
        private volatile long millis = 1_764_000_000_000L;
        private volatile long nanos = 5_000_000_000L;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public long nanos() {
            return nanos;
        }

        void advance(Duration d) {
            millis += d.toMillis();
            nanos += d.toNanos();
            for (EmbeddedChannel ch : channels) {
                ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
                ch.runScheduledPendingTasks();
                ch.runPendingTasks();
            }
        }
    }

    final Clock time = new Clock();
    final StreamStore store;
    final FanOut fanOut;
    final KinesisApi api;
    final String consumerArn;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    SubscriptionHarness(boolean limits, Duration duration, int shards) {
        store = new StreamStore(StoreSettings.defaults().withTransitionMillis(0).withLimits(limits), time,
                new IteratorTokens());
        store.createStream("s", shards, StreamState.Mode.PROVISIONED);
        consumerArn = store.registerConsumer(store.arnOf("s"), "app").arn();
        fanOut = new FanOut(store, time, duration);
        api = new KinesisApi(store, time, null);
    }

    EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel(new KinesisRequestHandler(api, null, time, fanOut));
        ch.freezeTime();
        channels.add(ch);
        return ch;
    }

    static FullHttpRequest request(String json) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/",
                Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
        r.headers().set("Content-Type", "application/x-amz-json-1.1");
        r.headers().set("X-Amz-Target", SubscribeToShardRequest.TARGET);
        r.headers().set("Content-Length", r.content().readableBytes());
        return r;
    }

    /** Sends SubscribeToShard on a new channel and returns it. */
    EmbeddedChannel subscribe(String shardId, String startingPosition) {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request("{\"ConsumerARN\":\"" + consumerArn + "\",\"ShardId\":\"" + shardId
                + "\",\"StartingPosition\":" + startingPosition + "}"));
        ch.runPendingTasks();
        return ch;
    }

    /** Appends records to stream {@code s} with partition key {@code k}. */
    List<String> put(String... data) {
        List<String> sequenceNumbers = new ArrayList<>();
        StreamState s = store.streamForWrite("s", null);
        for (String d : data) {
            byte[] bytes = d.getBytes(StandardCharsets.UTF_8);
            var out = store.put(s, store.hashKeyOf("k", null, bytes), "k", bytes);
            assertThat(out.throttled()).isFalse();
            sequenceNumbers.add(out.sequenceNumber());
        }
        runAll();
        return sequenceNumbers;
    }

    void runAll() {
        for (EmbeddedChannel ch : channels) {
            ch.runPendingTasks();
        }
    }

    /** What a channel wrote so far: the response head (once), event-stream messages, and whether the body ended. */
    static final class Output {
        HttpResponse head;
        FullHttpResponse error;
        final List<Message> messages = new ArrayList<>();
        boolean ended;
        private final MessageDecoder decoder = new MessageDecoder(messages::add);

        List<JsonNode> events() throws Exception {
            List<JsonNode> out = new ArrayList<>();
            for (Message m : messages) {
                if (m.getHeaders().get(":event-type").getString().equals("SubscribeToShardEvent")) {
                    out.add(JSON.readTree(m.getPayload()));
                }
            }
            return out;
        }

        List<String> records() throws Exception {
            List<String> out = new ArrayList<>();
            for (JsonNode e : events()) {
                for (JsonNode r : e.get("Records")) {
                    out.add(new String(java.util.Base64.getDecoder().decode(r.get("Data").asText()),
                            StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }

    /** Reads everything {@code ch} wrote since the last call into {@code out}. */
    static Output drain(EmbeddedChannel ch, Output out) {
        Object o;
        while ((o = ch.readOutbound()) != null) {
            try {
                if (o instanceof FullHttpResponse full) {
                    out.error = full.retainedDuplicate();
                } else if (o instanceof HttpResponse head) {
                    assertThat(out.head).as("one response head").isNull();
                    out.head = head;
                }
                if (o instanceof HttpContent c && !(o instanceof FullHttpResponse)) {
                    ByteBuf b = c.content();
                    byte[] bytes = new byte[b.readableBytes()];
                    b.getBytes(b.readerIndex(), bytes);
                    out.decoder.feed(bytes);
                    if (o instanceof LastHttpContent) {
                        out.ended = true;
                    }
                }
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
        return out;
    }

    static Output drain(EmbeddedChannel ch) {
        return drain(ch, new Output());
    }

    static JsonNode errorBody(Output out) throws Exception {
        assertThat(out.error).as("an HTTP error response").isNotNull();
        try {
            return JSON.readTree(out.error.content().toString(StandardCharsets.UTF_8));
        } finally {
            out.error.release();
        }
    }

    @Override
    public void close() {
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        store.close();
    }
}
