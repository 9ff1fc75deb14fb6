package io.runnel.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.runnel.backend.store.IteratorTokens;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.backend.store.TimeSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConsoleTest {
    private StreamStore store;
    private Console console;

    @BeforeEach
    void setUp() {
        store = new StreamStore(StoreSettings.defaults().withTransitionMillis(0), TimeSource.SYSTEM,
                new IteratorTokens());
        console = new Console(new ConsoleApi(store, TimeSource.SYSTEM), new ConsoleActions(store), null);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    /** Sends one request through the console as the backend's route dispatcher would. */
    private FullHttpResponse get(HttpMethod method, String uri) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                console.handle(ctx, (io.netty.handler.codec.http.FullHttpRequest) msg);
            }
        });
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        ch.writeInbound(request);
        assertThat(request.refCnt()).as("the console releases the request").isZero();
        return ch.readOutbound();
    }

    private static String body(FullHttpResponse r) {
        String s = r.content().toString(StandardCharsets.UTF_8);
        r.release();
        return s;
    }

    @Test
    void servesItsPathsOnlyAndLeavesTheApiAlone() {
        assertThat(console.serves("/console")).isTrue();
        assertThat(console.serves("/console/streams/a")).isTrue();
        assertThat(console.serves("/")).isFalse();
        assertThat(console.serves("/consoles")).isFalse();
    }

    @Test
    void eachPageIsHtmlThatLoadsItsModule() {
        store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        for (String[] page : new String[][] {{"/console", "streams.js"}, {"/console/", "streams.js"},
                {"/console/streams/orders", "stream.js"},
                {"/console/streams/orders/shards/shardId-000000000000/records?from=LATEST", "records.js"}}) {
            FullHttpResponse r = get(HttpMethod.GET, page[0]);
            assertThat(r.status().code()).as(page[0]).isEqualTo(200);
            assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
            assertThat(body(r)).contains("/console/static/" + page[1]);
        }
        FullHttpResponse js = get(HttpMethod.GET, "/console/static/records.js");
        assertThat(js.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/javascript");
        assertThat(body(js)).contains("outsideShard");
    }

    @Test
    void answersTheJsonApiWithDecodedNames() throws IOException {
        store.createStream("a.b-c_d", 1, StreamState.Mode.PROVISIONED);

        FullHttpResponse list = get(HttpMethod.GET, "/console/api/streams");
        assertThat(list.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        JsonNode streams = new ObjectMapper().readTree(body(list)).get("streams");
        assertThat(streams.get(0).get("name").asText()).isEqualTo("a.b-c_d");

        FullHttpResponse one = get(HttpMethod.GET, "/console/api/streams/a%2Eb-c_d");
        assertThat(one.status().code()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(body(one)).get("shards")).hasSize(1);

        FullHttpResponse records = get(HttpMethod.GET,
                "/console/api/streams/a.b-c_d/shards/shardId-000000000000/records?from=TRIM_HORIZON&limit=5");
        assertThat(new ObjectMapper().readTree(body(records)).get("records")).isEmpty();
    }

    @Test
    void errorsAreJsonWithTheirStatus() throws IOException {
        FullHttpResponse missing = get(HttpMethod.GET, "/console/api/streams/nope");
        assertThat(missing.status().code()).isEqualTo(404);
        assertThat(new ObjectMapper().readTree(body(missing)).get("message").asText()).contains("nope");

        FullHttpResponse badLimit = get(HttpMethod.GET,
                "/console/api/streams/nope/shards/s/records?limit=many");
        assertThat(badLimit.status().code()).isEqualTo(400);
        assertThat(body(badLimit)).contains("many");

        assertThat(get(HttpMethod.POST, "/console/api/streams").status().code())
                .as("an action without the console's header: maybe another site's form").isEqualTo(403);
        assertThat(get(HttpMethod.PUT, "/console/api/streams").status().code()).isEqualTo(405);
        assertThat(get(HttpMethod.GET, "/console/static/../pom.xml").status().code()).isEqualTo(404);
        assertThat(get(HttpMethod.GET, "/console/static/nothing.js").status().code()).isEqualTo(404);
        assertThat(get(HttpMethod.GET, "/console/elsewhere").status().code()).isEqualTo(404);
    }

    @Test
    void actionsNeedTheConsolesHeaderAndAnswerWithWhatTheyDid() throws IOException {
        EmbeddedChannel ch = channel();
        DefaultFullHttpRequest create = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/console/api/streams", io.netty.buffer.Unpooled.copiedBuffer("{\"name\":\"made\",\"shards\":3}",
                        StandardCharsets.UTF_8));
        create.headers().set(Console.ACTION_HEADER, "1");
        ch.writeInbound(create);
        FullHttpResponse r = ch.readOutbound();
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(body(r)).get("message").asText()).contains("made");
        assertThat(store.streams()).extracting(StreamState::name).containsExactly("made");
        assertThat(store.streams().get(0).openShards()).hasSize(3);
    }

    @Test
    void theLiveTailSendsTheRecordsAsTheyArriveAsServerSentEvents() {
        StreamState s = store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        EmbeddedChannel ch = channel();
        ch.freezeTime();
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/console/api/events/streams/orders/shards/shardId-000000000000/tail?from=LATEST"));
        io.netty.handler.codec.http.HttpResponse head = ch.readOutbound();
        assertThat(head.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/event-stream");
        ch.runPendingTasks();
        assertThat((Object) ch.readOutbound()).as("nothing new yet").isNull();

        store.put(s, io.runnel.wire.HashKey.md5Of("k"), "k", "first".getBytes(StandardCharsets.UTF_8));
        store.put(s, io.runnel.wire.HashKey.md5Of("k"), "k", "second".getBytes(StandardCharsets.UTF_8));
        ch.advanceTimeBy(250, java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();

        io.netty.handler.codec.http.HttpContent event = ch.readOutbound();
        String text = event.content().toString(StandardCharsets.UTF_8);
        event.release();
        assertThat(text).startsWith("event: records\ndata: {").endsWith("\n\n");
        assertThat(text).contains(java.util.Base64.getEncoder().encodeToString(
                "first".getBytes(StandardCharsets.UTF_8)));
        assertThat(text).contains(java.util.Base64.getEncoder().encodeToString(
                "second".getBytes(StandardCharsets.UTF_8)));

        ch.advanceTimeBy(250, java.util.concurrent.TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat((Object) ch.readOutbound()).as("each record once").isNull();
        ch.close();
    }

    @Test
    void theStreamsViewIsSentEverySecond() {
        store.createStream("orders", 1, StreamState.Mode.PROVISIONED);
        EmbeddedChannel ch = channel();
        ch.freezeTime();
        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET,
                "/console/api/events/streams"));
        ch.readOutbound(); // the head
        ch.runPendingTasks();
        ch.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        for (int i = 0; i < 2; i++) {
            io.netty.handler.codec.http.HttpContent event = ch.readOutbound();
            assertThat(event.content().toString(StandardCharsets.UTF_8)).startsWith("event: streams\ndata: ")
                    .contains("\"orders\"");
            event.release();
        }
        ch.close();
    }

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                console.handle(ctx, (io.netty.handler.codec.http.FullHttpRequest) msg);
            }
        });
    }
}
