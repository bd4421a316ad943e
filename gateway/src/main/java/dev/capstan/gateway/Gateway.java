package dev.capstan.gateway;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RouteTable;
import java.io.IOException;

/**
 * The request router in front of every InferenceService: one REST listener (HTTP/1.1, keep-alive)
 * and one gRPC listener (HTTP/2) for all services. Requests go to the ready replicas of each
 * service's revisions by their traffic percents; a revision at zero holds its requests in the
 * activator and asks {@link GatewayFeedback#scaleFromZero} for a replica at once; every second the
 * gateway reports each revision's load through {@link GatewayFeedback#reportLoad}.
 *
 * <p>Embedded by the local control plane and by the cluster gateway process: {@link #start}, then
 * {@link #update} with each new route table, {@link #close} to drain.
 */
public final class Gateway implements AutoCloseable {
    private final GatewayServer server;

    private Gateway(GatewayServer server) {
        this.server = server;
    }

    /** Binds the listeners and starts reporting load; routes nothing until the first {@link #update}. */
    public static Gateway start(GatewayConfig config, GatewayFeedback feedback) throws IOException {
        return new Gateway(GatewayServer.start(config, feedback));
    }

    /** Swaps in a new snapshot of every route; the same table twice changes nothing. Thread-safe. */
    public void update(RouteTable table) {
        server.update(table);
    }

    public int restPort() {
        return server.restPort();
    }

    /** The gRPC port, or -1 when gRPC is off. */
    public int grpcPort() {
        return server.grpcPort();
    }

    /**
     * Drains: stops accepting, lets requests on their way to a replica finish (up to a bound),
     * answers requests still waiting in the activator with 503, then stops.
     */
    @Override
    public void close() {
        server.close();
    }
}
