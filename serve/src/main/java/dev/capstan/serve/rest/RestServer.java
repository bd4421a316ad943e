package dev.capstan.serve.rest;

import dev.capstan.serve.NettyTransport;
import dev.capstan.serve.transport.ConnectionLimits;
import dev.capstan.serve.transport.OpenConnections;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;

/**
 * The REST (HTTP/1.1 JSON) listener, on Netty. Its connections count against the server's cap
 * ({@link OpenConnections}); one is idle, and may be shed, while it holds no request being answered.
 */
public final class RestServer {
    /**
     * No cap on one inflated chunk: with none, Netty's inflater hands on what it has inflated every
     * 64 KiB, so memory stays bounded and {@link BoundedAggregator} refuses a body by its inflated
     * total (413). A cap here instead failed any chunk inflating past it with a 400, legitimate or not.
     */
    private static final int INFLATE_CHUNK_UNCAPPED = 0;

    private final Channel channel;

    private RestServer(Channel channel) {
        this.channel = channel;
    }

    public static RestServer start(String host, int port, int maxBodyBytes, ConnectionLimits limits, OpenConnections connections,
                                   RestRoutes routes, EventLoopGroup boss, EventLoopGroup workers) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channelFactory(NettyTransport.listeningChannels(() -> connections.admission(RestServer::sheddable)))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new HttpServerCodec(4096, 16 * 1024, 64 * 1024))
                                .addLast(new ConnectionTimeouts(limits.idleTimeout(), limits.headerTimeout()))
                                .addLast(new HttpContentDecompressor(false, INFLATE_CHUNK_UNCAPPED))
                                .addLast(new BoundedAggregator(maxBodyBytes))
                                .addLast(new InOrderAnswers())
                                .addLast(new RestHandler(routes));
                    }
                });
        Channel channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        return new RestServer(channel);
    }

    private static boolean sheddable(Channel connection) {
        ConnectionTimeouts timeouts = connection.pipeline().get(ConnectionTimeouts.class);
        return timeouts == null || timeouts.sheddable();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting connections; open ones keep being served. */
    public void closeListener() {
        channel.close().syncUninterruptibly();
    }
}
