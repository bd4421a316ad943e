package dev.capstan.kubernetes.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How one operator process runs: which namespaces it watches (empty: all), the Lease it elects a
 * leader through, and how failed passes are retried.
 */
public record OperatorSettings(
    Set<String> namespaces, Optional<LeaseSettings> lease, Duration retryFirst, Duration retryMax) {

  /**
   * The Lease leaders hold. {@code exitOnLoss}: a process that loses the lease exits, so that it
   * restarts as a standby rather than reconciling beside the new leader.
   */
  public record LeaseSettings(
      String name, String namespace, String identity, boolean exitOnLoss, Duration duration, Duration renewDeadline, Duration retryPeriod) {
    public LeaseSettings(String name, String namespace, String identity, boolean exitOnLoss) {
      this(name, namespace, identity, exitOnLoss, Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
    }
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    String watch = env.getOrDefault("CAPSTAN_WATCH_NAMESPACES", "").trim();
    Set<String> namespaces = watch.isEmpty() ? Set.of() : Set.of(watch.split("\\s*,\\s*"));
    Optional<LeaseSettings> lease = Optional.empty();
    if (!"false".equalsIgnoreCase(env.getOrDefault("CAPSTAN_LEADER_ELECTION", "true"))) {
      lease = Optional.of(new LeaseSettings(
          env.getOrDefault("CAPSTAN_LEASE_NAME", "capstan-operator"),
          env.getOrDefault("POD_NAMESPACE", "capstan-system"),
          env.getOrDefault("POD_NAME", "capstan-operator-" + ProcessHandle.current().pid()), true));
    }
    return new OperatorSettings(namespaces, lease, Duration.ofMillis(500), Duration.ofSeconds(60));
  }
}
