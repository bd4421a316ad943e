package dev.capstan.serve;

import dev.capstan.serve.engine.NativeStack;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Netty's native epoll transport where the platform has it (fewer copies and wake-ups), NIO elsewhere. */
public final class NettyTransport {
    private NettyTransport() {
    }

    /**
     * Event loop threads have {@link NativeStack}'s stack size: a request that finds its model idle
     * runs the engine call on the event loop (see {@code Batcher}).
     */
    public static EventLoopGroup eventLoops(int threads) {
        IoHandlerFactory handlers = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> new FastThreadLocalThread(null, r, "capstan-io-" + count.incrementAndGet(), NativeStack.SIZE);
        return new MultiThreadIoEventLoopGroup(threads, factory, handlers);
    }

    public static Class<? extends ServerChannel> serverChannel() {
        return Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
