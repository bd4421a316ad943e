package dev.capstan.gateway;

import java.util.Objects;

/**
 * Where the gateway listens and what it allows. A port of 0 picks any free port; a gRPC port of
 * -1 turns gRPC off.
 */
public record GatewayConfig(String host, int restPort, int grpcPort, GatewayLimits limits) {
    public static final int ANY_PORT = 0;
    public static final int OFF = -1;

    public GatewayConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        if (restPort < 0 || restPort > 65535) {
            throw new IllegalArgumentException("restPort: 0..65535, not " + restPort);
        }
        if (grpcPort < OFF || grpcPort > 65535) {
            throw new IllegalArgumentException("grpcPort: -1 (off) or 0..65535, not " + grpcPort);
        }
    }

    /** 127.0.0.1, any free ports, default limits: what local mode runs. */
    public static GatewayConfig loopback() {
        return new GatewayConfig("127.0.0.1", ANY_PORT, ANY_PORT, GatewayLimits.defaults());
    }

    public GatewayConfig withHost(String newHost) {
        return new GatewayConfig(newHost, restPort, grpcPort, limits);
    }

    public GatewayConfig withPorts(int rest, int grpc) {
        return new GatewayConfig(host, rest, grpc, limits);
    }

    public GatewayConfig withLimits(GatewayLimits newLimits) {
        return new GatewayConfig(host, restPort, grpcPort, newLimits);
    }
}
