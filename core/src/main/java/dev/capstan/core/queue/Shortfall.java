package dev.capstan.core.queue;

import dev.capstan.api.queue.ResourceUnits;

/**
 * Why a workload is not admitted, typed so that callers decide on the kind and never on text.
 * {@code subject} is the resource (or queue, or priority class) it is about; {@code needed} and
 * {@code available} are whole units of that resource where they apply.
 */
public record Shortfall(Kind kind, String subject, long needed, long available) {
  public enum Kind {
    /** The workload names a Queue that does not exist. */
    QueueNotFound,
    /** The Queue it names does not serve its namespace. */
    NamespaceNotServed,
    /** The workload names a WorkloadPriorityClass that does not exist. */
    PriorityClassNotFound,
    /** The queue's stopPolicy holds new admissions. */
    QueueHeld,
    /** StrictFIFO: a workload ahead of it in its queue waits, and so does it. */
    BlockedByHead,
    /** Its queue's quota (nominal plus what it may borrow) cannot cover it now. */
    QuotaExceeded,
    /** Larger than the queue could ever have, even borrowing all it may. */
    ExceedsQuota,
    /** Quota is there but the capacity (host or nodes) has not got room for the whole gang now. */
    InsufficientCapacity,
    /** Larger than the whole capacity, even empty: without a policy to wait, it is rejected. */
    ExceedsCapacity,
    /** It preempted workloads that are still stopping. */
    PreemptionInProgress,
    /** An adapter found it cannot be placed; {@code subject} says why in words. */
    Unschedulable
  }

  public static Shortfall about(Kind kind, String subject) {
    return new Shortfall(kind, subject, 0, 0);
  }

  /** For people: {@code waiting for capacity: cpu 4 > 2 free}. */
  public String message() {
    return switch (kind) {
      case QueueNotFound -> "no Queue named '" + subject + "'";
      case NamespaceNotServed -> "Queue '" + subject + "' does not serve this namespace";
      case PriorityClassNotFound -> "no WorkloadPriorityClass named '" + subject + "'";
      case QueueHeld -> "Queue '" + subject + "' holds new admissions (stopPolicy)";
      case BlockedByHead -> "StrictFIFO: waiting behind " + subject;
      case QuotaExceeded -> "waiting for quota: " + amounts() + " left in the queue";
      case ExceedsQuota -> "more than the queue can ever have: " + amounts();
      case InsufficientCapacity -> "waiting for capacity: " + amounts() + " free";
      case ExceedsCapacity -> "the whole gang needs more than the capacity holds: " + amounts();
      case PreemptionInProgress -> "waiting for " + subject + " to stop after preemption";
      case Unschedulable -> subject;
    };
  }

  /** The amounts compared, {@code cpu 4 > 2}, for the kinds about a resource. */
  public String amounts() {
    return subject + " " + ResourceUnits.format(subject, needed) + " > " + ResourceUnits.format(subject, Math.max(0, available));
  }
}
