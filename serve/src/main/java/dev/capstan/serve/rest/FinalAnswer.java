package dev.capstan.serve.rest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;

/**
 * The last answer on a connection, sent from inside the pipeline before a request has reached
 * {@link RestHandler}: a JSON error, {@code Connection: close}, then a close that does not lose it
 * ({@link LingeringClose}).
 */
final class FinalAnswer {
    private FinalAnswer() {
    }

    /** Call on the channel's event loop. */
    static void send(ChannelHandlerContext ctx, HttpResponseStatus status, String error) {
        ByteBuf body = ctx.alloc().buffer(128);
        try {
            ResponseJson.error(error, new ByteBufOutputStream(body));
        } catch (IOException e) {
            throw new IllegalStateException(e); // an in-memory buffer does not fail
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(written -> LingeringClose.after(ctx.channel()));
    }
}
