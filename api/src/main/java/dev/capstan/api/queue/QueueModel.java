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

  /** This queue's quota of a resource; a resource it names no quota for has none (unless unbounded). */
  public Quota quota(String resource) {
    Quota q = quotas.get(resource);
    if (q != null) {
      return q;
    }
    return Quota.nominal(unbounded ? Long.MAX_VALUE / 4 : 0);
  }
}
