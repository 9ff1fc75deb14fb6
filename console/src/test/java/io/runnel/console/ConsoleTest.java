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
        console = new Console(new ConsoleApi(store, TimeSource.SYSTEM));
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

        assertThat(get(HttpMethod.POST, "/console/api/streams").status().code()).isEqualTo(405);
        assertThat(get(HttpMethod.GET, "/console/static/../pom.xml").status().code()).isEqualTo(404);
        assertThat(get(HttpMethod.GET, "/console/static/nothing.js").status().code()).isEqualTo(404);
        assertThat(get(HttpMethod.GET, "/console/elsewhere").status().code()).isEqualTo(404);
    }
}
