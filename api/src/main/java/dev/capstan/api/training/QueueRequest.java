package dev.capstan.api.training;

import java.util.Optional;

/**
 * Where a job queues and how it ranks there: the Queue it names (from {@code spec.queue} or the
 * label {@value #QUEUE_LABEL}), and its priority, given or through a priority class.
 */
public record QueueRequest(Optional<String> queue, Optional<Integer> priority, Optional<String> priorityClassName) {
  /** Kueue's label naming a workload's queue. */
  public static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
  /** Kubernetes' range for user priority classes. */
  public static final int MIN_PRIORITY = -1_000_000_000;
  public static final int MAX_PRIORITY = 1_000_000_000;

  public static final QueueRequest NONE = new QueueRequest(Optional.empty(), Optional.empty(), Optional.empty());
}
