package dev.capstan.serve.grpc;

import dev.capstan.serve.NettyTransport;
import dev.capstan.serve.transport.ConnectionLimits;
import dev.capstan.serve.transport.OpenConnections;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC listener, on the server's event loops. Its connections count against the server's cap
 * ({@link OpenConnections}); one is idle, and may be shed, while it has no call open. gRPC's own
 * limits carry the same timeouts: a connection must finish its HTTP/2 handshake within the header
 * timeout and is closed (GOAWAY) after the idle timeout without calls; the server pings a silent
 * peer after the idle timeout and drops it if the ping goes unanswered.
 */
public final class GrpcListener {
    /** Clients may ping this often (gRPC's default, 5 minutes, makes common client keepalive settings fail). */
    static final long PERMIT_KEEPALIVE_SECONDS = 10;
    static final long KEEPALIVE_ANSWER_SECONDS = 20;
    /** Rapid reset: more RST_STREAM frames than this in the window closes the connection. */
    static final int MAX_RESETS = 200;
    static final int RESET_WINDOW_SECONDS = 10;

    private GrpcListener() {
    }

    public static Server start(String host, int port, int maxMessageBytes, ConnectionLimits limits, OpenConnections connections,
                               BindableService service, EventLoopGroup boss, EventLoopGroup workers) throws IOException {
        long idleNanos = limits.idleTimeout().toNanos();
        return NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .bossEventLoopGroup(boss).workerEventLoopGroup(workers)
                .channelFactory(NettyTransport.listeningChannels(() -> connections.admission(GrpcListener::idle)))
                .directExecutor()
                // a fixed window turns off BDP pings, which cost frames and wake-ups on every small request
                .flowControlWindow(4 * 1024 * 1024)
                .maxInboundMessageSize(maxMessageBytes)
                .handshakeTimeout(limits.headerTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .maxConnectionIdle(idleNanos, TimeUnit.NANOSECONDS)
                .keepAliveTime(idleNanos, TimeUnit.NANOSECONDS)
                .keepAliveTimeout(KEEPALIVE_ANSWER_SECONDS, TimeUnit.SECONDS)
                .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
                .maxRstFramesPerWindow(MAX_RESETS, RESET_WINDOW_SECONDS)
                .addService(ServerInterceptors.intercept(service, new CallAuthorization()))
                .build().start();
    }

    /** No HTTP/2 handler yet (still handshaking) or no stream open. */
    private static boolean idle(Channel connection) {
        Http2ConnectionHandler http2 = connection.pipeline().get(Http2ConnectionHandler.class);
        return http2 == null || http2.connection().numActiveStreams() == 0;
    }
}
