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
 * while failures go on, instead of letting the failure reach Netty's default handling. While the
 * event loops are behind with closing shed connections ({@link OpenConnections#closesBehind()}), it
 * stops accepting until they catch up: new connections wait in the kernel's backlog, not on descriptors.
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
    private boolean waitingForCloses;

    ListenerAdmission(OpenConnections connections, Predicate<Channel> idle) {
        this.connections = connections;
        this.idle = idle;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel connection = (Channel) msg;
        pauseMillis = FIRST_PAUSE_MILLIS;
        if (connections.admit(connection, idle)) {
            ctx.fireChannelRead(connection); // Netty's acceptor hands it to an event loop
            connections.handedOver(connection);
        } else {
            connection.unsafe().closeForcibly();
        }
        if (!waitingForCloses && connections.closesBehind()) {
            waitingForCloses = true;
            updateAutoRead(ctx);
            connections.whenClosesCatchUp(() -> ctx.channel().eventLoop().execute(() -> {
                waitingForCloses = false;
                updateAutoRead(ctx);
            }));
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
        updateAutoRead(ctx);
        ctx.channel().eventLoop().schedule(() -> {
            paused = false;
            updateAutoRead(ctx);
        }, pause, TimeUnit.MILLISECONDS);
    }

    /** Accepts while neither paused after a failure nor waiting for closes. */
    private void updateAutoRead(ChannelHandlerContext ctx) {
        if (ctx.channel().isOpen()) {
            ctx.channel().config().setAutoRead(!paused && !waitingForCloses);
        }
    }
}
