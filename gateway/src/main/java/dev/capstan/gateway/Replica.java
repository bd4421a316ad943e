package dev.capstan.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import io.grpc.ManagedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One ready replica as the gateway sees it: requests outstanding on it (the balancing figure), its
 * pooled REST connections (one pool per event loop, so a request never leaves its loop) and its
 * one HTTP/2 channel for gRPC. It outlives route table updates that keep its endpoint.
 */
final class Replica {
    final ReplicaEndpoint endpoint;
    final AtomicInteger outstanding = new AtomicInteger();
    /** The Host header requests to it carry. */
    final String hostHeader;
    private final Upstreams upstreams;
    private final AtomicReferenceArray<UpstreamPool> pools;
    private volatile ManagedChannel grpc;
    private volatile boolean retired;

    Replica(ReplicaEndpoint endpoint, Upstreams upstreams) {
        this.endpoint = endpoint;
        this.hostHeader = endpoint.host() + ":" + endpoint.restPort();
        this.upstreams = upstreams;
        this.pools = new AtomicReferenceArray<>(upstreams.loopCount());
    }

    /** This loop's pool of REST connections; call on that loop. */
    UpstreamPool pool(io.netty.channel.EventLoop loop) {
        int index = upstreams.indexOf(loop);
        UpstreamPool pool = pools.get(index);
        if (pool == null) {
            pool = new UpstreamPool(this, loop, upstreams);
            pools.set(index, pool);
        }
        return pool;
    }

    /** The replica's gRPC channel, opened on first use. */
    ManagedChannel grpc() {
        ManagedChannel channel = grpc;
        if (channel == null) {
            synchronized (this) {
                channel = grpc;
                if (channel == null && !retired) {
                    channel = upstreams.grpcChannel(endpoint);
                    grpc = channel;
                } else if (channel == null) {
                    throw new IllegalStateException("replica " + endpoint.replica() + " is no longer routed");
                }
            }
        }
        return channel;
    }

    boolean retired() {
        return retired;
    }

    /** No longer routed: idle connections close now, busy ones when their request ends. */
    void retire() {
        retired = true;
        for (int i = 0; i < pools.length(); i++) {
            UpstreamPool pool = pools.get(i);
            if (pool != null) {
                pool.closeIdle();
            }
        }
        synchronized (this) {
            if (grpc != null) {
                grpc.shutdown(); // calls under way finish
            }
        }
    }

    @Override
    public String toString() {
        return endpoint.replica() + " (" + endpoint.host() + ":" + endpoint.restPort() + ")";
    }
}
