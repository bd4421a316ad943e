package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The predictor: the model and how its replicas run ({@code model}, {@code batching},
 * {@code resources}, {@code containerConcurrency}, {@code timeout}: a change to any of these makes
 * a new revision) and how they scale and take traffic (the rest: changed in place).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PredictorSpec {
  @Required
  private PredictorModelSpec model;

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

  /** Most requests one replica takes at once; 0 (default) is no limit. */
  @Min(0)
  private Integer containerConcurrency;

  /** Seconds a request may take before it fails; default 60. */
  @Min(1)
  private Integer timeout;

  /** Percent of traffic for the latest ready revision while it rolls out; absent (or 100) promotes it. */
  @Min(0)
  @Max(100)
  private Integer canaryTrafficPercent;

  private BatchingSpec batching;

  /** Requests and limits of each replica (cpu, memory, nvidia.com/gpu). */
  private ResourceRequirements resources;

  /** Overrides of the autoscaler's settings (the {@code autoscaling.knative.dev/*} annotations also set them). */
  private AutoscalingSpec autoscaling;

  public PredictorModelSpec getModel() {
    return model;
  }

  public void setModel(PredictorModelSpec model) {
    this.model = model;
  }

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

  public Integer getContainerConcurrency() {
    return containerConcurrency;
  }

  public void setContainerConcurrency(Integer containerConcurrency) {
    this.containerConcurrency = containerConcurrency;
  }

  public Integer getTimeout() {
    return timeout;
  }

  public void setTimeout(Integer timeout) {
    this.timeout = timeout;
  }

  public Integer getCanaryTrafficPercent() {
    return canaryTrafficPercent;
  }

  public void setCanaryTrafficPercent(Integer canaryTrafficPercent) {
    this.canaryTrafficPercent = canaryTrafficPercent;
  }

  public BatchingSpec getBatching() {
    return batching;
  }

  public void setBatching(BatchingSpec batching) {
    this.batching = batching;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public AutoscalingSpec getAutoscaling() {
    return autoscaling;
  }

  public void setAutoscaling(AutoscalingSpec autoscaling) {
    this.autoscaling = autoscaling;
  }
}
