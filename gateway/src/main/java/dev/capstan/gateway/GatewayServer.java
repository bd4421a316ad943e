package dev.capstan.gateway;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RouteTable;
import dev.capstan.serve.NettyTransport;
import dev.capstan.serve.rest.BoundedAggregator;
import dev.capstan.serve.rest.ConnectionTimeouts;
import dev.capstan.serve.transport.ConnectionLimits;
import dev.capstan.serve.transport.DescriptorLimit;
import dev.capstan.serve.transport.OpenConnections;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The running gateway behind {@link Gateway}: its event loops (shared by the listeners and the
 * connections to replicas, so a request stays on one thread), the listeners with the model
 * server's connection cap, timeouts and size limits, the live routes and the load reporter.
 */
final class GatewayServer {
    /** How long {@link #close} waits for forwarded requests to be answered. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
    /** Longest request line (the model server's). */
    static final int MAX_REQUEST_LINE = 4096;
    /** gRPC calls one client connection may have open at once (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS). */
    static final int MAX_GRPC_STREAMS = 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final LiveRoutes routes;
    private final LoadReporter reporter;
    private final Channel rest;
    private final Channel grpc;
    private final ChannelGroup grpcConnections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean draining;
    private boolean closed;

    private GatewayServer(GatewayConfig config, GatewayFeedback feedback) throws IOException {
        GatewayLimits limits = config.limits();
        ConnectionLimits connectionLimits = new ConnectionLimits(limits.maxConnections(), limits.idleTimeout(), limits.headerTimeout());
        OpenConnections connections = new OpenConnections(connectionLimits.cap(DescriptorLimit.current()));
        this.boss = NettyTransport.eventLoops(1);
        this.workers = NettyTransport.eventLoops(Runtime.getRuntime().availableProcessors());
        Upstreams upstreams = new Upstreams(workers, limits.connectTimeout());
        LoadReporter[] reporterRef = new LoadReporter[1];
        this.routes = new LiveRoutes(upstreams, key -> new RevisionState(key, limits.activatorBuffer(), limits.replicaTimeout(), k -> reporterRef[0].scaleFromZero(k)));
        this.reporter = new LoadReporter(feedback, routes::revisions, Clock.systemUTC());
        reporterRef[0] = reporter;
        RoutingContext routing = new RoutingContext(routes, new GatewayMetrics(connections), limits.activatorTimeout().toNanos(), () -> draining);
        Channel restChannel = null;
        try {
            restChannel = bindRest(config, connectionLimits, connections, routing);
            this.rest = restChannel;
            this.grpc = config.grpcPort() == GatewayConfig.OFF ? null : bindGrpc(config, connectionLimits, connections, routing);
        } catch (IOException | RuntimeException e) {
            if (restChannel != null) {
                restChannel.close().syncUninterruptibly();
            }
            shutdown();
            throw e;
        }
    }

    static GatewayServer start(GatewayConfig config, GatewayFeedback feedback) throws IOException {
        return new GatewayServer(config, feedback);
    }

    private Channel bindRest(GatewayConfig config, ConnectionLimits limits, OpenConnections connections, RoutingContext routing)
            throws IOException {
        int maxHeaderBytes = config.limits().maxHeaderBytes();
        int maxBodyBytes = config.limits().maxBodyBytes();
        return bind(config.host(), config.restPort(), connections.admission(GatewayServer::sheddable), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                        .addLast(new HttpServerCodec(MAX_REQUEST_LINE, maxHeaderBytes, 64 * 1024))
                        .addLast(new ConnectionTimeouts(limits.idleTimeout(), limits.headerTimeout()))
                        .addLast(new BoundedAggregator(maxBodyBytes))
                        .addLast(new RestFrontend(routing, maxBodyBytes));
            }
        });
    }

    /**
     * The gRPC listener: HTTP/2 with the model server's limits (message size, header block, the
     * handshake within the header timeout, idle connections closed after the idle timeout, rapid
     * resets), each connection's frames handled by a {@link GrpcFrontend}; writes from one pass of
     * the event loop go out in one flush.
     */
    private Channel bindGrpc(GatewayConfig config, ConnectionLimits limits, OpenConnections connections, RoutingContext routing)
            throws IOException {
        GatewayLimits gatewayLimits = config.limits();
        long handshakeNanos = limits.headerTimeout().toNanos();
        return bind(config.host(), config.grpcPort(), connections.admission(GatewayServer::idleGrpc), new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                grpcConnections.add(ch);
                GrpcFrontend frontend = Http2Handlers.server(MAX_GRPC_STREAMS, gatewayLimits.maxHeaderBytes(), (decoder, encoder, settings) ->
                        new GrpcFrontend(decoder, encoder, settings, routing, gatewayLimits.maxBodyBytes(), handshakeNanos));
                ch.pipeline()
                        .addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true))
                        .addLast(new IdleStateHandler(0, 0, limits.idleTimeout().toNanos(), TimeUnit.NANOSECONDS))
                        .addLast(frontend);
            }
        });
    }

    private Channel bind(String host, int port, io.netty.channel.ChannelHandler admission, ChannelInitializer<SocketChannel> connection)
            throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channelFactory(NettyTransport.listeningChannels(() -> admission))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(connection);
        try {
            return bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** No HTTP/2 handler yet (still handshaking) or no call open. */
    private static boolean idleGrpc(Channel connection) {
        GrpcFrontend frontend = connection.pipeline().get(GrpcFrontend.class);
        return frontend == null || frontend.idle();
    }

    private static boolean sheddable(Channel connection) {
        ConnectionTimeouts timeouts = connection.pipeline().get(ConnectionTimeouts.class);
        return timeouts == null || timeouts.sheddable();
    }

    void update(RouteTable table) {
        routes.update(table);
    }

    int restPort() {
        return ((InetSocketAddress) rest.localAddress()).getPort();
    }

    int grpcPort() {
        return grpc == null ? GatewayConfig.OFF : ((InetSocketAddress) grpc.localAddress()).getPort();
    }

    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        draining = true;
        rest.close().syncUninterruptibly();
        if (grpc != null) {
            grpc.close().syncUninterruptibly();
            grpcConnections.close(); // GOAWAY: clients send new calls elsewhere; calls under way finish
        }
        List<RevisionState> revisions = routes.revisions();
        routes.update(RouteTable.empty()); // waiting requests get 503 + Retry-After now
        awaitAnswered(revisions, System.nanoTime() + DRAIN_TIMEOUT.toNanos());
        shutdown();
    }

    private static void awaitAnswered(List<RevisionState> revisions, long endNanos) {
        try {
            while (System.nanoTime() < endNanos && revisions.stream().anyMatch(r -> r.load.inFlight() > 0)) {
                Thread.sleep(5);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void shutdown() {
        if (reporter != null) {
            reporter.close();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
