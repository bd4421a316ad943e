package dev.capstan.api.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a Queue is given and how it shares (see {@link Queue}). Enumerations are strings, checked by validation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueueSpec {
  /** The namespaces whose workloads may use this queue; or {@link #namespaceSelector}. Neither: every namespace. */
  private List<String> namespaces;
  private LabelSelector namespaceSelector;
  /** Queues naming the same cohort lend each other unused quota. */
  private String cohort;
  /** StrictFIFO | BestEffortFIFO (default). */
  private String queueingStrategy;
  /** Resource name ({@code cpu}, {@code memory}, {@code nvidia.com/gpu}, any extended resource) to its quota. */
  private Map<String, ResourceQuota> resources = new LinkedHashMap<>();
  private QueuePreemption preemption;
  private FairSharing fairSharing;
  /** None (default) | Hold (admit nothing new) | HoldAndDrain (also evict what is admitted). */
  private String stopPolicy;
  /** A workload admitted here is not preempted before it has run this long (stops thrashing); default 0. */
  private Long minimumRuntimeSeconds;

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public String getCohort() {
    return cohort;
  }

  public void setCohort(String cohort) {
    this.cohort = cohort;
  }

  public String getQueueingStrategy() {
    return queueingStrategy;
  }

  public void setQueueingStrategy(String queueingStrategy) {
    this.queueingStrategy = queueingStrategy;
  }

  public Map<String, ResourceQuota> getResources() {
    return resources;
  }

  public void setResources(Map<String, ResourceQuota> resources) {
    this.resources = resources;
  }

  public QueuePreemption getPreemption() {
    return preemption;
  }

  public void setPreemption(QueuePreemption preemption) {
    this.preemption = preemption;
  }

  public FairSharing getFairSharing() {
    return fairSharing;
  }

  public void setFairSharing(FairSharing fairSharing) {
    this.fairSharing = fairSharing;
  }

  public String getStopPolicy() {
    return stopPolicy;
  }

  public void setStopPolicy(String stopPolicy) {
    this.stopPolicy = stopPolicy;
  }

  public Long getMinimumRuntimeSeconds() {
    return minimumRuntimeSeconds;
  }

  public void setMinimumRuntimeSeconds(Long minimumRuntimeSeconds) {
    this.minimumRuntimeSeconds = minimumRuntimeSeconds;
  }

  /** A queue's weight when queues of a cohort share what they borrow (default 1; 0 borrows last). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FairSharing {
    private Double weight;

    public Double getWeight() {
      return weight;
    }

    public void setWeight(Double weight) {
      this.weight = weight;
    }
  }
}
