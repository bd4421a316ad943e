package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Addresses on one machine: every replica on 127.0.0.1 with a port of its own, or, for jobs whose
 * programs build a machine list as {@code addr:WORKER_PORT} (XGBoost, LightGBM), a loopback
 * address of its own per replica (127.0.0.1 for rank 0, then 127.0.0.2, …) so that one shared
 * port names a different replica at each address.
 */
public record LoopbackAddressing(Map<ReplicaId, Integer> ports, Map<ReplicaId, String> hosts) implements ReplicaAddressing {
  public static final String LOOPBACK = "127.0.0.1";

  public LoopbackAddressing {
    ports = Map.copyOf(ports);
    hosts = Map.copyOf(hosts);
  }

  /** Every replica on 127.0.0.1. */
  public LoopbackAddressing(Map<ReplicaId, Integer> ports) {
    this(ports, Map.of());
  }

  /** Each replica, in rank order, on a loopback address of its own: 127.0.0.1, 127.0.0.2, … */
  public static LoopbackAddressing addressPerReplica(Map<ReplicaId, Integer> ports, List<ReplicaId> rankOrder) {
    Map<ReplicaId, String> hosts = new HashMap<>();
    for (int i = 0; i < rankOrder.size(); i++) {
      int n = i + 1;
      hosts.put(rankOrder.get(i), "127." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255));
    }
    return new LoopbackAddressing(ports, hosts);
  }

  @Override
  public String host(ReplicaId id) {
    return hosts.getOrDefault(id, LOOPBACK);
  }

  @Override
  public String qualifiedHost(ReplicaId id) {
    return host(id);
  }

  @Override
  public int port(ReplicaId id) {
    Integer port = ports.get(id);
    if (port == null) {
      throw new IllegalStateException("no port allocated for replica " + id.shortName());
    }
    return port;
  }

  @Override
  public Optional<String> podIp() {
    return Optional.of(LOOPBACK);
  }
}
