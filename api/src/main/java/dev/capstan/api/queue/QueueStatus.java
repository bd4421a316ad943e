package dev.capstan.api.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a Queue holds now, written only by the scheduler. Amounts are Kubernetes quantities. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueStatus {
  private Integer pendingWorkloads;
  private Integer admittedWorkloads;
  /** Resource to what admitted workloads use of it. */
  private Map<String, String> usage = new LinkedHashMap<>();
  /** Resource to what of the usage is above the nominal quota, borrowed from the cohort. */
  private Map<String, String> borrowed = new LinkedHashMap<>();
  private List<Condition> conditions = new ArrayList<>();
  private Long observedGeneration;

  public Integer getPendingWorkloads() {
    return pendingWorkloads;
  }

  public void setPendingWorkloads(Integer pendingWorkloads) {
    this.pendingWorkloads = pendingWorkloads;
  }

  public Integer getAdmittedWorkloads() {
    return admittedWorkloads;
  }

  public void setAdmittedWorkloads(Integer admittedWorkloads) {
    this.admittedWorkloads = admittedWorkloads;
  }

  public Map<String, String> getUsage() {
    return usage;
  }

  public void setUsage(Map<String, String> usage) {
    this.usage = usage;
  }

  public Map<String, String> getBorrowed() {
    return borrowed;
  }

  public void setBorrowed(Map<String, String> borrowed) {
    this.borrowed = borrowed;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
