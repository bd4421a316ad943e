package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.serving.RouteTable;
import dev.capstan.serve.NettyTransport;
import dev.capstan.serve.transport.OpenConnections;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pipelined requests wait in the connection while the one before them is answered: their number
 * and their bodies' bytes are bounded, so one connection cannot make the gateway hold many bodies.
 */
class PipelinedRequestsTest {
    static final int MAX_BODY = 4096;

    @Test
    void readingStopsOnceQueuedBodiesReachTheBodyLimitAndResumesAsTheyAreTaken() {
        EventLoopGroup loops = NettyTransport.eventLoops(1);
        try {
            LiveRoutes routes = new LiveRoutes(new Upstreams(loops, Duration.ofSeconds(2)),
                    key -> new RevisionState(key, 100, GatewayLimits.DEFAULT_REPLICA_TIMEOUT, k -> { }));
            routes.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100).table()); // at zero: requests wait
            RoutingContext routing = new RoutingContext(routes, new GatewayMetrics(new OpenConnections(10)),
                    Duration.ofSeconds(60).toNanos(), () -> false);
            EmbeddedChannel connection = new EmbeddedChannel(new RestFrontend(routing, MAX_BODY));

            connection.writeInbound(infer(10)); // waits for a replica: the connection is busy
            connection.writeInbound(infer(MAX_BODY / 2));
            assertTrue(connection.config().isAutoRead(), "a queued body under the limit: still reading");
            connection.writeInbound(infer(MAX_BODY / 2));
            assertFalse(connection.config().isAutoRead(), "queued bodies at the limit: reading stops");

            routes.update(RouteTable.empty()); // the waiting request gets 503, the queued ones 404
            connection.runPendingTasks();
            assertTrue(connection.config().isAutoRead(), "the queue taken: reading again");
            for (int expected : new int[] {503, 404, 404}) {
                FullHttpResponse answer = connection.readOutbound();
                assertEquals(expected, answer.status().code());
                answer.release();
            }
            connection.close();
        } finally {
            loops.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static FullHttpRequest infer(int bodyBytes) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/serving/team/iris/v2/models/iris/infer",
                Unpooled.wrappedBuffer(new byte[bodyBytes]));
        request.headers().setInt("content-length", bodyBytes);
        return request;
    }
}
