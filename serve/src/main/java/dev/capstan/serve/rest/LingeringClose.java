package dev.capstan.serve.rest;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection after a final answer without losing that answer. Closing a socket while the
 * client is still sending makes the kernel reset the connection, and a reset can throw away the
 * answer before the client reads it. So the server half-closes (the client sees the end of the
 * answer), then reads and drops whatever the client still sends, and closes once the client does,
 * once a cap of bytes has been dropped, or after a short time, whichever comes first.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;
    static final long MAX_LINGER_MILLIS = 2_000;

    private long drained;

    private LingeringClose() {
    }

    /** Call on the channel's event loop once the final answer has been flushed. */
    static void after(Channel channel) {
        if (!(channel instanceof DuplexChannel duplex) || !channel.isActive()) {
            channel.close();
            return;
        }
        channel.pipeline().addFirst(new LingeringClose());
        channel.eventLoop().schedule(() -> channel.close(), MAX_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        duplex.shutdownOutput().addListener(done -> {
            if (!done.isSuccess()) {
                channel.close();
            }
        });
        channel.config().setAutoRead(true);
        channel.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof io.netty.buffer.ByteBuf bytes) {
            drained += bytes.readableBytes();
        }
        ReferenceCountUtil.release(msg);
        if (drained > MAX_DRAIN_BYTES) {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        ReferenceCountUtil.release(event);
        if (event instanceof ChannelInputShutdownEvent || event instanceof ChannelInputShutdownReadComplete) {
            ctx.close(); // the client has finished sending
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
