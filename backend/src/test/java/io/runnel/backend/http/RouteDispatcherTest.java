package io.runnel.backend.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteDispatcherTest {
    /** Answers every path under /hello with the path it was asked for; remembers the paths. */
    private static final class Hello implements HttpRoute {
        final List<String> seen = new ArrayList<>();

        @Override
        public boolean serves(String path) {
            return path.startsWith("/hello");
        }

        @Override
        public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
            seen.add(request.uri());
            request.release();
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8)));
        }
    }

    @Test
    void aRouteAnswersItsPathsWhateverTheQuery() {
        Hello hello = new Hello();
        EmbeddedChannel ch = new EmbeddedChannel(new RouteDispatcher(List.of(hello)));

        ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/hello/there?x=1"));

        assertThat(hello.seen).containsExactly("/hello/there?x=1");
        FullHttpResponse response = ch.readOutbound();
        assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        response.release();
        assertThat((Object) ch.readInbound()).as("not passed on").isNull();
    }

    @Test
    void otherRequestsGoOnToTheApiHandlerUntouched() {
        Hello hello = new Hello();
        EmbeddedChannel ch = new EmbeddedChannel(new RouteDispatcher(List.of(hello)));
        FullHttpRequest api = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");

        ch.writeInbound(api);

        assertThat(hello.seen).isEmpty();
        FullHttpRequest passed = ch.readInbound();
        assertThat(passed).isSameAs(api);
        assertThat(passed.refCnt()).isEqualTo(1);
        passed.release();
    }
}
