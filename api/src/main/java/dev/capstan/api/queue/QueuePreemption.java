package dev.capstan.api.queue;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * When a pending workload may preempt admitted ones (Kueue's ClusterQueuePreemption):
 * {@code withinQueue} Never | LowerPriority; {@code reclaimWithinCohort} Never | LowerPriority | Any
 * (take back nominal quota other queues borrowed); {@code borrowWithinCohort} lets a workload that
 * borrows preempt lower-priority ones in other queues of the cohort.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class QueuePreemption {
  private String withinQueue;
  private String reclaimWithinCohort;
  private BorrowWithinCohort borrowWithinCohort;

  public String getWithinQueue() {
    return withinQueue;
  }

  public void setWithinQueue(String withinQueue) {
    this.withinQueue = withinQueue;
  }

  public String getReclaimWithinCohort() {
    return reclaimWithinCohort;
  }

  public void setReclaimWithinCohort(String reclaimWithinCohort) {
    this.reclaimWithinCohort = reclaimWithinCohort;
  }

  public BorrowWithinCohort getBorrowWithinCohort() {
    return borrowWithinCohort;
  }

  public void setBorrowWithinCohort(BorrowWithinCohort borrowWithinCohort) {
    this.borrowWithinCohort = borrowWithinCohort;
  }

  /** {@code policy} Never | LowerPriority; victims must have a priority at most {@code maxPriorityThreshold}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class BorrowWithinCohort {
    private String policy;
    private Integer maxPriorityThreshold;

    public String getPolicy() {
      return policy;
    }

    public void setPolicy(String policy) {
      this.policy = policy;
    }

    public Integer getMaxPriorityThreshold() {
      return maxPriorityThreshold;
    }

    public void setMaxPriorityThreshold(Integer maxPriorityThreshold) {
      this.maxPriorityThreshold = maxPriorityThreshold;
    }
  }
}
