package dev.capstan.core.training;

/** Reasons on TrainingJob conditions. Decisions read these, never the message text. */
public enum TrainingReason {
  JobCreated,
  InsufficientCapacity,
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
