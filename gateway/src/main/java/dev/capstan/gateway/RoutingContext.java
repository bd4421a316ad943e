package dev.capstan.gateway;

import java.util.function.BooleanSupplier;

/** What the REST and gRPC front ends share: the live routes, metrics, the activator's timeout and whether the gateway is draining. */
record RoutingContext(LiveRoutes routes, GatewayMetrics metrics, long activatorTimeoutNanos, BooleanSupplier draining) {
}
