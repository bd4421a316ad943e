package dev.capstan.kubernetes.operator;

import dev.capstan.kubernetes.placement.PlacementSettings;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import dev.capstan.kubernetes.serving.ServingSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How one operator process runs: which namespaces it watches (empty: all), the Lease it elects a
 * leader through, how failed passes are retried, the pod security level of namespaces whose
 * {@value PodSecurityLevel#NAMESPACE_LABEL} label does not set one, and whether it reconciles
 * Kubeflow's {@code kubeflow.org/v1} job kinds (only where their CRDs are Capstan's own), how
 * InferenceServices run (their replicas' image, the gateway), how GPU jobs are placed
 * ({@link PlacementSettings}), and the port of {@code GET /metrics}
 * ({@code CAPSTAN_METRICS_PORT}; none when unset).
 */
public record OperatorSettings(
    Set<String> namespaces, Optional<LeaseSettings> lease, Duration retryFirst, Duration retryMax,
    PodSecurityLevel podSecurity, boolean kubeflowJobs, ServingSettings serving, OptionalInt metricsPort,
    PlacementSettings placement) {

  public OperatorSettings(Set<String> namespaces, Optional<LeaseSettings> lease, Duration retryFirst, Duration retryMax) {
    this(namespaces, lease, retryFirst, retryMax, PodSecurityLevel.RESTRICTED, false,
        ServingSettings.defaults(lease.map(LeaseSettings::namespace).orElse("capstan-system")), OptionalInt.empty(),
        PlacementSettings.defaults());
  }

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
    PodSecurityLevel podSecurity = PodSecurityLevel.parse(env.getOrDefault("CAPSTAN_POD_SECURITY", "restricted"),
        "CAPSTAN_POD_SECURITY");
    String kubeflow = env.getOrDefault("CAPSTAN_KUBEFLOW_JOBS", "false").trim();
    if (!kubeflow.equalsIgnoreCase("true") && !kubeflow.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("CAPSTAN_KUBEFLOW_JOBS: expected true or false, got '" + kubeflow + "'");
    }
    String port = env.getOrDefault("CAPSTAN_METRICS_PORT", "").trim();
    OptionalInt metricsPort = OptionalInt.empty();
    if (!port.isEmpty()) {
      try {
        metricsPort = OptionalInt.of(Integer.parseInt(port));
      } catch (NumberFormatException e) {
        metricsPort = OptionalInt.of(-1);
      }
      if (metricsPort.getAsInt() < 1 || metricsPort.getAsInt() > 65535) {
        throw new IllegalArgumentException("CAPSTAN_METRICS_PORT: expected a port from 1 to 65535, got '" + port + "'");
      }
    }
    return new OperatorSettings(namespaces, lease, Duration.ofMillis(500), Duration.ofSeconds(60), podSecurity,
        Boolean.parseBoolean(kubeflow), ServingSettings.fromEnvironment(env), metricsPort, PlacementSettings.fromEnvironment(env));
  }

  /** The same settings with another pod security level for unlabelled namespaces. */
  public OperatorSettings withPodSecurity(PodSecurityLevel level) {
    return new OperatorSettings(namespaces, lease, retryFirst, retryMax, level, kubeflowJobs, serving, metricsPort, placement);
  }

  /** The same settings, reconciling Kubeflow's job kinds or not. */
  public OperatorSettings withKubeflowJobs(boolean on) {
    return new OperatorSettings(namespaces, lease, retryFirst, retryMax, podSecurity, on, serving, metricsPort, placement);
  }

  /** The same settings, running InferenceServices as {@code serving} says. */
  public OperatorSettings withServing(ServingSettings serving) {
    return new OperatorSettings(namespaces, lease, retryFirst, retryMax, podSecurity, kubeflowJobs, serving, metricsPort, placement);
  }

  /** The same settings, serving the queue metrics on {@code port} (0: any free port). */
  public OperatorSettings withMetricsPort(int port) {
    return new OperatorSettings(namespaces, lease, retryFirst, retryMax, podSecurity, kubeflowJobs, serving, OptionalInt.of(port), placement);
  }

  /** The same settings, placing GPU jobs' replicas as {@code placement} says. */
  public OperatorSettings withPlacement(PlacementSettings placement) {
    return new OperatorSettings(namespaces, lease, retryFirst, retryMax, podSecurity, kubeflowJobs, serving, metricsPort, placement);
  }
}
