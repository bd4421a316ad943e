package dev.capstan.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keep-alive HTTP/1.1 connections to one replica, for one event loop: a request takes an idle one
 * or opens a new one, and gives it back when its answer has arrived. Used only on its loop.
 */
final class UpstreamPool {
    /** Idle connections kept per replica and loop; more close when given back. */
    static final int MAX_IDLE = 64;

    private final Replica replica;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();

    UpstreamPool(Replica replica, EventLoop loop, Upstreams upstreams) {
        this.replica = replica;
        this.loop = loop;
        this.bootstrap = upstreams.restBootstrap(loop)
                .remoteAddress(new InetSocketAddress(replica.endpoint.host(), replica.endpoint.restPort()));
    }

    /** Hands {@code connected} an open connection, or {@code failed} why none could be opened. */
    void acquire(Consumer<Channel> connected, Consumer<Throwable> failed) {
        for (Channel channel = idle.pollLast(); channel != null; channel = idle.pollLast()) {
            if (channel.isActive()) {
                connected.accept(channel);
                return;
            }
        }
        ChannelFuture connecting = bootstrap.connect();
        connecting.addListener(done -> {
            if (done.isSuccess()) {
                connected.accept(connecting.channel());
            } else {
                failed.accept(done.cause());
            }
        });
    }

    /** Gives a connection back after a complete answer; closes it if it cannot be reused. */
    void release(Channel channel, boolean reusable) {
        if (reusable && channel.isActive() && !replica.retired() && idle.size() < MAX_IDLE) {
            idle.addLast(channel);
        } else {
            channel.close();
        }
    }

    /** Closes the idle connections (on the pool's loop). */
    void closeIdle() {
        loop.execute(() -> {
            for (Channel channel = idle.poll(); channel != null; channel = idle.poll()) {
                channel.close();
            }
        });
    }
}
