package dev.capstan.serve;

import dev.capstan.serve.engine.NativeStack;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
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
import java.time.ZoneId;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Netty's native epoll transport where the platform has it (fewer copies and wake-ups), NIO elsewhere. */
public final class NettyTransport {
    static {
        // java.util.logging's formatter reads the time zone database on first use; read it now, or a
        // log line written while descriptors have run out throws an Error that ends an event loop
        ZoneId.systemDefault().getRules();
    }

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

    /** Listening channels whose pipeline starts with {@code first}, so it sees each accepted connection before it is set up. */
    public static ChannelFactory<ServerChannel> listeningChannels(java.util.function.Supplier<ChannelHandler> first) {
        return () -> {
            ServerChannel channel = Epoll.isAvailable() ? new EpollServerSocketChannel() : new NioServerSocketChannel();
            channel.pipeline().addLast(first.get());
            return channel;
        };
    }
}
