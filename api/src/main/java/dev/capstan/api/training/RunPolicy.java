package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Job-wide policies, Kubeflow-compatible, plus {@code restartScope}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunPolicy {
  @Min(0)
  private Integer backoffLimit;
  @Min(1)
  private Long activeDeadlineSeconds;
  @Min(0)
  private Integer ttlSecondsAfterFinished;
  /** All | Running | None. */
  @Pattern("^(All|Running|None)$")
  private String cleanPodPolicy;
  private Boolean suspend;
  /** Gang | Replica: what restarts when one replica fails. */
  @Pattern("^(Gang|Replica)$")
  private String restartScope;
  /** Seconds a preempted job's replicas get after SIGTERM to write a checkpoint and exit (default 60). */
  @Min(0)
  private Integer preemptionGracePeriodSeconds;

  public Integer getBackoffLimit() {
    return backoffLimit;
  }

  public void setBackoffLimit(Integer backoffLimit) {
    this.backoffLimit = backoffLimit;
  }

  public Long getActiveDeadlineSeconds() {
    return activeDeadlineSeconds;
  }

  public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
    this.activeDeadlineSeconds = activeDeadlineSeconds;
  }

  public Integer getTtlSecondsAfterFinished() {
    return ttlSecondsAfterFinished;
  }

  public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
    this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
  }

  public String getCleanPodPolicy() {
    return cleanPodPolicy;
  }

  public void setCleanPodPolicy(String cleanPodPolicy) {
    this.cleanPodPolicy = cleanPodPolicy;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }

  public String getRestartScope() {
    return restartScope;
  }

  public void setRestartScope(String restartScope) {
    this.restartScope = restartScope;
  }

  public Integer getPreemptionGracePeriodSeconds() {
    return preemptionGracePeriodSeconds;
  }

  public void setPreemptionGracePeriodSeconds(Integer preemptionGracePeriodSeconds) {
    this.preemptionGracePeriodSeconds = preemptionGracePeriodSeconds;
  }
}
