package dev.capstan.core.queue;

import java.util.List;
import java.util.Map;

/**
 * What one cycle decided: a decision per workload key (admitted ones included), what each queue
 * holds now, the preemptions this cycle started (for events), and where the fit check counted each
 * workload this cycle admitted (a node per pod, in pod-set order; see {@link AdmittedWorkload#nodes}).
 */
public record SchedulingResult(Map<String, AdmissionDecision> decisions, Map<String, QueueUsage> queues,
    List<Preempted> preemptions, Map<String, List<String>> placements) {

  public SchedulingResult(Map<String, AdmissionDecision> decisions, Map<String, QueueUsage> queues, List<Preempted> preemptions) {
    this(decisions, queues, preemptions, Map.of());
  }

  /** A queue's counts and amounts after the cycle: what admitted workloads use, and the part above nominal. */
  public record QueueUsage(String queue, int pending, int admitted, ResourceList usage, ResourceList borrowed) {
    /** A Queue's status as this usage says, for a Queue at {@code generation}. */
    public dev.capstan.api.queue.QueueStatus toStatus(Long generation) {
      dev.capstan.api.queue.QueueStatus status = new dev.capstan.api.queue.QueueStatus();
      status.setPendingWorkloads(pending);
      status.setAdmittedWorkloads(admitted);
      status.setUsage(usage.toQuantities());
      status.setBorrowed(borrowed.toQuantities());
      status.setObservedGeneration(generation);
      return status;
    }
  }

  /** An admitted workload this cycle preempted. */
  public record Preempted(String victim, Eviction eviction) {}

  public AdmissionDecision decision(String key) {
    return decisions.get(key);
  }
}
