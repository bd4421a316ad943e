package dev.capstan.api.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, validated Queue. {@code unbounded} marks the implicit queue of namespaces that no
 * Queue serves: it has no quota, so only capacity limits it (Capstan's behaviour without queues).
 */
public record QueueModel(
    String name,
    long generation,
    NamespaceMatch namespaces,
    Optional<String> cohort,
    QueueingStrategy strategy,
    Map<String, Quota> quotas,
    boolean unbounded,
    PreemptionRules preemption,
    double weight,
    StopPolicy stopPolicy,
    Duration minimumRuntime) {

  /** The name of the implicit queue; a Queue of this name replaces it. */
  public static final String DEFAULT = "default";

  public static QueueModel from(Queue queue) {
    return new QueueValidator(queue).toModel();
  }

  /** The implicit queue: every namespace, no quota, best-effort FIFO, no preemption. */
  public static QueueModel implicitDefault() {
    return new QueueModel(DEFAULT, 0, NamespaceMatch.ANY, Optional.empty(), QueueingStrategy.BestEffortFIFO, Map.of(), true,
        PreemptionRules.NEVER, 1.0, StopPolicy.None, Duration.ZERO);
  }

  /**
   * Whether the queue limits a resource: only those it lists a quota for (so {@code ephemeral-storage}
   * or a device a queue does not mention is left to the capacity check). The implicit queue limits none.
   */
  public boolean limits(String resource) {
    return quotas.containsKey(resource);
  }

  /** This queue's quota of a resource it {@link #limits}; zero for one it does not. */
  public Quota quota(String resource) {
    return quotas.getOrDefault(resource, Quota.nominal(0));
  }
}
