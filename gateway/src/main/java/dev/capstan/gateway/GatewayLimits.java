package dev.capstan.gateway;

import java.time.Duration;

/**
 * What the gateway allows. Body and header sizes match the model server's own limits by default,
 * so a request the gateway passes on is never one a replica refuses before reading it.
 *
 * @param maxBodyBytes        largest request body (REST) or message (gRPC); larger ones get 413 /
 *                            RESOURCE_EXHAUSTED before they reach a replica
 * @param maxHeaderBytes      largest request header block (REST)
 * @param activatorBuffer     requests that may wait for one revision's replicas at once; past it, 503
 * @param activatorTimeout    how long a request waits for a replica; past it, 503 with Retry-After
 * @param maxConnections      open client connections, REST and gRPC together (0: derived from the
 *                            open-file limit, as the model server does)
 * @param idleTimeout         how long a client connection may sit idle
 * @param headerTimeout       how long a client may take over a request's headers
 * @param connectTimeout      how long connecting to a replica may take before another is tried
 * @param replicaTimeout      how long a replica may take over its whole answer when its route gives
 *                            no timeout of its own; past it, 504 (gRPC: DEADLINE_EXCEEDED)
 */
public record GatewayLimits(int maxBodyBytes, int maxHeaderBytes, int activatorBuffer, Duration activatorTimeout,
                            int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration connectTimeout,
                            Duration replicaTimeout) {
    /** The model server's body limit (serve's {@code ServerConfig}): 32 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;
    /** The model server's header limit (its HTTP codec's): 16 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    /** How long a replica may take to answer when its route gives no timeout: Knative's default revision timeout. */
    public static final Duration DEFAULT_REPLICA_TIMEOUT = Duration.ofMinutes(5);
    /** Upper bound on one revision's activator buffer. */
    public static final int MAX_ACTIVATOR_BUFFER = 100_000;

    public GatewayLimits {
        positive("limits.maxBodyBytes", maxBodyBytes);
        positive("limits.maxHeaderBytes", maxHeaderBytes);
        positive("limits.activatorBuffer", activatorBuffer);
        if (activatorBuffer > MAX_ACTIVATOR_BUFFER) {
            throw new IllegalArgumentException("limits.activatorBuffer: at most " + MAX_ACTIVATOR_BUFFER + ", not " + activatorBuffer);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("limits.maxConnections: at least 1 (or 0: derived from the open-file limit), not " + maxConnections);
        }
        positive("limits.activatorTimeout", activatorTimeout);
        positive("limits.idleTimeout", idleTimeout);
        positive("limits.headerTimeout", headerTimeout);
        positive("limits.connectTimeout", connectTimeout);
        positive("limits.replicaTimeout", replicaTimeout);
    }

    public static GatewayLimits defaults() {
        return new GatewayLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_HEADER_BYTES, 1024, Duration.ofSeconds(60),
                0, Duration.ofSeconds(120), Duration.ofSeconds(20), Duration.ofSeconds(2), DEFAULT_REPLICA_TIMEOUT);
    }

    public GatewayLimits withMaxBodyBytes(int bytes) {
        return new GatewayLimits(bytes, maxHeaderBytes, activatorBuffer, activatorTimeout, maxConnections, idleTimeout, headerTimeout, connectTimeout, replicaTimeout);
    }

    public GatewayLimits withActivator(int buffer, Duration timeout) {
        return new GatewayLimits(maxBodyBytes, maxHeaderBytes, buffer, timeout, maxConnections, idleTimeout, headerTimeout, connectTimeout, replicaTimeout);
    }

    public GatewayLimits withConnections(int max, Duration idle, Duration header) {
        return new GatewayLimits(maxBodyBytes, maxHeaderBytes, activatorBuffer, activatorTimeout, max, idle, header, connectTimeout, replicaTimeout);
    }

    public GatewayLimits withReplicaTimeout(Duration timeout) {
        return new GatewayLimits(maxBodyBytes, maxHeaderBytes, activatorBuffer, activatorTimeout, maxConnections, idleTimeout, headerTimeout,
                connectTimeout, timeout);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(field + ": must be at least 1, not " + value);
        }
    }

    private static void positive(String field, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + ": must be a positive duration, not " + value);
        }
    }
}
