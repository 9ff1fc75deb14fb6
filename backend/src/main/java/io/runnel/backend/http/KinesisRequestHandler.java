package io.runnel.backend.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.runnel.backend.api.KinesisApi;
import io.runnel.backend.api.RequestTree;
import io.runnel.backend.fanout.FanOut;
import io.runnel.backend.fanout.ShardSubscription;
import io.runnel.backend.firehose.FirehoseApi;
import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.TimeSource;
import io.runnel.wire.Protocol;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.error.ErrorCodes;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.model.SubscribeToShardRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one HTTP request into one Kinesis action and its response: picks the codec by Content-Type, the action by
 * {@code X-Amz-Target}, checks the signature when asked to, and answers errors the way Kinesis does (HTTP 400 with
 * {@code __type} and {@code message}; 500 {@code InternalFailure} only for a bug here, never for bad input).
 * Runs on a worker group, not the I/O loop, because durable stores write to disk. {@code Firehose_20150804.*} targets
 * go to the {@link FirehoseApi} instead, always in JSON.
 *
 * <p>SubscribeToShard is answered with an event stream that outlives the request: the handler keeps its
 * {@link ShardSubscription} and tells it when the channel becomes writable or goes away. One instance per HTTP/1.1
 * connection or HTTP/2 stream; its state is confined to its executor.
 */
public final class KinesisRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisRequestHandler.class);

    private final KinesisApi api;
    private final RequestAuthenticator authenticator; // null: accept any request
    private final TimeSource time;
    private final FanOut fanOut;
    private final FirehoseApi firehose; // null: Firehose actions are unknown operations
    private ShardSubscription subscription; // the running event stream of this channel, or null

    /**
     * A handler without Firehose.
     *
     * @param api           serves the Kinesis actions
     * @param authenticator checks signatures, or null to accept any request
     * @param time          the clock signatures are checked against
     * @param fanOut        serves SubscribeToShard
     */
    public KinesisRequestHandler(KinesisApi api, RequestAuthenticator authenticator, TimeSource time, FanOut fanOut) {
        this(api, authenticator, time, fanOut, null);
    }

    /**
     * A handler for one HTTP/1.1 connection or HTTP/2 stream.
     *
     * @param api           serves the Kinesis actions
     * @param authenticator checks signatures, or null to accept any request
     * @param time          the clock signatures are checked against
     * @param fanOut        serves SubscribeToShard
     * @param firehose      serves {@code Firehose_20150804.*} actions (JSON 1.1 only), or null to refuse them
     */
    public KinesisRequestHandler(KinesisApi api, RequestAuthenticator authenticator, TimeSource time, FanOut fanOut,
            FirehoseApi firehose) {
        this.api = api;
        this.authenticator = authenticator;
        this.time = time;
        this.fanOut = fanOut;
        this.firehose = firehose;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (subscription != null && !subscription.isDone()) {
            // HTTP/1.1 pipelining behind an event stream: an answer now would land inside the stream's body.
            LOG.debug("request on {} while its SubscribeToShard response streams: closing", ctx.channel());
            ctx.close();
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String requestId = UUID.randomUUID().toString();
        if (!request.decoderResult().isSuccess()) {
            respondError(ctx, KinesisCodec.json(), 400, ErrorCodes.SERIALIZATION,
                    "Malformed HTTP request: " + request.decoderResult().cause(), requestId, false);
            return;
        }
        Protocol protocol = Protocol.fromContentType(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
        KinesisCodec codec = KinesisCodec.of(protocol == null ? Protocol.JSON : protocol);
        if (request.method() != HttpMethod.POST) {
            respondError(ctx, codec, 400, ErrorCodes.UNKNOWN_OPERATION, "Kinesis actions are POST requests, not "
                    + request.method(), requestId, keepAlive);
            return;
        }
        String target = request.headers().get("X-Amz-Target");
        if (firehose != null && FirehoseApi.isFirehose(target)) {
            firehose(ctx, request, target, requestId, keepAlive);
            return;
        }
        Operation op = Operation.fromTarget(target);
        if (op == null && SubscribeToShardRequest.TARGET.equals(target) && protocol != null) {
            subscribe(ctx, request, codec, requestId, keepAlive);
            return;
        }
        if (op == null) {
            respondError(ctx, codec, 400, ErrorCodes.UNKNOWN_OPERATION, target == null ? "Missing X-Amz-Target header"
                    : "Unknown operation " + target, requestId, keepAlive);
            return;
        }
        if (protocol == null) {
            respondError(ctx, codec, 400, ErrorCodes.SERIALIZATION, "Unsupported Content-Type "
                    + request.headers().get(HttpHeaderNames.CONTENT_TYPE) + "; use application/x-amz-json-1.1 or"
                    + " application/x-amz-cbor-1.1", requestId, keepAlive);
            return;
        }
        try {
            byte[] body = verifiedBody(request);
            Map<String, Object> members = RequestTree.parse(protocol, body);
            if (members != null) {
                api.validate(op.actionName(), members);
            }
            var decoded = codec.decodeRequest(op, body, 0, body.length);
            if (dryRun(members)) {
                api.dryRun(api.withStreamId(decoded, streamId(members)));
            }
            var result = api.handle(op, api.withStreamId(decoded, streamId(members)));
            ByteBuf out = ctx.alloc().buffer(256);
            try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
                codec.encodeResponse(op, result, stream);
            } catch (IOException | RuntimeException e) {
                out.release();
                throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
            }
            respond(ctx, codec, HttpResponseStatus.OK, out, requestId, keepAlive, null);
        } catch (StoreException e) {
            respondError(ctx, codec, 400, e.errorCode(), e.getMessage(), requestId, keepAlive);
        } catch (KinesisServiceException e) {
            respondError(ctx, codec, e.statusCode(), e.errorCode(), e.getMessage(), requestId, keepAlive);
        } catch (RuntimeException e) {
            LOG.error("{} failed (request {})", op.actionName(), requestId, e);
            respondError(ctx, codec, 500, ErrorCodes.INTERNAL_FAILURE, "Internal service failure.", requestId,
                    keepAlive);
        }
    }

    /** A Firehose action: JSON 1.1 whatever the Content-Type says (Firehose speaks no CBOR). */
    private void firehose(ChannelHandlerContext ctx, FullHttpRequest request, String target, String requestId,
            boolean keepAlive) {
        KinesisCodec json = KinesisCodec.json();
        try {
            byte[] response = firehose.handle(target, verifiedBody(request));
            respond(ctx, json, HttpResponseStatus.OK, ctx.alloc().buffer(response.length).writeBytes(response),
                    requestId, keepAlive, null);
        } catch (StoreException e) {
            respondError(ctx, json, 400, e.errorCode(), e.getMessage(), requestId, keepAlive);
        } catch (KinesisServiceException e) {
            respondError(ctx, json, e.statusCode(), e.errorCode(), e.getMessage(), requestId, keepAlive);
        } catch (RuntimeException e) {
            LOG.error("{} failed (request {})", target, requestId, e);
            respondError(ctx, json, 500, ErrorCodes.INTERNAL_FAILURE, "Internal service failure.", requestId,
                    keepAlive);
        }
    }

    /** The request's body, once its signature (when required) is verified. */
    private byte[] verifiedBody(FullHttpRequest request) {
        if (authenticator != null) {
            authenticator.verify(request, Instant.ofEpochMilli(time.millis()));
        }
        ByteBuf content = request.content();
        byte[] body = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), body);
        return body;
    }

    private void subscribe(ChannelHandlerContext ctx, FullHttpRequest request, KinesisCodec codec, String requestId,
            boolean keepAlive) {
        try {
            byte[] body = verifiedBody(request);
            Map<String, Object> members = RequestTree.parse(codec.protocol(), body);
            if (members != null) {
                api.validate("SubscribeToShard", members);
            }
            SubscribeToShardRequest decoded;
            try {
                decoded = codec.decode(SubscribeToShardRequest.class, body, 0, body.length);
            } catch (IOException e) {
                throw KinesisServiceException.of(ErrorCodes.SERIALIZATION, "Could not parse the SubscribeToShard"
                        + " request: " + e.getMessage(), 400, null);
            }
            KinesisCodec.checkRequired(decoded);
            api.withStreamId(decoded, streamId(members));
            if (dryRun(members)) {
                api.dryRun(decoded);
            }
            subscription = fanOut.subscribe(ctx, codec, decoded, requestId,
                    !(ctx.channel() instanceof Http2StreamChannel));
        } catch (StoreException e) {
            respondError(ctx, codec, 400, e.errorCode(), e.getMessage(), requestId, keepAlive);
        } catch (KinesisServiceException e) {
            respondError(ctx, codec, e.statusCode(), e.errorCode(), e.getMessage(), requestId, keepAlive);
        } catch (RuntimeException e) {
            LOG.error("SubscribeToShard failed (request {})", requestId, e);
            respondError(ctx, codec, 500, ErrorCodes.INTERNAL_FAILURE, "Internal service failure.", requestId,
                    keepAlive);
        }
    }

    /** Whether a request sets DryRun (a member the wire models do not have). */
    private static boolean dryRun(Map<String, Object> members) {
        return members != null && Boolean.TRUE.equals(members.get("DryRun"));
    }

    /** The StreamId a request carries (a member the wire models do not have), or null. */
    private static String streamId(Map<String, Object> members) {
        return members != null && members.get("StreamId") instanceof String id ? id : null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (subscription != null && ctx.channel().isWritable()) {
            subscription.resume();
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (subscription != null) {
            subscription.cancel();
        }
        super.channelInactive(ctx);
    }

    private void respondError(ChannelHandlerContext ctx, KinesisCodec codec, int status, String type,
            String message, String requestId, boolean keepAlive) {
        ByteBuf out = ctx.alloc().buffer(128);
        try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
            codec.encodeError(type, message, stream);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        respond(ctx, codec, HttpResponseStatus.valueOf(status), out, requestId, keepAlive, type);
    }

    /** Answers with {@code body}; the {@code Date} header is the service's time, which clients correct clocks by. */
    private void respond(ChannelHandlerContext ctx, KinesisCodec codec, HttpResponseStatus status, ByteBuf body,
            String requestId, boolean keepAlive, String errorType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, codec.contentType());
        response.headers().set(HttpHeaderNames.DATE, DateFormatter.format(new Date(time.millis())));
        response.headers().set("x-amzn-RequestId", requestId);
        if (errorType != null) {
            response.headers().set("x-amzn-ErrorType", errorType);
        }
        HttpUtil.setContentLength(response, body.readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        var f = ctx.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
