package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaId;
import java.util.Map;

/**
 * A replica the plan wants running: its identity and name, the attempt it belongs to, the
 * environment contract and labels to give it, and the group whose template it runs.
 */
public record ReplicaLaunch(
    ReplicaId id, String name, int attempt, Map<String, String> env, Map<String, String> labels, ReplicaGroup group) {
  public ReplicaLaunch {
    env = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(env));
    labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
  }
}
