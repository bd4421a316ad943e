package dev.capstan.api.serving;

import java.util.Objects;
import java.util.Optional;

/**
 * How a service scales: between {@code minReplicas} (0 allows scale to zero) and
 * {@code maxReplicas}, following {@code metric} towards {@code target} per replica (absent: the
 * autoscaler's default), with the service's autoscaler overrides.
 */
public record Scaling(int minReplicas, int maxReplicas, ScaleMetric metric, Optional<Double> target,
    AutoscalingOverrides overrides) {
  public Scaling {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(overrides, "overrides");
    if (minReplicas < 0 || maxReplicas < Math.max(1, minReplicas)) {
      throw new IllegalArgumentException("replicas out of range: min " + minReplicas + ", max " + maxReplicas);
    }
  }
}
