package dev.capstan.core.autoscale;

/** Why a {@link ScaleDecision} asks for the replicas it does. Callers read these, never message text. */
public enum ScaleReason {
  /** The stable-window average divided by the per-replica target. */
  STABLE("replicas follow the stable-window average"),
  /** Panic mode: the panic-window average reached the panic threshold; no scale-down until it ends. */
  PANIC("the panic-window average reached the panic threshold; replicas only grow"),
  /** Bounded by the maximum scale-up rate (ready replicas × maxScaleUpRate). */
  SCALE_UP_LIMITED("scale-up bounded by the maximum scale-up rate"),
  /** Bounded by the maximum scale-down rate (ready replicas ÷ maxScaleDownRate). */
  SCALE_DOWN_LIMITED("scale-down bounded by the maximum scale-down rate"),
  /** Raised to minReplicas. */
  MIN_REPLICAS("held at minReplicas"),
  /** Capped at maxReplicas. */
  MAX_REPLICAS("capped at maxReplicas"),
  /** No traffic, but not yet for the stable window plus the scale-to-zero grace period: one replica stays. */
  IDLE_GRACE("no traffic yet for the stable window plus the grace period; one replica stays"),
  /** No traffic for the stable window plus the grace period: zero replicas. */
  SCALED_TO_ZERO("no traffic for the stable window plus the grace period"),
  /** A request waits at zero replicas: at least one replica at once. */
  ACTIVATING("a request waits for a replica");

  private final String description;

  ScaleReason(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }
}
