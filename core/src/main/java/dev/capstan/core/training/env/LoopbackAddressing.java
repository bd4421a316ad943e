package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import java.util.Map;

/** Addresses on one machine: every replica on 127.0.0.1 with a port of its own. */
public record LoopbackAddressing(Map<ReplicaId, Integer> ports) implements ReplicaAddressing {
  public static final String LOOPBACK = "127.0.0.1";

  public LoopbackAddressing {
    ports = Map.copyOf(ports);
  }

  @Override
  public String host(ReplicaId id) {
    return LOOPBACK;
  }

  @Override
  public String qualifiedHost(ReplicaId id) {
    return LOOPBACK;
  }

  @Override
  public int port(ReplicaId id) {
    Integer port = ports.get(id);
    if (port == null) {
      throw new IllegalStateException("no port allocated for replica " + id.shortName());
    }
    return port;
  }
}
