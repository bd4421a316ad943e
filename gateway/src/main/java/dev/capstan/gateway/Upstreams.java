package dev.capstan.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the gateway connects to replicas, on its own event loops: REST connections through a
 * bootstrap per loop, gRPC over one HTTP/2 connection per replica and loop.
 */
final class Upstreams {
    /** A pooled connection idle this long closes, well before a replica's own idle timeout (120 s) can race a request. */
    static final Duration POOLED_IDLE = Duration.ofSeconds(50);
    /** Largest response header block accepted from a replica. */
    static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    private final EventLoopGroup loops;
    private final Map<EventExecutor, Integer> indexes = new IdentityHashMap<>();
    private final int connectMillis;

    Upstreams(EventLoopGroup loops, Duration connectTimeout) {
        this.loops = loops;
        this.connectMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        int index = 0;
        for (EventExecutor loop : loops) {
            indexes.put(loop, index++);
        }
    }

    int loopCount() {
        return indexes.size();
    }

    int indexOf(EventLoop loop) {
        Integer index = indexes.get(loop);
        if (index == null) {
            throw new IllegalStateException("not one of the gateway's event loops: " + loop);
        }
        return index;
    }

    Bootstrap restBootstrap(EventLoop loop) {
        return bootstrap(loop).handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpClientCodec(4096, MAX_RESPONSE_HEADER_BYTES, 64 * 1024))
                                .addLast(new IdleStateHandler(0, 0, POOLED_IDLE.toNanos(), TimeUnit.NANOSECONDS))
                                .addLast(new UpstreamHandler());
                    }
                });
    }

    /** Starts connecting to {@code replica}'s gRPC port on {@code loop}; calls sent before it is up wait for it. */
    GrpcUpstream grpcConnection(Replica replica, EventLoop loop) {
        ReplicaEndpoint endpoint = replica.endpoint;
        if (endpoint.grpcPort() == 0) {
            throw new IllegalStateException("replica " + endpoint.replica() + " serves no gRPC");
        }
        GrpcUpstream upstream = Http2Handlers.client(MAX_RESPONSE_HEADER_BYTES, (decoder, encoder, settings) ->
                new GrpcUpstream(decoder, encoder, settings, replica, loop));
        bootstrap(loop).handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                                .addLast(new IdleStateHandler(0, 0, POOLED_IDLE.toNanos(), TimeUnit.NANOSECONDS))
                                .addLast(upstream);
                    }
                })
                .connect(endpoint.host(), endpoint.grpcPort())
                .addListener((ChannelFuture connecting) -> {
                    if (!connecting.isSuccess()) {
                        upstream.connectFailed(connecting.cause());
                    }
                });
        return upstream;
    }

    /** Connections from {@code loop}: native transport where there is one, no Nagle delay, the connect timeout. */
    private Bootstrap bootstrap(EventLoop loop) {
        return new Bootstrap().group(loop)
                .channel(socketChannelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis);
    }

    private static Class<? extends Channel> socketChannelType() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
