package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * The predictor: the model and how its replicas run (the fields of {@link RevisionSpec}: a change to
 * any of these makes a new revision) and how they scale and take traffic (the fields here: changed
 * in place).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PredictorSpec extends RevisionSpec {
  /** Fewest replicas; 0 lets the service scale to zero when idle. Default 1 (as KServe). */
  @Min(0)
  private Integer minReplicas;

  /** Most replicas; default {@code max(minReplicas, 10)}, at most {@link InferenceServiceLimits#MAX_REPLICAS}. */
  @Min(1)
  private Integer maxReplicas;

  /** What the autoscaler follows: concurrency (default) | rps. */
  @Pattern("^(concurrency|rps)$")
  private String scaleMetric;

  /** The target per replica of the scale metric (requests in flight, or requests per second). */
  private Double scaleTarget;

  /** Percent of traffic for the latest ready revision while it rolls out; absent (or 100) promotes it. */
  @Min(0)
  @Max(100)
  private Integer canaryTrafficPercent;

  /** Overrides of the autoscaler's settings (the {@code autoscaling.knative.dev/*} annotations also set them). */
  private AutoscalingSpec autoscaling;

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public String getScaleMetric() {
    return scaleMetric;
  }

  public void setScaleMetric(String scaleMetric) {
    this.scaleMetric = scaleMetric;
  }

  public Double getScaleTarget() {
    return scaleTarget;
  }

  public void setScaleTarget(Double scaleTarget) {
    this.scaleTarget = scaleTarget;
  }

  public Integer getCanaryTrafficPercent() {
    return canaryTrafficPercent;
  }

  public void setCanaryTrafficPercent(Integer canaryTrafficPercent) {
    this.canaryTrafficPercent = canaryTrafficPercent;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }
}
