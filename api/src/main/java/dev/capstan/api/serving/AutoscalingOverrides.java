package dev.capstan.api.serving;

import java.time.Duration;
import java.util.Optional;

/**
 * A service's overrides of the autoscaler's Knative KPA settings; each absent one keeps the
 * default (docs/serving.md lists them).
 */
public record AutoscalingOverrides(
    Optional<Duration> stableWindow,
    Optional<Double> panicWindowPercentage,
    Optional<Double> panicThresholdPercentage,
    Optional<Double> targetUtilizationPercentage,
    Optional<Double> maxScaleUpRate,
    Optional<Double> maxScaleDownRate,
    Optional<Duration> scaleToZeroGracePeriod) {

  public static final AutoscalingOverrides NONE = new AutoscalingOverrides(Optional.empty(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
}
