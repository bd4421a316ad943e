package dev.capstan.core.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A workload holding quota in {@code queue} since {@code admittedAt}; {@code eviction} is present
 * while it stops after being preempted (it still holds its quota until it has stopped). {@code nodes}
 * names the node of each of its pods, in pod-set order, where the caller knows them (the cycle that
 * admitted it said where in {@link SchedulingResult#placements}): a cycle counts it there, so what a
 * preemption frees is where its victims really ran. Where they are not known (empty), a cycle counts
 * it on the first nodes with room, in admission order, after those whose nodes are known.
 */
public record AdmittedWorkload(QueueableWorkload workload, String queue, Instant admittedAt, Optional<Eviction> eviction,
    List<String> nodes) {
  public AdmittedWorkload {
    nodes = List.copyOf(nodes);
  }

  public AdmittedWorkload(QueueableWorkload workload, String queue, Instant admittedAt, Optional<Eviction> eviction) {
    this(workload, queue, admittedAt, eviction, List.of());
  }

  public AdmittedWorkload(QueueableWorkload workload, String queue, Instant admittedAt) {
    this(workload, queue, admittedAt, Optional.empty());
  }

  /** The same admission, its pods on {@code nodes} (one per pod, in pod-set order). */
  public AdmittedWorkload on(List<String> nodes) {
    return new AdmittedWorkload(workload, queue, admittedAt, eviction, nodes);
  }

  public String key() {
    return workload.key();
  }
}
