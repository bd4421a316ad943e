package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code spec.predictor.autoscaling}: overrides of the autoscaler's Knative KPA settings for this
 * service. Each may also be given as the Knative annotation KServe users write
 * ({@link AutoscalingAnnotations}); the field wins where both are given. Durations read like
 * {@code 60s}, {@code 1m}, {@code 500ms}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoscalingSpec {
  private String stableWindow;
  private Double panicWindowPercentage;
  private Double panicThresholdPercentage;
  private Double targetUtilizationPercentage;
  private Double maxScaleUpRate;
  private Double maxScaleDownRate;
  private String scaleToZeroGracePeriod;

  public String getStableWindow() {
    return stableWindow;
  }

  public void setStableWindow(String stableWindow) {
    this.stableWindow = stableWindow;
  }

  public Double getPanicWindowPercentage() {
    return panicWindowPercentage;
  }

  public void setPanicWindowPercentage(Double panicWindowPercentage) {
    this.panicWindowPercentage = panicWindowPercentage;
  }

  public Double getPanicThresholdPercentage() {
    return panicThresholdPercentage;
  }

  public void setPanicThresholdPercentage(Double panicThresholdPercentage) {
    this.panicThresholdPercentage = panicThresholdPercentage;
  }

  public Double getTargetUtilizationPercentage() {
    return targetUtilizationPercentage;
  }

  public void setTargetUtilizationPercentage(Double targetUtilizationPercentage) {
    this.targetUtilizationPercentage = targetUtilizationPercentage;
  }

  public Double getMaxScaleUpRate() {
    return maxScaleUpRate;
  }

  public void setMaxScaleUpRate(Double maxScaleUpRate) {
    this.maxScaleUpRate = maxScaleUpRate;
  }

  public Double getMaxScaleDownRate() {
    return maxScaleDownRate;
  }

  public void setMaxScaleDownRate(Double maxScaleDownRate) {
    this.maxScaleDownRate = maxScaleDownRate;
  }

  public String getScaleToZeroGracePeriod() {
    return scaleToZeroGracePeriod;
  }

  public void setScaleToZeroGracePeriod(String scaleToZeroGracePeriod) {
    this.scaleToZeroGracePeriod = scaleToZeroGracePeriod;
  }
}
