package dev.capstan.gateway;

import dev.capstan.core.serving.ServiceKey;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The REST side of one client connection: answers the gateway's own paths, forwards the rest to a
 * replica ({@link RestExchange}), one request at a time in the order they came (pipelined requests
 * wait their turn; past {@value #MAX_PIPELINED} of them, or once their bodies add up to the body
 * limit, the connection stops reading until they are taken).
 */
final class RestFrontend extends ChannelInboundHandlerAdapter {
    static final int MAX_PIPELINED = 16;
    /** Header naming the namespace of a request to {@code /v2/models/{name}/…}. */
    static final String NAMESPACE_HEADER = "Capstan-Namespace";
    static final String DEFAULT_NAMESPACE = "default";

    private final RoutingContext routing;
    private final long maxQueuedBytes;
    private final ArrayDeque<FullHttpRequest> pipelined = new ArrayDeque<>();
    private long queuedBytes;
    private ChannelHandlerContext ctx;
    private boolean busy;
    private RestExchange exchange;

    /** {@code maxQueuedBytes}: the most body bytes pipelined requests may hold before reading stops (the body limit). */
    RestFrontend(RoutingContext routing, long maxQueuedBytes) {
        this.routing = routing;
        this.maxQueuedBytes = maxQueuedBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (busy) {
            pipelined.addLast(request);
            queuedBytes += request.content().readableBytes();
            if (queueFull()) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        serve(request);
    }

    private void serve(FullHttpRequest request) {
        busy = true;
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            int code = cause instanceof TooLongHttpLineException ? 414 : cause instanceof TooLongHttpHeaderException ? 431
                    : cause instanceof TooLongFrameException ? 413 : 400;
            request.release();
            local(code, Answers.errorJson("malformed HTTP request: " + cause.getMessage()), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        RequestTarget target = RequestTarget.parse(request.uri());
        switch (target.kind()) {
            case FORWARD -> forward(request, routing.routes().service(new ServiceKey(target.namespace(), target.name())),
                    target, keepAlive);
            case FORWARD_BY_NAME -> forwardByName(request, target, keepAlive);
            default -> {
                String method = request.method().name();
                request.release();
                answerLocally(target, method, keepAlive);
            }
        }
    }

    private void forwardByName(FullHttpRequest request, RequestTarget target, boolean keepAlive) {
        String namespace = request.headers().get(NAMESPACE_HEADER);
        ServiceState service;
        if (namespace != null) {
            String problem = RequestTarget.nameProblem(NAMESPACE_HEADER + " header", namespace);
            if (problem != null) {
                request.release();
                local(400, Answers.errorJson(problem), keepAlive);
                return;
            }
            service = routing.routes().service(new ServiceKey(namespace, target.name()));
        } else {
            service = routing.routes().serviceByName(target.name(), DEFAULT_NAMESPACE);
        }
        forward(request, service, target, keepAlive);
    }

    private void forward(FullHttpRequest request, ServiceState service, RequestTarget target, boolean keepAlive) {
        if (service == null) {
            request.release();
            String which = target.namespace() != null ? target.namespace() + "/" + target.name() : target.name();
            local(404, Answers.errorJson("no InferenceService " + which + " is routed here"), keepAlive);
            return;
        }
        exchange = new RestExchange(this, ctx, request, target.forwardUri(), service.pick(), keepAlive, routing.activatorTimeoutNanos());
        exchange.start();
    }

    private void answerLocally(RequestTarget target, String method, boolean keepAlive) {
        if (target.kind() == RequestTarget.Kind.MALFORMED) {
            local(400, Answers.errorJson(target.problem()), keepAlive);
            return;
        }
        if (target.kind() == RequestTarget.Kind.UNKNOWN) {
            local(404, Answers.errorJson(target.problem()), keepAlive);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            local(405, Answers.errorJson("use GET here, not " + method), keepAlive);
            return;
        }
        switch (target.kind()) {
            case LIVE -> local(200, Answers.flag("live", true), keepAlive);
            case READY -> {
                boolean ready = !routing.draining().getAsBoolean();
                local(ready ? 200 : 503, Answers.flag("ready", ready), keepAlive);
            }
            case SERVER_METADATA -> local(200, "{\"name\":\"capstan-gateway\",\"version\":\"0.1.0\",\"extensions\":[]}", keepAlive);
            case METRICS -> {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        ByteBufUtil.writeUtf8(ctx.alloc(), routing.metrics().render(routing.routes().revisions())));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, GatewayMetrics.CONTENT_TYPE);
                response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                routing.metrics().unrouted(200);
                respond(response, keepAlive);
            }
            case SERVICE_LIVE, SERVICE_READY -> {
                ServiceState service = routing.routes().service(new ServiceKey(target.namespace(), target.name()));
                if (service == null) {
                    local(404, Answers.errorJson("no InferenceService " + target.namespace() + "/" + target.name() + " is routed here"), keepAlive);
                } else if (target.kind() == RequestTarget.Kind.SERVICE_LIVE) {
                    local(200, Answers.flag("live", true), keepAlive);
                } else {
                    boolean ready = service.ready();
                    local(ready ? 200 : 503, Answers.flag("ready", ready), keepAlive);
                }
            }
            default -> local(404, Answers.errorJson("no such path"), keepAlive);
        }
    }

    private void local(int code, String json, boolean keepAlive) {
        routing.metrics().unrouted(code);
        respond(Answers.json(ctx, code, json), keepAlive);
    }

    /** Writes a whole answer of the gateway's own, then takes the next request. */
    void respond(FullHttpResponse response, boolean keepAlive) {
        response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.write(response, ctx.voidPromise());
        finished(keepAlive, true);
    }

    /** The current request's answer is written: flush it, then close or take the next request. */
    void finished(boolean keepAlive, boolean flush) {
        exchange = null;
        busy = false;
        if (!keepAlive) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (flush) {
            ctx.flush();
        }
        FullHttpRequest next = pipelined.pollFirst();
        if (next != null) {
            queuedBytes -= next.content().readableBytes();
            if (!ctx.channel().config().isAutoRead() && !queueFull()) {
                ctx.channel().config().setAutoRead(true);
            }
            serve(next);
        }
    }

    private boolean queueFull() {
        return pipelined.size() >= MAX_PIPELINED || queuedBytes >= maxQueuedBytes;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (exchange != null) {
            exchange.downstreamWritable(context.channel().isWritable());
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (exchange != null) {
            RestExchange current = exchange;
            exchange = null;
            current.clientGone();
        }
        for (FullHttpRequest request = pipelined.pollFirst(); request != null; request = pipelined.pollFirst()) {
            request.release();
        }
        context.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        context.close();
    }
}
