package dev.capstan.core.queue;

/** Why an admitted workload is preempted (Kueue's InClusterQueue, InCohortReclamation, …). */
public enum PreemptionReason {
  /** A higher-priority workload of the same queue needs its quota. */
  WithinQueue,
  /** Its queue borrowed quota from the cohort that the lender needs back. */
  CohortReclaim,
  /** A higher-priority workload borrowing from the cohort needs what it holds. */
  CohortBorrow,
  /** Fair sharing: its queue is further above its weighted share of the cohort than the preemptor's would be. */
  CohortFairSharing,
  /** Its queue's stopPolicy is HoldAndDrain. */
  QueueDrained
}
