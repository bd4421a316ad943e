package dev.capstan.core.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Anything the scheduler admits as a whole gang: a training job today; InferenceService replicas,
 * tuning trials and pipeline steps later, without changing the scheduler (Kueue's GenericJob).
 */
public interface QueueableWorkload {
  /** Identifies the workload: {@code Kind namespace/name}. */
  String key();

  String namespace();

  /** The Queue it names; empty: the queue serving its namespace, else the implicit one. */
  Optional<String> queueName();

  /** A priority given directly; wins over {@link #priorityClassName()}. */
  Optional<Integer> priority();

  Optional<String> priorityClassName();

  /** When it was created: older first among equal priorities. */
  Instant createdAt();

  /** Its replicas: admitted all together or not at all. */
  List<PodSet> podSets();

  default ResourceList demand() {
    return podSets().stream().map(PodSet::total).reduce(ResourceList.EMPTY, ResourceList::plus);
  }
}
