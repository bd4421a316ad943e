package dev.capstan.core.autoscale;

import java.util.Objects;

/**
 * What the autoscaler wants for one revision now: the replica count, whether it is in panic mode,
 * why, and the window averages it decided on (in the unit of the scale metric, summed over the
 * revision's replicas).
 */
public record ScaleDecision(int desiredReplicas, boolean panicking, ScaleReason reason, double stableValue,
    double panicValue) {
  public ScaleDecision {
    Objects.requireNonNull(reason, "reason");
    if (desiredReplicas < 0) {
      throw new IllegalArgumentException("desiredReplicas must not be negative: " + desiredReplicas);
    }
  }
}
