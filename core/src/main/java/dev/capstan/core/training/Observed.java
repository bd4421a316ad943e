package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Everything a backend saw of one job's replicas, and the latest metric values they printed. */
public record Observed(Map<ReplicaId, ReplicaObservation> replicas, Map<String, String> metrics) {
  public Observed {
    replicas = Map.copyOf(replicas);
    metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  public static Observed of(Collection<ReplicaObservation> observations) {
    Map<ReplicaId, ReplicaObservation> byId = new LinkedHashMap<>();
    observations.forEach(o -> byId.put(o.id(), o));
    return new Observed(byId, Map.of());
  }

  public static Observed none() {
    return new Observed(Map.of(), Map.of());
  }

  public Observed withMetrics(Map<String, String> latest) {
    return new Observed(replicas, latest);
  }

  public Optional<ReplicaObservation> get(ReplicaId id) {
    return Optional.ofNullable(replicas.get(id));
  }
}
