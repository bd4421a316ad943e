package dev.capstan.serve.rest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServeStatus;
import java.io.IOException;

/** Netty's side of REST: hands each complete request to {@link RestRoutes} and writes the reply on the channel's event loop. */
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final RestRoutes routes;

    RestHandler(RestRoutes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            write(ctx, RestReply.error(ServeException.badRequest("malformed HTTP request: " + request.decoderResult().cause())), false);
            return;
        }
        ByteBuf content = request.content();
        byte[] body;
        int offset;
        int length = content.readableBytes();
        if (content.hasArray()) {
            body = content.array();
            offset = content.arrayOffset() + content.readerIndex();
        } else {
            body = ByteBufUtil.getBytes(content);
            offset = 0;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        String headerLength = request.headers().get(BinaryTensorData.HEADER);
        routes.handle(request.method().name(), request.uri(), authorization, headerLength, body, offset, length)
                .whenComplete((reply, error) -> {
                    RestReply answer = reply != null ? reply : RestReply.error(ServeException.of(error));
                    if (ctx.executor().inEventLoop()) {
                        write(ctx, answer, keepAlive);
                    } else {
                        ctx.executor().execute(() -> write(ctx, answer, keepAlive));
                    }
                });
    }

    private static void write(ChannelHandlerContext ctx, RestReply reply, boolean keepAlive) {
        ByteBuf body = ctx.alloc().buffer(256);
        try {
            reply.body().write(new ByteBufOutputStream(body));
        } catch (IOException | RuntimeException e) {
            body.clear();
            reply = RestReply.error(new ServeException(ServeStatus.INTERNAL, "cannot write response: " + e));
            try {
                reply.body().write(new ByteBufOutputStream(body));
            } catch (IOException ignored) {
                // an in-memory buffer does not fail
            }
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.code()), body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        reply.headers().forEach(response.headers()::set);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(written -> LingeringClose.after(ctx.channel()));
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().isActive()) {
            write(ctx, RestReply.error(ServeException.badRequest("cannot read request: " + cause.getMessage())), false);
        } else {
            ctx.close();
        }
    }
}
