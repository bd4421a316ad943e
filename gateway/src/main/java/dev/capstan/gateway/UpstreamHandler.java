package dev.capstan.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/** Last handler of a pooled replica connection: hands what the replica answers to the request using the connection. */
final class UpstreamHandler extends ChannelInboundHandlerAdapter {
    /** The request using this connection now; null while it is idle in its pool. */
    RestExchange exchange;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RestExchange current = exchange;
        if (current == null || !(msg instanceof HttpObject object)) {
            ReferenceCountUtil.release(msg);
            ctx.close(); // nothing was asked: the connection is out of step
            return;
        }
        current.fromUpstream(object);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        RestExchange current = exchange;
        if (current != null) {
            current.flushDownstream();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        RestExchange current = exchange;
        exchange = null;
        if (current != null) {
            current.upstreamClosed();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && exchange == null) {
            ctx.close();
        }
        ReferenceCountUtil.release(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
