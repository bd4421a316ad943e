package dev.capstan.core.training;

import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.Shortfall;

/** The Queued condition's reason for a wait, from the kind of its first shortfall. */
final class QueueReasons {
  private QueueReasons() {}

  static TrainingReason of(AdmissionDecision.Waiting w) {
    if (w.shortfalls().isEmpty()) {
      return TrainingReason.InsufficientCapacity;
    }
    return switch (w.shortfalls().get(0).kind()) {
      case QueueNotFound, NamespaceNotServed -> TrainingReason.QueueNotFound;
      case PriorityClassNotFound -> TrainingReason.PriorityClassNotFound;
      case QueueHeld -> TrainingReason.QueueHeld;
      case QuotaExceeded, ExceedsQuota -> TrainingReason.QuotaExceeded;
      case BlockedByHead -> TrainingReason.BlockedInQueue;
      case PreemptionInProgress -> TrainingReason.WaitingForPreemptions;
      case InsufficientCapacity, ExceedsCapacity, Unschedulable -> TrainingReason.InsufficientCapacity;
    };
  }
}
