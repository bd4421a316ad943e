package dev.capstan.core.autoscale;

import dev.capstan.api.serving.AutoscalingOverrides;
import dev.capstan.api.serving.ScaleMetric;
import dev.capstan.api.serving.Scaling;
import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of one revision's autoscaler: Knative KPA's, with its defaults (see CONTRACTS.md), each
 * overridable per service. Every value is checked when the record is made; a bad one throws
 * {@link IllegalArgumentException} naming the field and the allowed range.
 *
 * @param metric what to scale on
 * @param scaleTarget per-replica target of the metric; 0 means the metric's default (concurrency:
 *     containerConcurrency when set, else 100; rps: 200)
 * @param containerConcurrency hard limit of requests in flight per replica; 0 means none
 * @param targetUtilizationPercentage share of the target to aim for, so replicas are added before the
 *     target is reached
 * @param stableWindow the window whose average sets the replica count in stable mode
 * @param panicWindowPercentage the panic window as a share of the stable window
 * @param panicThresholdPercentage panic when the panic-window average needs this share of the ready
 *     replicas
 * @param maxScaleUpRate at most this many times the ready replicas per decision
 * @param maxScaleDownRate at least the ready replicas divided by this per decision
 * @param tick how often the caller should ask for a decision
 * @param scaleToZeroGracePeriod how long the last replica stays after the stable window saw no traffic
 * @param minReplicas never fewer (0 allows scale to zero)
 * @param maxReplicas never more
 */
public record AutoscalingSettings(
    ScaleMetric metric,
    double scaleTarget,
    int containerConcurrency,
    double targetUtilizationPercentage,
    Duration stableWindow,
    double panicWindowPercentage,
    double panicThresholdPercentage,
    double maxScaleUpRate,
    double maxScaleDownRate,
    Duration tick,
    Duration scaleToZeroGracePeriod,
    int minReplicas,
    int maxReplicas) {

  /** Upper bound on maxReplicas, containerConcurrency and window lengths, so no input is unbounded. */
  public static final int REPLICAS_LIMIT = 1000;
  public static final int CONTAINER_CONCURRENCY_LIMIT = 1000;
  public static final double SCALE_TARGET_LIMIT = 1_000_000;
  public static final Duration WINDOW_LIMIT = Duration.ofHours(1);

  private static final AutoscalingSettings DEFAULTS = new AutoscalingSettings(ScaleMetric.CONCURRENCY, 0, 0, 70,
      Duration.ofSeconds(60), 10, 200, 1000, 2, Duration.ofSeconds(2), Duration.ofSeconds(30), 1, 10);

  public AutoscalingSettings {
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(stableWindow, "stableWindow");
    Objects.requireNonNull(tick, "tick");
    Objects.requireNonNull(scaleToZeroGracePeriod, "scaleToZeroGracePeriod");
    requireBetween("scaleTarget", scaleTarget, 0, SCALE_TARGET_LIMIT);
    requireBetween("containerConcurrency", containerConcurrency, 0, CONTAINER_CONCURRENCY_LIMIT);
    requireBetween("targetUtilizationPercentage", targetUtilizationPercentage, 1, 100);
    requireBetween("stableWindow", stableWindow, Duration.ofSeconds(1), WINDOW_LIMIT);
    requireBetween("panicWindowPercentage", panicWindowPercentage, 1, 100);
    requireBetween("panicThresholdPercentage", panicThresholdPercentage, 110, 1000);
    requireBetween("maxScaleUpRate", maxScaleUpRate, 1.0001, 10_000);
    requireBetween("maxScaleDownRate", maxScaleDownRate, 1.0001, 10_000);
    requireBetween("tick", tick, Duration.ofMillis(10), Duration.ofMinutes(1));
    requireBetween("scaleToZeroGracePeriod", scaleToZeroGracePeriod, Duration.ZERO, WINDOW_LIMIT);
    requireBetween("maxReplicas", maxReplicas, 1, REPLICAS_LIMIT);
    requireBetween("minReplicas", minReplicas, 0, maxReplicas);
  }

  /**
   * Knative's defaults: concurrency with target 100 at 70 % utilisation, stable window 60 s, panic
   * window 10 % of it, panic threshold 200 %, scale-up rate 1000×, scale-down rate 2×, tick 2 s,
   * grace 30 s; replicas 1..10 (minReplicas 1 as KServe's default: set 0 to allow scale to zero).
   */
  public static AutoscalingSettings defaults() {
    return DEFAULTS;
  }

  /**
   * The settings of one revision of a validated service: its replicas, metric, target and
   * overrides over the defaults, with the revision's containerConcurrency.
   */
  public static AutoscalingSettings of(Scaling scaling, int containerConcurrency) {
    AutoscalingOverrides o = scaling.overrides();
    Builder b = builder().minReplicas(scaling.minReplicas()).maxReplicas(scaling.maxReplicas())
        .metric(scaling.metric()).scaleTarget(scaling.target().orElse(0.0)).containerConcurrency(containerConcurrency);
    o.stableWindow().ifPresent(b::stableWindow);
    o.panicWindowPercentage().ifPresent(b::panicWindowPercentage);
    o.panicThresholdPercentage().ifPresent(b::panicThresholdPercentage);
    o.targetUtilizationPercentage().ifPresent(b::targetUtilizationPercentage);
    o.maxScaleUpRate().ifPresent(b::maxScaleUpRate);
    o.maxScaleDownRate().ifPresent(b::maxScaleDownRate);
    o.scaleToZeroGracePeriod().ifPresent(b::scaleToZeroGracePeriod);
    return b.build();
  }

  /** Knative's per-replica target of a metric when the service sets none: concurrency 100, rps 200. */
  public static double defaultTarget(ScaleMetric metric) {
    return switch (metric) {
      case CONCURRENCY -> 100;
      case RPS -> 200;
    };
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * The per-replica value of the metric the autoscaler aims for, as Knative resolves it: the
   * service's target (for concurrency no higher than containerConcurrency when that is set), else
   * containerConcurrency, else the metric's default; times the target utilisation; at least 1.
   */
  public double perReplicaTarget() {
    return Math.max(1, perReplicaTotal() * targetUtilizationPercentage / 100);
  }

  /** The per-replica value before utilisation (Knative's "total"). */
  public double perReplicaTotal() {
    boolean concurrency = metric == ScaleMetric.CONCURRENCY;
    if (scaleTarget > 0) {
      return concurrency && containerConcurrency > 0 ? Math.min(scaleTarget, containerConcurrency) : scaleTarget;
    }
    return concurrency && containerConcurrency > 0 ? containerConcurrency : defaultTarget(metric);
  }

  /** The panic window: panicWindowPercentage of the stable window, at least one second. */
  public Duration panicWindow() {
    long millis = Math.round(stableWindow.toMillis() * panicWindowPercentage / 100);
    return Duration.ofMillis(Math.max(1000, millis));
  }

  /** How long a revision must see no traffic before it goes to zero: stable window plus grace. */
  public Duration idleBeforeZero() {
    return stableWindow.plus(scaleToZeroGracePeriod);
  }

  private static void requireBetween(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(field + ": must be between " + format(min) + " and " + format(max)
          + ", got " + value);
    }
  }

  private static void requireBetween(String field, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(field + ": must be between " + min + " and " + max + ", got " + value);
    }
  }

  private static String format(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** Builds validated settings; every setter overrides one knob. */
  public static final class Builder {
    private ScaleMetric metric;
    private double scaleTarget;
    private int containerConcurrency;
    private double targetUtilizationPercentage;
    private Duration stableWindow;
    private double panicWindowPercentage;
    private double panicThresholdPercentage;
    private double maxScaleUpRate;
    private double maxScaleDownRate;
    private Duration tick;
    private Duration scaleToZeroGracePeriod;
    private int minReplicas;
    private int maxReplicas;

    private Builder(AutoscalingSettings from) {
      metric = from.metric;
      scaleTarget = from.scaleTarget;
      containerConcurrency = from.containerConcurrency;
      targetUtilizationPercentage = from.targetUtilizationPercentage;
      stableWindow = from.stableWindow;
      panicWindowPercentage = from.panicWindowPercentage;
      panicThresholdPercentage = from.panicThresholdPercentage;
      maxScaleUpRate = from.maxScaleUpRate;
      maxScaleDownRate = from.maxScaleDownRate;
      tick = from.tick;
      scaleToZeroGracePeriod = from.scaleToZeroGracePeriod;
      minReplicas = from.minReplicas;
      maxReplicas = from.maxReplicas;
    }

    public Builder metric(ScaleMetric value) {
      metric = value;
      return this;
    }

    public Builder scaleTarget(double value) {
      scaleTarget = value;
      return this;
    }

    public Builder containerConcurrency(int value) {
      containerConcurrency = value;
      return this;
    }

    public Builder targetUtilizationPercentage(double value) {
      targetUtilizationPercentage = value;
      return this;
    }

    public Builder stableWindow(Duration value) {
      stableWindow = value;
      return this;
    }

    public Builder panicWindowPercentage(double value) {
      panicWindowPercentage = value;
      return this;
    }

    public Builder panicThresholdPercentage(double value) {
      panicThresholdPercentage = value;
      return this;
    }

    public Builder maxScaleUpRate(double value) {
      maxScaleUpRate = value;
      return this;
    }

    public Builder maxScaleDownRate(double value) {
      maxScaleDownRate = value;
      return this;
    }

    public Builder tick(Duration value) {
      tick = value;
      return this;
    }

    public Builder scaleToZeroGracePeriod(Duration value) {
      scaleToZeroGracePeriod = value;
      return this;
    }

    public Builder minReplicas(int value) {
      minReplicas = value;
      return this;
    }

    public Builder maxReplicas(int value) {
      maxReplicas = value;
      return this;
    }

    public AutoscalingSettings build() {
      return new AutoscalingSettings(metric, scaleTarget, containerConcurrency, targetUtilizationPercentage,
          stableWindow, panicWindowPercentage, panicThresholdPercentage, maxScaleUpRate, maxScaleDownRate, tick,
          scaleToZeroGracePeriod, minReplicas, maxReplicas);
    }
  }
}
