package dev.capstan.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;

/**
 * What the gateway's HTTP/2 connections share, from clients ({@link GrpcFrontend}) and to replicas
 * ({@link GrpcUpstream}): past the idle timeout of the {@code IdleStateHandler} before it, one with
 * no call open closes (GOAWAY first); one the peer resets or breaks (an I/O error) closes without a
 * word, since a client that goes away mid-call is routine, not a warning with a stack trace.
 */
abstract class Http2Connection extends Http2ConnectionHandler {
    Http2Connection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
        super(decoder, encoder, settings);
    }

    /** No call open or waiting on the connection. */
    abstract boolean idle();

    /** Called before an idle connection closes. */
    void closingIdle() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        if (cause instanceof IOException) {
            ctx.close();
        } else {
            super.exceptionCaught(ctx, cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent && idle()) {
            closingIdle();
            ctx.close();
        }
        super.userEventTriggered(ctx, event);
    }
}
