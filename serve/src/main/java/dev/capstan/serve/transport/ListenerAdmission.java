package dev.capstan.serve.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * First handler of a listening channel: each accepted connection passes through it on its way to
 * being set up. Over the cap it is shed for or refused ({@link OpenConnections}). When accepting
 * itself fails (out of descriptors: EMFILE, ENFILE; or out of buffers), it sheds idle connections
 * and pauses accepting, from {@value #FIRST_PAUSE_MILLIS} ms doubling to {@value #MAX_PAUSE_MILLIS} ms
 * while failures go on, instead of letting the failure reach Netty's default handling.
 */
final class ListenerAdmission extends ChannelInboundHandlerAdapter {
    static final long FIRST_PAUSE_MILLIS = 10;
    static final long MAX_PAUSE_MILLIS = 1_000;
    /** Idle connections shed per failed accept. */
    static final int SHED_PER_FAILURE = 8;

    private final OpenConnections connections;
    private final Predicate<Channel> idle;
    private long pauseMillis = FIRST_PAUSE_MILLIS;
    private boolean paused;

    ListenerAdmission(OpenConnections connections, Predicate<Channel> idle) {
        this.connections = connections;
        this.idle = idle;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        pauseMillis = FIRST_PAUSE_MILLIS;
        if (connections.admit(connection, idle)) {
            ctx.fireChannelRead(connection);
        } else {
            connection.unsafe().closeForcibly();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof IOException)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        int shed = 0;
        while (shed < SHED_PER_FAILURE && connections.shedOldestIdle()) {
            shed++;
        }
        if (paused) {
            return;
        }
        paused = true;
        long pause = pauseMillis;
        pauseMillis = Math.min(MAX_PAUSE_MILLIS, pauseMillis * 2);
        if (pause == FIRST_PAUSE_MILLIS) {
            System.err.println("capstan-serve: cannot accept a connection on " + ctx.channel().localAddress() + " (" + cause.getMessage()
                    + "); shed " + shed + " idle, " + connections.count() + " open; pausing accepts");
        }
        ctx.channel().config().setAutoRead(false);
        ctx.channel().eventLoop().schedule(() -> resume(ctx), pause, TimeUnit.MILLISECONDS);
    }

    private void resume(ChannelHandlerContext ctx) {
        paused = false;
        if (ctx.channel().isOpen()) {
            ctx.channel().config().setAutoRead(true);
        }
    }
}
