package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Observed state of a TrainingJob, written only by its controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingJobStatus {
  /** The lifecycle state (see TrainingJobState in core); a summary of the conditions. */
  @PrinterColumn(name = "State", priority = 0)
  private String state;

  /** Active replicas over all replicas, e.g. {@code 3/3}; a summary for listings. */
  @PrinterColumn(name = "Replicas", priority = 0)
  private String replicas;

  private String message;
  private List<Condition> conditions = new ArrayList<>();
  private Map<String, ReplicaStatus> replicaStatuses = new LinkedHashMap<>();
  private String startTime;
  private String completionTime;
  private Long observedGeneration;

  /** Restarts of the whole job so far, counted against backoffLimit. */
  private Integer restartCount;

  /** Latest value of each metric line ({@code name=value}) any replica printed. */
  private Map<String, String> metrics = new LinkedHashMap<>();

  /** The Queue the job is admitted to or waits in. */
  private String queue;

  /** While it waits: its place in its queue (1 is next). */
  private Integer queuePosition;

  /**
   * While admitted in a cluster: the node Capstan's GPU placement chose for each replica (by its
   * short name, e.g. {@code worker-0}), written with the admission; absent when none was chosen.
   */
  private Map<String, String> placement;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getReplicas() {
    return replicas;
  }

  public void setReplicas(String replicas) {
    this.replicas = replicas;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Map<String, ReplicaStatus> getReplicaStatuses() {
    return replicaStatuses;
  }

  public void setReplicaStatuses(Map<String, ReplicaStatus> replicaStatuses) {
    this.replicaStatuses = replicaStatuses;
  }

  public String getStartTime() {
    return startTime;
  }

  public void setStartTime(String startTime) {
    this.startTime = startTime;
  }

  public String getCompletionTime() {
    return completionTime;
  }

  public void setCompletionTime(String completionTime) {
    this.completionTime = completionTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getRestartCount() {
    return restartCount;
  }

  public void setRestartCount(Integer restartCount) {
    this.restartCount = restartCount;
  }

  public Map<String, String> getMetrics() {
    return metrics;
  }

  public void setMetrics(Map<String, String> metrics) {
    this.metrics = metrics;
  }

  public String getQueue() {
    return queue;
  }

  public void setQueue(String queue) {
    this.queue = queue;
  }

  public Integer getQueuePosition() {
    return queuePosition;
  }

  public void setQueuePosition(Integer queuePosition) {
    this.queuePosition = queuePosition;
  }

  public Map<String, String> getPlacement() {
    return placement;
  }

  public void setPlacement(Map<String, String> placement) {
    this.placement = placement;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingJobStatus s
        && Objects.equals(state, s.state)
        && Objects.equals(message, s.message)
        && Objects.equals(replicas, s.replicas)
        && Objects.equals(conditions, s.conditions)
        && Objects.equals(replicaStatuses, s.replicaStatuses)
        && Objects.equals(startTime, s.startTime)
        && Objects.equals(completionTime, s.completionTime)
        && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(restartCount, s.restartCount)
        && Objects.equals(metrics, s.metrics)
        && Objects.equals(queue, s.queue)
        && Objects.equals(queuePosition, s.queuePosition)
        && Objects.equals(placement, s.placement);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, conditions, replicaStatuses, restartCount, metrics);
  }
}
