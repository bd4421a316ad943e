package dev.capstan.core.serving;

import java.util.Objects;

/**
 * A ready model-server replica the gateway may send requests to: its name (process or pod), the
 * host it listens on and its REST and gRPC ports ({@code grpcPort} is 0 when it serves no gRPC).
 */
public record ReplicaEndpoint(String replica, String host, int restPort, int grpcPort) {
  public ReplicaEndpoint {
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(host, "host");
    if (restPort < 1 || restPort > 65535) {
      throw new IllegalArgumentException("restPort out of range: " + restPort);
    }
    if (grpcPort < 0 || grpcPort > 65535) {
      throw new IllegalArgumentException("grpcPort out of range: " + grpcPort);
    }
  }
}
