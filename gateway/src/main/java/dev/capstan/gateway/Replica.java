package dev.capstan.gateway;

import dev.capstan.core.serving.ReplicaEndpoint;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One ready replica as the gateway sees it: requests outstanding on it (the balancing figure), its
 * pooled REST connections (one pool per event loop, so a request never leaves its loop) and its
 * HTTP/2 connections for gRPC (one per event loop, likewise). It outlives route table updates that
 * keep its endpoint.
 */
final class Replica {
    final ReplicaEndpoint endpoint;
    final AtomicInteger outstanding = new AtomicInteger();
    /** The Host header requests to it carry. */
    final String hostHeader;
    /** The :authority gRPC calls to it carry. */
    final String grpcAuthority;
    private final Upstreams upstreams;
    private final AtomicReferenceArray<UpstreamPool> pools;
    private final AtomicReferenceArray<GrpcUpstream> grpc;
    private volatile boolean retired;

    Replica(ReplicaEndpoint endpoint, Upstreams upstreams) {
        this.endpoint = endpoint;
        this.hostHeader = endpoint.host() + ":" + endpoint.restPort();
        this.grpcAuthority = endpoint.host() + ":" + endpoint.grpcPort();
        this.upstreams = upstreams;
        this.pools = new AtomicReferenceArray<>(upstreams.loopCount());
        this.grpc = new AtomicReferenceArray<>(upstreams.loopCount());
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

    /**
     * This loop's HTTP/2 connection to the replica's gRPC port, opened on first use and again after
     * one closed or was told to go away; call on that loop.
     */
    GrpcUpstream grpcUpstream(io.netty.channel.EventLoop loop) {
        if (retired) {
            throw new IllegalStateException("replica " + endpoint.replica() + " is no longer routed");
        }
        int index = upstreams.indexOf(loop);
        GrpcUpstream upstream = grpc.get(index);
        if (upstream == null || !upstream.usable()) {
            upstream = upstreams.grpcConnection(this, loop);
            grpc.set(index, upstream);
        }
        return upstream;
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
        for (int i = 0; i < grpc.length(); i++) {
            GrpcUpstream upstream = grpc.get(i);
            if (upstream != null) {
                upstream.retire(); // calls under way finish
            }
        }
    }

    @Override
    public String toString() {
        return endpoint.replica() + " (" + endpoint.host() + ":" + endpoint.restPort() + ")";
    }
}
