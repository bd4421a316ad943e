package dev.capstan.gateway;

import dev.capstan.core.serving.ServiceKey;
import io.grpc.Status;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC listener's side of one client connection: HTTP/2 frames, not gRPC calls.
 * {@code inference.GRPCInferenceService}'s ServerLive, ServerReady and ServerMetadata are answered
 * here; a ModelReady, ModelMetadata or ModelInfer call's one message is gathered as the DATA frames
 * that carried it (no copy, no decoding), its model name read from the wire form, and the call
 * forwarded as it is ({@link GrpcCall}) to a replica of the service the name names (namespace from
 * metadata {@code capstan-namespace}). Every answer of the gateway's own is a gRPC status in a
 * trailers-only answer. Runs on the connection's event loop, as do its calls.
 */
final class GrpcFrontend extends Http2Connection {
    private static final String PATH_PREFIX = "/" + GrpcMessages.SERVICE + "/";
    private static final AsciiString POST = AsciiString.cached("POST");

    private final RoutingContext routing;
    private final int maxMessageBytes;
    private final long handshakeNanos;
    private final IntObjectMap<Inbound> calls = new IntObjectHashMap<>();
    private ChannelHandlerContext ctx;
    private boolean windowOpened;

    /** A call as it arrives: its headers, then the DATA frames of its message, until the client half-closes. */
    private final class Inbound {
        final int stream;
        final Http2Headers headers;
        final String method;
        final long deadline;
        CompositeByteBuf message;
        GrpcCall routed;
        boolean answered;

        Inbound(int stream, Http2Headers headers, String method, long deadline) {
            this.stream = stream;
            this.headers = headers;
            this.method = method;
            this.deadline = deadline;
        }

        void release() {
            if (message != null) {
                message.release();
                message = null;
            }
        }
    }

    GrpcFrontend(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings, RoutingContext routing,
                 int maxMessageBytes, long handshakeNanos) {
        super(decoder, encoder, settings);
        this.routing = routing;
        this.maxMessageBytes = maxMessageBytes;
        this.handshakeNanos = handshakeNanos;
        decoder.frameListener(new Frames());
    }

    /** No stream open: the connection may be shed or closed as idle. */
    @Override
    boolean idle() {
        return connection().numActiveStreams() == 0;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
        ctx.executor().schedule(() -> {
            if (!decoder().prefaceReceived()) {
                ctx.close(); // the HTTP/2 handshake must finish within the header timeout
            }
        }, handshakeNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        for (Inbound call : new ArrayList<>(calls.values())) {
            call.release();
            if (call.routed != null) {
                call.routed.clientGone();
            }
        }
        calls.clear();
        super.channelInactive(ctx);
    }

    private final class Frames extends Http2Handlers.Frames {
        /** The client's first SETTINGS: the handshake is done, so the connection's receive window can grow from 64 KiB. */
        @Override
        public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
            if (!windowOpened) {
                windowOpened = true;
                connection().local().flowController().incrementWindowSize(connection().connectionStream(),
                        Http2Handlers.WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE);
                flush(ctx);
            }
        }

        @Override
        public void onHeadersRead(ChannelHandlerContext ctx, int stream, Http2Headers headers, int padding, boolean endStream) {
            Inbound call = calls.get(stream);
            if (call != null) { // trailers from the client: a unary request has none, but they end its message
                if (endStream) {
                    complete(call);
                }
                return;
            }
            call = open(stream, headers);
            if (call != null && endStream) {
                complete(call);
            }
        }

        @Override
        public int onDataRead(ChannelHandlerContext ctx, int stream, ByteBuf data, int padding, boolean endOfStream) {
            int processed = data.readableBytes() + padding;
            Inbound call = calls.get(stream);
            if (call == null || call.answered || call.routed != null) {
                return processed;
            }
            if (call.message == null) {
                call.message = ctx.alloc().compositeBuffer(64);
            }
            if (call.message.readableBytes() + (long) data.readableBytes() > (long) maxMessageBytes + GrpcMessages.PREFIX_BYTES) {
                refuse(call, Status.Code.RESOURCE_EXHAUSTED, "the request message is larger than the gateway's limit of "
                        + maxMessageBytes + " bytes");
                resetStream(ctx, stream, Http2Error.CANCEL.code(), ctx.newPromise());
                flush(ctx);
                return processed;
            }
            call.message.addComponent(true, data.retain());
            if (endOfStream) {
                complete(call);
            }
            return processed;
        }

        @Override
        public void onRstStreamRead(ChannelHandlerContext ctx, int stream, long errorCode) {
            Inbound call = calls.remove(stream);
            if (call != null) {
                call.release();
                if (call.routed != null) {
                    call.routed.clientGone();
                }
            }
        }
    }

    /** A new call: checked for what the gateway serves; null when already answered. */
    private Inbound open(int stream, Http2Headers headers) {
        CharSequence path = headers.path();
        CharSequence contentType = headers.get(HttpHeaderNames.CONTENT_TYPE);
        if (contentType == null || !AsciiString.regionMatches(contentType, true, 0, GrpcHeaders.CONTENT_TYPE, 0,
                GrpcHeaders.CONTENT_TYPE.length())) {
            answerHttp(stream, "415", "content-type must be application/grpc");
            return null;
        }
        if (!POST.contentEquals(headers.method())) {
            answerHttp(stream, "405", "gRPC calls are POSTs");
            return null;
        }
        String method = path == null ? "" : path.toString();
        if (!method.startsWith(PATH_PREFIX)) {
            answerStatus(stream, Status.Code.UNIMPLEMENTED, "unknown service " + (method.isEmpty() ? "(no :path)" : method));
            return null;
        }
        method = method.substring(PATH_PREFIX.length());
        switch (method) {
            case "ServerLive", "ServerReady", "ServerMetadata", "ModelReady", "ModelMetadata", "ModelInfer" -> { }
            default -> {
                answerStatus(stream, Status.Code.UNIMPLEMENTED, "the gateway does not serve " + PATH_PREFIX + method);
                return null;
            }
        }
        long timeout = GrpcHeaders.timeoutNanos(headers.get(GrpcHeaders.GRPC_TIMEOUT));
        Inbound call = new Inbound(stream, headers, method, timeout < 0 ? Long.MAX_VALUE : System.nanoTime() + timeout);
        calls.put(stream, call);
        return call;
    }

    /** The client half-closed: the call's one message is whole. */
    private void complete(Inbound call) {
        if (call.answered || call.routed != null) {
            return;
        }
        switch (call.method) {
            case "ServerLive" -> answerLocally(call, GrpcMessages.flag(ctx.alloc(), true));
            case "ServerReady" -> answerLocally(call, GrpcMessages.flag(ctx.alloc(), !routing.draining().getAsBoolean()));
            case "ServerMetadata" -> answerLocally(call, GrpcMessages.serverMetadata(ctx.alloc(), "capstan-gateway", "0.1.0"));
            default -> route(call);
        }
    }

    private void route(Inbound call) {
        CompositeByteBuf message = call.message;
        if (message == null || message.readableBytes() < GrpcMessages.PREFIX_BYTES) {
            refuse(call, Status.Code.INVALID_ARGUMENT, "no request message");
            return;
        }
        int at = message.readerIndex();
        long length = message.getUnsignedInt(at + 1);
        if (length != message.readableBytes() - GrpcMessages.PREFIX_BYTES) {
            refuse(call, Status.Code.INVALID_ARGUMENT, "a unary call carries exactly one request message");
            return;
        }
        if (message.getByte(at) != 0) {
            refuse(call, Status.Code.UNIMPLEMENTED, "compressed request messages are not forwarded by the gateway; send them uncompressed");
            return;
        }
        String name = GrpcMessages.stringField(message.slice(at + GrpcMessages.PREFIX_BYTES, (int) length), 1);
        if (name == null || name.isEmpty()) {
            refuse(call, Status.Code.INVALID_ARGUMENT, "the request names no model (field 1)");
            return;
        }
        CharSequence namespaceValue = call.headers.get(GrpcHeaders.NAMESPACE);
        String namespace = namespaceValue == null ? null : namespaceValue.toString();
        String problem = RequestTarget.nameProblem("model name", name);
        if (problem == null && namespace != null) {
            problem = RequestTarget.nameProblem("capstan-namespace metadata", namespace);
        }
        if (problem != null) {
            routing.metrics().unrouted(400);
            refuse(call, Status.Code.INVALID_ARGUMENT, problem);
            return;
        }
        ServiceState service = namespace != null ? routing.routes().service(new ServiceKey(namespace, name))
                : routing.routes().serviceByName(name, RestFrontend.DEFAULT_NAMESPACE);
        if (service == null) {
            routing.metrics().unrouted(404);
            refuse(call, Status.Code.NOT_FOUND, "no InferenceService " + (namespace != null ? namespace + "/" + name : name)
                    + " is routed here");
            return;
        }
        call.message = null; // the call owns it now
        call.routed = new GrpcCall(this, call.stream, call.headers, message, call.deadline, service.pick(), ctx.channel().eventLoop(),
                routing.activatorTimeoutNanos());
        call.routed.start();
    }

    private void answerLocally(Inbound call, ByteBuf response) {
        call.answered = true;
        call.release();
        Http2Headers headers = new DefaultHttp2Headers().status(AsciiString.of("200"));
        headers.set(HttpHeaderNames.CONTENT_TYPE, GrpcHeaders.CONTENT_TYPE);
        encoder().writeHeaders(ctx, call.stream, headers, 0, false, ctx.newPromise());
        encoder().writeData(ctx, call.stream, response, 0, false, ctx.newPromise());
        encoder().writeHeaders(ctx, call.stream, GrpcHeaders.trailers(Status.Code.OK, null), 0, true, ctx.newPromise());
        flush(ctx);
        calls.remove(call.stream);
    }

    private void refuse(Inbound call, Status.Code code, String why) {
        call.answered = true;
        call.release();
        answerStatus(call.stream, code, why);
    }

    private void answerStatus(int stream, Status.Code code, String why) {
        calls.remove(stream);
        encoder().writeHeaders(ctx, stream, GrpcHeaders.trailersOnly(code, why), 0, true, ctx.newPromise());
        flush(ctx);
    }

    private void answerHttp(int stream, String status, String why) {
        Http2Headers headers = new DefaultHttp2Headers().status(AsciiString.of(status));
        headers.set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        headers.setInt(GrpcHeaders.GRPC_STATUS, Status.Code.INTERNAL.value());
        headers.set(GrpcHeaders.GRPC_MESSAGE, GrpcHeaders.percentEncoded(why));
        encoder().writeHeaders(ctx, stream, headers, 0, true, ctx.newPromise());
        flush(ctx);
    }

    // what a routed call sends its client; on the connection's event loop

    void answerHeaders(int stream, Http2Headers headers, boolean endStream) {
        if (endStream) {
            calls.remove(stream);
        }
        encoder().writeHeaders(ctx, stream, headers, 0, endStream, ctx.newPromise());
        flush(ctx);
    }

    void answerData(int stream, ByteBuf data, boolean endStream) {
        if (endStream) {
            calls.remove(stream);
        }
        encoder().writeData(ctx, stream, data, 0, endStream, ctx.newPromise());
        flush(ctx);
    }

    /** Ends a call the client is still waiting on, after a reset or when the gateway gives up on it mid-answer. */
    void cancel(int stream) {
        calls.remove(stream);
        resetStream(ctx, stream, Http2Error.CANCEL.code(), ctx.newPromise());
        flush(ctx);
    }

    boolean open(int stream) {
        return calls.containsKey(stream) && ctx.channel().isActive();
    }
}
