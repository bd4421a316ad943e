package dev.capstan.core.training;

/** Reasons on TrainingJob conditions. Decisions read these, never the message text. */
public enum TrainingReason {
  JobCreated,
  InsufficientCapacity,
  /** Its queue's quota (with what it may borrow) cannot cover it now. */
  QuotaExceeded,
  /** It names a Queue that does not exist or does not serve its namespace. */
  QueueNotFound,
  /** It names a WorkloadPriorityClass that does not exist. */
  PriorityClassNotFound,
  /** Its queue holds new admissions (stopPolicy). */
  QueueHeld,
  /** StrictFIFO: the job ahead of it in its queue waits, and so does it. */
  BlockedInQueue,
  /** It preempted workloads that are still writing their checkpoints and stopping. */
  WaitingForPreemptions,
  /** It was preempted; once its replicas stopped it queues again (no restart is counted). */
  Preempted,
  ExceedsCapacity,
  Admitted,
  ReplicasStarting,
  AllReplicasRunning,
  ReplicaFailed,
  GangRestart,
  JobSucceeded,
  ReplicaFailedPermanently,
  /** A replica's command does not exist or cannot be executed: the job fails at once, no restart spent. */
  CommandNotFound,
  BackoffLimitExceeded,
  DeadlineExceeded,
  InvalidSpec,
  JobSuspended,
  JobResumed,
  /** A reconcile of the job threw; it is retried with backoff while the other jobs go on. */
  ReconcileError,
  /** A pass over the job worked again after a ReconcileError. */
  Reconciled,
  /** A new generation of a finished job's spec: it runs again from attempt 0. */
  SpecChanged
}
