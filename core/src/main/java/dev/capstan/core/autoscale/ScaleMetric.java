package dev.capstan.core.autoscale;

/** What the autoscaler scales on (KServe's {@code scaleMetric}, Knative's {@code autoscaling.knative.dev/metric}). */
public enum ScaleMetric {
  /** Requests in flight per replica, time-averaged; Knative's default target is 100. */
  CONCURRENCY(100),
  /** Requests per second per replica; Knative's default target is 200. */
  RPS(200);

  private final double defaultTarget;

  ScaleMetric(double defaultTarget) {
    this.defaultTarget = defaultTarget;
  }

  /** The per-replica target used when the service sets none (Knative's {@code *-target-default}). */
  public double defaultTarget() {
    return defaultTarget;
  }
}
