package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything one scheduling cycle decides on, read once: the time, the queues (a namespace no
 * queue serves uses the implicit {@code default}), priority classes by name, namespace labels (for
 * queues that select namespaces by label), admitted and pending workloads, and the capacity.
 */
public record SchedulingSnapshot(
    Instant now,
    List<QueueModel> queues,
    Map<String, Integer> priorityClasses,
    Map<String, Map<String, String>> namespaceLabels,
    List<AdmittedWorkload> admitted,
    List<QueueableWorkload> pending,
    Capacity capacity) {

  public SchedulingSnapshot {
    queues = List.copyOf(queues);
    priorityClasses = Map.copyOf(priorityClasses);
    namespaceLabels = Map.copyOf(namespaceLabels);
    admitted = List.copyOf(admitted);
    pending = List.copyOf(pending);
  }
}
